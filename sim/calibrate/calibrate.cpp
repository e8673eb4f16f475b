#include "sim/calibrate/calibrate.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <numeric>

#include "sim/report/number_format.hpp"
#include "sim/scenario/presets.hpp"
#include "sim/scenario/retry_presets.hpp"
#include "sim/scenario/scenario_loader.hpp"

namespace ratesim::calibrate {
namespace {

using models::LimitCause;

std::vector<double> sorted(std::vector<double> x) {
  std::sort(x.begin(), x.end());
  return x;
}

std::array<LimitFit, models::kBudgetCount> fit_limits(const AttemptsLog& log, const std::vector<std::uint32_t>& mine) {
  std::array<LimitFit, models::kBudgetCount> out{};
  for (std::size_t b = 0; b < models::kBudgetCount; ++b) {
    std::map<std::int64_t, std::uint64_t> seen;
    for (const std::uint32_t i : mine)
      if (const std::int64_t l = log.attempts[i].budgets[b].limit; l > 0) ++seen[l];
    std::uint64_t most = 0;
    for (const auto& [limit, count] : seen) {
      out[b].n += count;
      if (count >= most) {  // the most frequent value; ties: the larger
        most = count;
        out[b].limit = limit;
      }
    }
    out[b].distinct = seen.size();
  }
  return out;
}

BurstFit fit_burst(const AttemptsLog& log, const std::vector<std::uint32_t>& mine) {
  // A token bucket refills at limit/60 per second and reports, in `reset`, when it will be full:
  // capacity = remaining + (reset − now) × limit / 60. Pairs taken while the bucket was full
  // (reset not after now) only bound it from below, so they are left out.
  std::array<std::vector<double>, models::kBudgetCount> estimates;
  for (const std::uint32_t i : mine) {
    const LoggedAttempt& a = log.attempts[i];
    for (std::size_t b = 0; b < models::kBudgetCount; ++b) {
      const LoggedBudget& h = a.budgets[b];
      if (h.limit <= 0 || std::isnan(h.remaining) || std::isnan(h.reset) || h.reset - a.time <= 0.001) continue;
      const double rate = static_cast<double>(h.limit) / 60.0;
      estimates[b].push_back((std::max(0.0, h.remaining) + (h.reset - a.time) * rate) / rate);
    }
  }
  // Requests first: output budgets debited after the fact (and shown as 0 when below) overstate it.
  std::size_t pick = 0;
  for (std::size_t b : {std::size_t{0}, std::size_t{1}, std::size_t{3}, std::size_t{2}})
    if (estimates[b].size() >= 20) {
      pick = b;
      break;
    } else if (estimates[b].size() > estimates[pick].size()) {
      pick = b;
    }
  BurstFit f;
  if (estimates[pick].empty()) return f;
  const std::vector<double> x = sorted(std::move(estimates[pick]));
  f.seconds = quantile(x, 0.5);
  f.quartiles = {quantile(x, 0.25), quantile(x, 0.75)};
  f.n = x.size();
  static const char* const kNames[] = {"requests", "input-tokens", "output-tokens", "tokens"};
  f.budget = kNames[pick];
  return f;
}

LatencyFit fit_latency(const AttemptsLog& log, const std::vector<std::uint32_t>& mine) {
  std::vector<double> latency, ttft, output, prompt;
  for (const std::uint32_t i : mine) {
    const LoggedAttempt& a = log.attempts[i];
    if (!a.ok() || !a.has_usage || std::isnan(a.latency)) continue;
    latency.push_back(a.latency);
    ttft.push_back(a.ttft);
    output.push_back(static_cast<double>(a.output_tokens));
    prompt.push_back(static_cast<double>(std::max<std::int64_t>(0, a.prompt())));
  }
  const std::size_t successes = latency.size();
  // The fits need no more than 200,000 successes: take every k-th beyond that.
  constexpr std::size_t kMostRows = 200'000;
  if (latency.size() > kMostRows) {
    const std::size_t step = (latency.size() + kMostRows - 1) / kMostRows;
    std::size_t kept = 0;
    for (std::size_t i = 0; i < latency.size(); i += step, ++kept) {
      latency[kept] = latency[i];
      ttft[kept] = ttft[i];
      output[kept] = output[i];
      prompt[kept] = prompt[i];
    }
    latency.resize(kept);
    ttft.resize(kept);
    output.resize(kept);
    prompt.resize(kept);
  }
  LatencyFit f;
  f.n = successes;
  const std::size_t n = latency.size();
  if (n < 3) return f;
  const std::size_t with_ttft = static_cast<std::size_t>(std::count_if(ttft.begin(), ttft.end(), [](double v) { return !std::isnan(v); }));
  std::vector<double> first_token;
  if (with_ttft * 2 >= n) {
    // Streaming logs: the time after the first token is the output's.
    f.measured_ttft = true;
    std::vector<double> after, out;
    for (std::size_t i = 0; i < n; ++i)
      if (!std::isnan(ttft[i])) {
        first_token.push_back(ttft[i]);
        after.push_back(latency[i] - ttft[i]);
        out.push_back(output[i]);
      }
    const LinearFit lf = robust_linear_fit({out}, after);
    if (lf.beta[0] > 0) {
      f.output_tps = 1 / lf.beta[0];
      const double lo = lf.beta[0] + 1.96 * lf.std_error[0], hi = lf.beta[0] - 1.96 * lf.std_error[0];
      f.output_tps_ci = {1 / lo, hi > 0 ? 1 / hi : 0};
    }
  } else {
    // duration = ttft + prompt / prefill_tps + output / output_tps: the slopes are the inverse
    // speeds and what is left of each duration is its time to first token.
    const std::vector<double> ones(n, 1.0);
    LinearFit lf = robust_linear_fit({ones, output, prompt}, latency);
    const bool prefill = lf.beta[2] > 0 && lf.beta[2] > 4 * lf.std_error[2];
    if (!prefill) lf = robust_linear_fit({ones, output}, latency);
    if (lf.beta[1] > 0) {
      f.output_tps = 1 / lf.beta[1];
      const double lo = lf.beta[1] + 1.96 * lf.std_error[1], hi = lf.beta[1] - 1.96 * lf.std_error[1];
      f.output_tps_ci = {1 / lo, hi > 0 ? 1 / hi : 0};
    }
    if (prefill) {
      f.prefill_tps = 1 / lf.beta[2];
      const double lo = lf.beta[2] + 1.96 * lf.std_error[2], hi = lf.beta[2] - 1.96 * lf.std_error[2];
      f.prefill_tps_ci = {1 / lo, hi > 0 ? 1 / hi : 0};
    }
    for (std::size_t i = 0; i < n; ++i) {
      double t = latency[i] - (lf.beta[1] > 0 ? lf.beta[1] * output[i] : 0);
      if (prefill) t -= lf.beta[2] * prompt[i];
      first_token.push_back(t);
    }
  }
  f.ttft = fit_lognormal(first_token);
  const std::vector<double> x = sorted(first_token);
  for (int k = 1; k <= 99; ++k) {
    const double p = (k - 0.5) / 99.0;
    f.qq.push_back({f.ttft.median * std::exp(f.ttft.sigma * normal_quantile(p)), quantile(x, p)});
  }
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double F = x[i] > 0 && f.ttft.sigma > 0 ? normal_cdf(std::log(x[i] / f.ttft.median) / f.ttft.sigma) : 0;
    const double size = static_cast<double>(x.size());
    f.ks = std::max({f.ks, std::abs(F - static_cast<double>(i + 1) / size), std::abs(F - static_cast<double>(i) / size)});
  }
  return f;
}

OverloadFit fit_overload(const AttemptsLog& log, const std::vector<std::uint32_t>& mine) {
  OverloadFit f;
  const auto minutes = static_cast<std::size_t>(log.span() / 60) + 1;
  std::vector<std::uint64_t> sent(minutes), r529(minutes);
  for (const std::uint32_t i : mine) {
    const LoggedAttempt& a = log.attempts[i];
    const auto m = static_cast<std::size_t>(a.time / 60);
    ++f.attempts;
    ++sent[m];
    if (a.status == 529) {
      ++f.r529;
      ++r529[m];
    }
  }
  const double overall = f.attempts ? static_cast<double>(f.r529) / static_cast<double>(f.attempts) : 0;
  // An incident: consecutive minutes with at least 5 529s at ten times the overall share (and
  // at least 5%).
  const auto hot = [&](std::size_t m) {
    return r529[m] >= 5 && static_cast<double>(r529[m]) >= std::max(10 * overall, 0.05) * static_cast<double>(sent[m]);
  };
  std::uint64_t quiet_sent = 0, quiet_529 = 0;
  for (std::size_t m = 0; m < minutes;) {
    if (!hot(m)) {
      quiet_sent += sent[m];
      quiet_529 += r529[m];
      ++m;
      continue;
    }
    std::size_t e = m;
    std::uint64_t s = 0, r = 0;
    for (; e < minutes && hot(e); ++e) {
      s += sent[e];
      r += r529[e];
    }
    f.incidents.push_back(Incident{.at = static_cast<double>(m) * 60, .length = static_cast<double>(e - m) * 60,
                                   .rate = static_cast<double>(r) / static_cast<double>(s)});
    m = e;
  }
  f.rate = quiet_sent ? static_cast<double>(quiet_529) / static_cast<double>(quiet_sent) : 0;
  f.ci = wilson(quiet_529, quiet_sent);
  for (Incident& i : f.incidents) i.rate = std::max(0.0, i.rate - f.rate);
  return f;
}

AccelerationEvidence acceleration_evidence(const AttemptsLog& log, const std::vector<std::uint32_t>& mine,
                                           const std::vector<LimitCause>& causes) {
  AccelerationEvidence e;
  std::vector<double> sent;  // this model's send times, in order (the log is sorted by time)
  sent.reserve(mine.size());
  for (const std::uint32_t i : mine) sent.push_back(log.attempts[i].time);
  const auto sent_between = [&](double from, double to) {
    return static_cast<double>(std::lower_bound(sent.begin(), sent.end(), to) - std::lower_bound(sent.begin(), sent.end(), from));
  };
  std::vector<double> rises;
  for (const std::uint32_t i : mine) {
    const LoggedAttempt& a = log.attempts[i];
    if (a.status != 429) continue;
    ++e.r429;
    if (causes[i] != LimitCause::kAcceleration) continue;
    if (a.named_cause == LimitCause::kAcceleration) ++e.named;
    else ++e.with_room;
    AccelerationEvidence::Example x{.time = a.time,
                                     .last_minute = sent_between(a.time - 60, a.time),
                                     .baseline = sent_between(a.time - 660, a.time - 60) / 10};
    if (x.baseline > 0) rises.push_back(x.last_minute / x.baseline);
    if (e.examples.size() < 10) e.examples.push_back(x);
  }
  if (!rises.empty()) e.median_rise = quantile(sorted(rises), 0.5);
  return e;
}

/// A retry preset as a log can show it.
struct RetryShape {
  std::string_view name;
  std::uint32_t max_retries;
  double base;         ///< seconds
  std::string_view jitter;
  bool obeys;          ///< waits for retry-after (when it has one)
};

/// The retry presets calibrate proposes, in the order of their table.
std::vector<RetryShape> fitted_retry_presets() {
  std::vector<RetryShape> out;
  for (const scenario::RetryPreset& p : scenario::retry_presets()) {
    if (!p.fitted) continue;
    const models::client::RetryConfig c = p.settings();
    std::string_view jitter;
    for (const auto& j : models::client::kJitters)
      if (j.value == c.jitter) jitter = j.name;
    out.push_back({.name = p.name, .max_retries = c.max_retries, .base = kernel::to_seconds(c.base), .jitter = jitter,
                   .obeys = c.retry_after != models::client::RetryAfterPolicy::kIgnore});
  }
  return out;
}

RetryFit fit_retry(const AttemptsLog& log, const std::vector<LoggedRequest>& all, const StreamFit& stream) {
  RetryFit f;
  std::uint64_t total = 0;
  std::map<std::uint32_t, std::vector<double>> gaps;  // by retry number (0: the first retry)
  std::vector<std::pair<std::uint32_t, double>> after_ignored;  // gaps after a retry-after not waited for
  for (const LoggedRequest& r : all) {
    if (!stream.takes(r)) continue;
    ++f.requests;
    const auto attempts = static_cast<std::uint32_t>(r.attempt_index.size());
    total += attempts;
    f.max_attempts = std::max(f.max_attempts, attempts);
    if (attempts > 1) ++f.retried;
    if (!r.ok) ++f.gave_up;
    for (std::size_t k = 1; k < r.attempt_index.size(); ++k) {
      const LoggedAttempt& prev = log.attempts[r.attempt_index[k - 1]];
      const LoggedAttempt& next = log.attempts[r.attempt_index[k]];
      const double gap = std::max(0.0, next.time - prev.end());
      const auto retry = static_cast<std::uint32_t>(k - 1);
      if (!std::isnan(prev.retry_after)) {
        ++f.after_retry_after;
        const double ra = prev.retry_after;
        if (gap < ra - 0.05) {
          ++f.early;
          after_ignored.emplace_back(retry, gap);
        } else if (gap <= ra + std::max(0.25, 0.1 * ra)) {
          ++f.obeyed;
        }
      } else {
        gaps[retry].push_back(gap);
      }
    }
  }
  f.mean_attempts = f.requests ? static_cast<double>(total) / static_cast<double>(f.requests) : 0;
  // A client that does not wait for retry-after backs off the same way after every failure.
  if (f.after_retry_after && f.early * 2 > f.after_retry_after)
    for (const auto& [retry, gap] : after_ignored) gaps[retry].push_back(gap);
  for (const auto& [retry, g] : gaps) f.backoff_gaps += g.size();
  // The backoff before retry k is at most base · 2^k, capped: the largest gap at each k
  // estimates it; the spread below it tells the jitter.
  if (gaps.count(0) && gaps[0].size() >= 5) {
    f.base = *std::max_element(gaps[0].begin(), gaps[0].end());
    double lowest_share = 1;
    std::uint64_t counted = 0;
    for (const auto& [retry, g] : gaps) {
      if (g.size() < 5) continue;
      const double top = *std::max_element(g.begin(), g.end());
      if (top < 0.8 * f.base * std::pow(2.0, retry)) f.cap = std::max(f.cap, top);
      if (top > 0) {
        const std::vector<double> s = sorted(g);
        lowest_share = std::min(lowest_share, quantile(s, 0.02) / top);
        counted += g.size();
      }
    }
    if (counted >= 10)
      f.jitter = lowest_share < 0.3 ? "full" : lowest_share < 0.65 ? "equal" : lowest_share < 0.97 ? "sdk" : "none";
  }
  // Which official client's defaults fit.
  if (f.retried == 0) {
    f.preset = "";
    f.why = f.gave_up ? "no request was sent twice: no retries" : "no failures to retry";
    return f;
  }
  const std::uint32_t retries = f.max_attempts - 1;
  const bool ignores = f.after_retry_after >= 5 && f.early * 2 > f.after_retry_after;
  for (const RetryShape& p : fitted_retry_presets()) {
    if (retries > p.max_retries) continue;
    if ((p.obeys && ignores) || (!p.obeys && f.after_retry_after >= 5 && !ignores)) continue;
    if (f.base > 0 && std::abs(f.base - p.base) > 0.3 * p.base) continue;
    if (!f.jitter.empty() && f.jitter != p.jitter) continue;
    f.preset = p.name;
    f.why = fmt::format("at most {} retries seen ({} allows {}){}{}{}", retries, p.name, p.max_retries,
                        f.after_retry_after ? fmt::format(", retry-after {} in {} of {}", p.obeys ? "waited for" : "not waited for",
                                                          report::with_separators(p.obeys ? f.obeyed : f.early),
                                                          report::with_separators(f.after_retry_after))
                                            : std::string(),
                        f.base > 0 ? fmt::format(", first backoff up to {:.3g} s", f.base) : std::string(),
                        f.jitter.empty() ? std::string() : fmt::format(", {} jitter", f.jitter));
    break;
  }
  if (f.preset.empty()) f.why = "no official client's defaults fit: an explicit retry layer";
  return f;
}

StreamFit fit_stream(const AttemptsLog& log, const std::vector<LoggedRequest>& all, const Inference& inference, StreamFit f) {
  std::vector<double> input, input_above, output, max_tokens, cached, waits;
  std::vector<std::uint64_t> per_model(log.models.size());
  std::vector<std::pair<double, int>> edges;  // +1 at first send, -1 at last end
  for (std::size_t i = 0; i < all.size(); ++i) {
    const LoggedRequest& r = all[i];
    if (!f.takes(r)) continue;
    // The prompts as inference.hpp fits them: what each request's first attempt shows.
    if (inference.fit_exact[i] >= 0) input.push_back(inference.fit_exact[i]);
    if (inference.fit_above[i] >= 0) input_above.push_back(inference.fit_above[i]);
    ++f.requests;
    if (r.queued > 0.001) waits.push_back(r.queued);
    edges.emplace_back(r.arrival + r.queued, 1);
    edges.emplace_back(r.end - 0.0005, -1);  // logged times are rounded: an end may show just after the next send
    ++per_model[r.model];
    if (r.max_tokens >= 0) max_tokens.push_back(static_cast<double>(r.max_tokens));
    if (r.output >= 0) output.push_back(static_cast<double>(r.output));
    if (r.cached > 0) cached.push_back(static_cast<double>(r.cached));
  }
  f.model = static_cast<std::uint16_t>(std::max_element(per_model.begin(), per_model.end()) - per_model.begin());
  f.input = fit_sizes_censored(input, input_above);
  f.output = fit_sizes(output);
  f.max_tokens = fit_sizes(max_tokens);
  f.cached_requests = cached.size();
  if (!cached.empty()) f.cached_prefix = quantile(sorted(cached), 0.5);
  f.retry = fit_retry(log, all, f);
  f.queued = waits.size();
  if (!waits.empty()) f.queued_median = quantile(sorted(waits), 0.5);
  std::sort(edges.begin(), edges.end());  // at equal times, ends (-1) first
  int inside = 0;
  for (const auto& [t, step] : edges) {
    inside += step;
    f.most_in_progress = std::max(f.most_in_progress, static_cast<std::uint32_t>(std::max(0, inside)));
  }
  return f;
}

}  // namespace

Calibration calibrate(const AttemptsLog& log, bool per_model) {
  Calibration c;
  c.files = log.files;
  c.attempts = log.attempts.size();
  c.skipped = log.skipped;
  c.span = log.span();
  c.epoch = log.epoch;
  c.model_names = log.models;
  c.workload_names = log.workloads;
  c.logical = logical_requests(log);
  c.requests = c.logical.size();
  c.inference = infer(log, c.logical);
  std::vector<std::vector<std::uint32_t>> by_model(log.models.size());
  for (std::uint32_t i = 0; i < log.attempts.size(); ++i) by_model[log.attempts[i].model].push_back(i);
  for (std::size_t m = 0; m < log.models.size(); ++m) {
    const std::vector<std::uint32_t>& mine = by_model[m];
    ModelFit f;
    f.name = log.models[m];
    f.attempts = mine.size();
    f.limits = fit_limits(log, mine);
    f.burst = fit_burst(log, mine);
    f.latency = fit_latency(log, mine);
    f.overload = fit_overload(log, mine);
    f.acceleration = acceleration_evidence(log, mine, c.inference.cause);
    f.causes = c.inference.causes[m];
    for (const LoggedRequest& r : c.logical)
      if (r.model == m) {
        ++f.requests;
        if (r.ok) ++f.ok;
      }
    for (const PresetLimits& p : preset_limits()) {
      if (p.model != f.name) continue;
      bool same = true;
      for (std::size_t b = 0; b < models::kBudgetCount; ++b)
        if (f.limits[b].limit != p.limits[b]) same = false;
      if (same) {
        f.preset = p.preset;
        break;
      }
    }
    c.models.push_back(std::move(f));
  }
  // Streams: the log's workloads when it names them, else one per model or the whole log.
  std::vector<bool> tagged(log.workloads.size());
  for (const LoggedRequest& r : c.logical) tagged[r.workload] = true;
  if (log.workloads.size() > 1) {
    for (std::size_t w = 0; w < log.workloads.size(); ++w)
      if (tagged[w])
        c.streams.push_back(fit_stream(log, c.logical, c.inference, StreamFit{.name = w ? log.workloads[w] : "untagged", .workload = static_cast<int>(w)}));
  } else if (per_model) {
    for (std::size_t m = 0; m < log.models.size(); ++m)
      c.streams.push_back(fit_stream(log, c.logical, c.inference, StreamFit{.name = log.models[m], .only_model = static_cast<int>(m)}));
  } else {
    c.streams.push_back(fit_stream(log, c.logical, c.inference, StreamFit{.name = "logged"}));
  }
  const auto unique = [](const std::vector<std::string>& names) {
    std::vector<std::string> ids;
    for (const std::string& n : names) {
      std::string id = scenario_name(n);
      for (int k = 2; std::find(ids.begin(), ids.end(), id) != ids.end(); ++k) id = scenario_name(n) + "-" + std::to_string(k);
      ids.push_back(id);
    }
    return ids;
  };
  c.model_ids = unique(c.model_names);
  std::vector<std::string> stream_names;
  for (const StreamFit& st : c.streams) stream_names.push_back(st.name);
  c.stream_ids = unique(stream_names);
  return c;
}

bool shows_acceleration(const Calibration& c) {
  std::uint64_t acceleration = 0, r429 = 0;
  for (const ModelFit& m : c.models) {
    acceleration += m.causes[models::index(LimitCause::kAcceleration)];
    r429 += m.acceleration.r429;
  }
  return acceleration >= 3 && acceleration * 100 >= r429;
}

std::string scenario_name(std::string_view name) {
  std::string out;
  for (const char ch : name) {
    const auto u = static_cast<unsigned char>(ch);
    out += std::isalnum(u) || ch == '-' || ch == '_' ? ch : '-';
  }
  if (out.empty() || out[0] == '-') out.insert(0, "m");
  return out;
}

const std::vector<PresetLimits>& preset_limits() {
  static const std::vector<PresetLimits> all = [] {
    std::vector<PresetLimits> out;
    for (const scenario::Preset& p : scenario::presets()) {
      const auto preset = scenario::preset_provider(std::string(p.name));
      for (const auto& m : preset->config.models)
        for (const auto& g : preset->config.groups) {
          if (g.name != m.group) continue;
          PresetLimits pl{.preset = std::string(p.name), .model = m.name, .group = g.name,
                          .superseded = preset->superseded.has_value()};
          for (std::size_t b = 0; b < models::kBudgetCount; ++b) pl.limits[b] = g.limits.at(b).value_or(0);
          out.push_back(pl);
        }
    }
    return out;
  }();
  return all;
}

}  // namespace ratesim::calibrate
