#include "sim/calibrate/calibrate_output.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "sim/report/number_format.hpp"
#include "sim/report/rfc3339.hpp"

namespace ratesim::calibrate {
namespace {

using nlohmann::ordered_json;
using report::readable;
using report::with_separators;


/// A duration as the scenario file writes it: "612ms", "1.25s", "2h15m".
std::string duration(double s) {
  if (s < 1) return fmt::format("{:.3g}ms", s * 1000);
  if (s < 600) return fmt::format("{:.3g}s", s);
  const auto minutes = static_cast<long long>(std::ceil(s / 60));
  if (minutes % 60 == 0) return fmt::format("{}h", minutes / 60);
  return minutes >= 60 ? fmt::format("{}h{}m", minutes / 60, minutes % 60) : fmt::format("{}m", minutes);
}

std::string count(std::uint64_t n) { return with_separators(n); }

std::string sig(double v) { return fmt::format("{:.4g}", v); }


/// The preset to lay under the fitted provider: the tier whose limits equal the log's for the
/// most models; failing that, the tier nearest to the log's limits (they are replaced).
struct PresetChoice {
  std::string name;
  bool exact = false;
};

PresetChoice choose_preset(const Calibration& c) {
  std::map<std::string, std::size_t> exact;
  for (const ModelFit& m : c.models)
    if (!m.preset.empty()) ++exact[m.preset];
  // Nearest: among the current tiers only (a superseded one is named only when its limits are
  // exactly the log's).
  if (!exact.empty()) {
    const auto best = std::max_element(exact.begin(), exact.end(), [](auto& a, auto& b) { return a.second < b.second; });
    return {best->first, best->second == c.models.size()};
  }
  double nearest = 1e300;
  PresetChoice choice;
  for (const PresetLimits& p : preset_limits()) {
    if (p.superseded) continue;
    for (const ModelFit& m : c.models) {
      if (p.model != m.name) continue;
      double d = 0;
      for (std::size_t b = 0; b < models::kBudgetCount; ++b)
        if (m.limits[b].limit > 0 && p.limits[b] > 0)
          d += std::abs(std::log(static_cast<double>(m.limits[b].limit) / static_cast<double>(p.limits[b])));
      if (d < nearest) {
        nearest = d;
        choice.name = p.preset;
      }
    }
  }
  return choice;
}

/// The preset's group of `model`; empty when the preset does not have the model.
std::string preset_group(const std::string& preset, const std::string& model) {
  for (const PresetLimits& p : preset_limits())
    if (p.preset == preset && p.model == model) return p.group;
  return {};
}

std::string limits_yaml(const ModelFit& m) {
  std::string out;
  for (std::size_t b = 0; b < models::kBudgetCount; ++b)
    if (m.limits[b].limit > 0) out += fmt::format("{}{}: {}", out.empty() ? "" : ", ", models::kCauses[b].name, m.limits[b].limit);
  return "{" + out + "}";
}

std::string limits_evidence(const ModelFit& m) {
  std::uint64_t n = 0, changed = 0;
  for (const LimitFit& l : m.limits) {
    n = std::max(n, l.n);
    if (l.distinct > 1) ++changed;
  }
  if (n == 0) return "no *-limit headers in the log: assumed";
  return fmt::format("the *-limit headers of {} responses{}", count(n),
                     changed ? " (they changed during the log: the most frequent value)" : "");
}

std::int64_t typical_max_tokens(const Calibration& c, std::uint16_t model) { return c.inference.largest_max_tokens[model]; }

/// A model's 429s by inferred cause, in words: "itpm 20,440, otpm 4,643, unknown 12".
std::string causes_text(const CauseCounts& causes) {
  std::string out;
  for (std::size_t i = 0; i < causes.size(); ++i) {
    if (causes[i] == 0) continue;
    const std::string_view name = i < models::kLimitCauseCount ? models::name(static_cast<models::LimitCause>(i)) : "unknown";
    out += fmt::format("{}{} {}", out.empty() ? "" : ", ", name, count(causes[i]));
  }
  return out.empty() ? "none" : out;
}

/// A client-side queue shows as requests waiting between arrival and first send (the log's
/// `arrival` field); the most requests ever in progress at once is then the gate's size.
bool gated(const StreamFit& s) { return s.queued >= std::max<std::uint64_t>(5, s.requests / 100) && s.most_in_progress > 0; }

void write_client(std::string& y, const StreamFit& s, const char* indent) {
  const RetryFit& r = s.retry;
  if (r.retried == 0 && !gated(s)) {
    y += fmt::format("{}# no client layers: {}\n", indent, r.why);
    return;
  }
  y += fmt::format("{}client:\n", indent);
  if (gated(s))
    y += fmt::format("{}  - semaphore: {{limit: {}}}   # {} requests waited before their first attempt (median {}); at most {} "
                     "were in progress at once (first send to last end); its place outside retry is assumed\n",
                     indent, s.most_in_progress, count(s.queued), duration(s.queued_median), s.most_in_progress);
  if (r.retried == 0) return;
  if (!r.preset.empty()) {
    y += fmt::format("{}  - retry: {{preset: {}}}   # {}\n", indent, r.preset, r.why);
    return;
  }
  const bool obey = r.after_retry_after == 0 || r.early * 2 <= r.after_retry_after;
  y += fmt::format("{}  - retry:   # {}\n", indent, r.why);
  y += fmt::format("{}      max_retries: {}   # the most attempts of one request: {}\n", indent, r.max_attempts - 1, r.max_attempts);
  if (r.base > 0) y += fmt::format("{}      base: {}   # the longest first backoff ({} gaps without retry-after)\n", indent, duration(r.base), count(r.backoff_gaps));
  else y += fmt::format("{}      base: 1s   # assumed: no backoff without retry-after in the log\n", indent);
  if (r.cap > 0) y += fmt::format("{}      cap: {}   # later backoffs stop growing there\n", indent, duration(r.cap));
  if (!r.jitter.empty()) y += fmt::format("{}      jitter: {}   # from the spread of the gaps\n", indent, r.jitter);
  y += fmt::format("{}      honor_retry_after: {}   # {} of {} retries after a retry-after waited for it, {} came earlier\n",
                   indent, obey ? "true" : "false", count(r.obeyed), count(r.after_retry_after), count(r.early));
}

/// The file's opening comments, name, seed and duration.
std::string header_section(const Calibration& c, const FittedOptions& o) {
  std::string y;
  std::string files;
  for (const std::string& f : c.files) {
    const std::size_t slash = f.find_last_of('/');
    if (!files.empty()) files += ", ";
    files += slash == std::string::npos ? f : f.substr(slash + 1);
  }
  y += fmt::format("# Fitted by `ratesim calibrate` from {}: {} attempts of {} requests over {}\n", files,
                   count(c.attempts), count(c.requests), duration(c.span));
  y += fmt::format("# (from {}). Beside each value: the evidence it rests on (n, a 95% interval).\n",
                   report::format_rfc3339(c.epoch, 3));
  y += "# Values not in a log (prices, the spend limit) come from the preset or are marked assumed.\n";
  y += fmt::format("name: {}\nseed: 1\n", o.name);
  y += fmt::format("duration: {}   # the log's span plus 10 minutes for the last retries\n\n", duration(c.span + 600));

  return y;
}

/// provider: the preset, the bucket, 529s and acceleration.
std::string provider_section(const Calibration& c, const FittedOptions& o, const PresetChoice& preset) {
  std::string y;
  y += "provider:\n";
  if (!preset.name.empty())
    y += fmt::format("  preset: {}   # {}\n", preset.name,
                     preset.exact ? "its limits equal the log's; prices and what is not fitted below come from it"
                                  : "the nearest tier; its limits are replaced by the log's below");
  // The bucket size: the model with the most evidence.
  const ModelFit* burst = nullptr;
  for (const ModelFit& m : c.models)
    if (!burst || m.burst.n > burst->burst.n) burst = &m;
  if (burst && burst->burst.n > 0)
    y += fmt::format("  burst: {}   # token-bucket size: median of {} remaining/reset pairs of the {} budget (quartiles {} to {})\n",
                     duration(burst->burst.seconds), count(burst->burst.n), burst->burst.budget,
                     duration(burst->burst.quartiles.low), duration(burst->burst.quartiles.high));
  else
    y += "  # burst: not fitted (no remaining/reset header pairs while a bucket refilled)\n";
  // Overload and acceleration: summed over models.
  OverloadFit overload;
  AccelerationEvidence acc;
  for (const ModelFit& m : c.models) {
    overload.r529 += m.overload.r529;
    overload.attempts += m.overload.attempts;
    acc.r429 += m.acceleration.r429;
    acc.named += m.acceleration.named;
    acc.with_room += m.acceleration.with_room;
    acc.median_rise = std::max(acc.median_rise, m.acceleration.median_rise);
    for (const Incident& i : m.overload.incidents) overload.incidents.push_back(i);
  }
  if (overload.r529 > 0) {
    std::uint64_t quiet_529 = 0, quiet = 0;
    for (const ModelFit& m : c.models) {
      quiet_529 += static_cast<std::uint64_t>(std::llround(m.overload.rate * static_cast<double>(m.overload.attempts)));
      quiet += m.overload.attempts;
    }
    const double rate = quiet ? static_cast<double>(quiet_529) / static_cast<double>(quiet) : 0;
    const Interval ci = wilson(quiet_529, quiet);
    y += "  overload:\n";
    y += fmt::format("    rate: {}   # 529s: {} of {} attempts in all (95% outside incidents: {} to {})\n", sig(rate),
                     count(overload.r529), count(overload.attempts), sig(ci.low), sig(ci.high));
    if (!overload.incidents.empty()) {
      y += "    incidents:   # minutes with at least 5 529s and ten times the usual share\n";
      for (const Incident& i : overload.incidents)
        y += fmt::format("      - {{at: {}, for: {}, rate: {}}}\n", duration(i.at), duration(i.length), sig(i.rate));
    }
  } else {
    y += fmt::format("  # overload: none (no 529 in {} attempts)\n", count(overload.attempts));
  }
  const std::uint64_t evidence = acc.named + acc.with_room;
  if (!o.acceleration_line.empty())
    y += "  " + o.acceleration_line + "\n";
  else if (shows_acceleration(c))
    y += fmt::format("  acceleration: {{profile: moderate}}   # assumed profile; evidence: {} of {} 429s {}"
                     "{}; its thresholds cannot be read from a log (calibrate --fit-acceleration chooses them by replaying it; "
                     "the variant no-acceleration is the what-if without)\n",
                     count(evidence), count(acc.r429), acc.named ? "named acceleration or came with room in every budget" : "came with room in every budget",
                     acc.median_rise > 0 ? fmt::format(", after traffic rose a median {:.2g}x over the ten minutes before", acc.median_rise) : "");
  else if (evidence > 0)
    y += fmt::format("  acceleration: off   # only {} of {} 429s came with room in every budget (under 1%: what a few misread "
                     "remainders produce); the variant moderate-acceleration is the what-if with it\n", count(evidence), count(acc.r429));
  else
    y += fmt::format("  acceleration: off   # no 429 needs acceleration to explain it ({} 429s, none with room in every budget); "
                     "the variant moderate-acceleration is the what-if with it\n", count(acc.r429));
  return y;
}

/// provider.groups and provider.models: limits and latency per model.
std::string models_section(const Calibration& c, const PresetChoice& preset) {
  std::string y;
  // Limits: under the preset's group when the preset knows the model (its models share the
  // group's budgets), else on the model.
  std::string models, groups;
  std::vector<std::string> groups_written;
  for (std::size_t i = 0; i < c.models.size(); ++i) {
    const ModelFit& m = c.models[i];
    const std::string group = preset.name.empty() ? std::string() : preset_group(preset.name, m.name);
    const bool known = !group.empty();
    std::string body;  // the model's keys (and comments)
    if (m.acceleration.r429)
      body += fmt::format("      # its {} 429s by cause (inferred where the message names none): {}\n", count(m.acceleration.r429),
                          causes_text(m.causes));
    const bool has_limits = std::any_of(m.limits.begin(), m.limits.end(), [](const LimitFit& l) { return l.limit > 0; });
    if (!has_limits) {
      body += fmt::format("      # limits: none in the log{}\n", known ? ": the preset's" : "");
    } else if (!known) {
      body += fmt::format("      limits: {}   # {}\n", limits_yaml(m), limits_evidence(m));
    } else if (std::find(groups_written.begin(), groups_written.end(), group) == groups_written.end()) {
      groups_written.push_back(group);
      groups += fmt::format("    {}: {{limits: {}}}   # {}'s: {}\n", group, limits_yaml(m), m.name, limits_evidence(m));
    } else {
      body += fmt::format("      # limits: {} in the log; its group {} takes another model's above\n", limits_yaml(m), group);
    }
    if (!known)
      body += "      price: {input: 0, output: 0}   # assumed: not in the log and not in a preset; set your prices (USD per million tokens)\n";
    const LatencyFit& l = m.latency;
    if (l.n >= 3 && l.output_tps > 0) {
      body += "      latency:\n";
      body += fmt::format("        ttft: {{lognormal: {{median: {}, sigma: {:.3f}}}}}   # {} successes{}; median 95%: {} to {}; KS {:.3f}\n",
                            duration(l.ttft.median), l.ttft.sigma, count(l.n),
                            l.measured_ttft ? ", from ttft_s" : ": duration minus output / output_tps (robust least squares)",
                            duration(l.ttft.median_ci.low), duration(l.ttft.median_ci.high), l.ks);
      body += fmt::format("        output_tps: {}   # 95%: {} to {}\n", sig(l.output_tps), sig(l.output_tps_ci.low),
                            l.output_tps_ci.high > 0 ? sig(l.output_tps_ci.high) : std::string("unbounded"));
      if (l.prefill_tps)
        body += fmt::format("        prefill_tps: {}   # the prompt's share of the duration; 95%: {} to {}\n", sig(*l.prefill_tps),
                              sig(l.prefill_tps_ci.low), l.prefill_tps_ci.high > 0 ? sig(l.prefill_tps_ci.high) : std::string("unbounded"));
    } else {
      body += fmt::format("      # latency: not fitted ({} successes with usage and latency_s){}\n", count(l.n),
                            known ? ": the preset's" : "");
      if (!known) body += "      latency: {ttft: 1s, output_tps: 50}   # assumed\n";
    }
    // Only comments: the model is the preset's as it stands.
    bool keys = false;
    for (std::size_t at = 0; at < body.size();) {
      const std::size_t end = body.find('\n', at);
      const std::string line = body.substr(at, end - at);
      if (line.find_first_not_of(' ') != std::string::npos && line[line.find_first_not_of(' ')] != '#') keys = true;
      at = end + 1;
    }
    models += fmt::format("    {}:{}{}\n", c.model_ids[i], keys ? "" : " {}", c.model_ids[i] == m.name ? "" : "   # logged as " + m.name);
    models += body;
  }
  if (!groups.empty()) y += "  groups:\n" + groups;
  y += "  models:\n" + models;

  return y;
}

/// One workload: its arrivals (a trace, or phases with fitted sizes) and its client.
std::string workload_section(const Calibration& c, const FittedOptions& o, std::size_t k) {
  std::string y;
  const StreamFit& st = c.streams[k];
  y += fmt::format("  - name: {}\n", c.stream_ids[k]);
  if (!o.phases) {
    std::uint64_t unknown_output = 0, unknown_max = 0, bounded = 0, drawn = 0, assumed = 0;
    std::set<std::uint16_t> used;
    for (std::size_t i = 0; i < c.logical.size(); ++i) {
      const LoggedRequest& q = c.logical[i];
      if (!st.takes(q)) continue;
      used.insert(q.model);
      if (q.output < 0) ++unknown_output;
      if (q.max_tokens < 0) ++unknown_max;
      const PromptSource source = c.inference.prompt_source[i];
      if (source == PromptSource::kBounded) ++bounded;
      if (source == PromptSource::kFitted) ++drawn;
      if (source == PromptSource::kNone) ++assumed;
    }
    y += fmt::format("    model: {}{}\n", c.model_ids[st.model], used.size() > 1 ? "   # each request's own model comes from the trace" : "");
    y += fmt::format("    trace: {{file: {}}}\n", trace_file_name(o, c, k));
    y += fmt::format("    # the trace: its {} requests, each at its arrival (the log's `arrival`, else its first send), with its\n", count(st.requests));
    y += "    # prompt, output and max_tokens as logged.";
    if (bounded || drawn || assumed) {
      y += "\n    # Prompts the log never shows (requests that never succeeded):";
      if (bounded) y += fmt::format(" {} refused for their size, drawn from the fit above the input room they were refused at;", count(bounded));
      if (drawn) y += fmt::format(" {} drawn from the model's fit;", count(drawn));
      if (assumed) y += fmt::format(" {} assumed 1000 (the log has no prompt sizes);", count(assumed));
      y.back() = '.';
    }
    if (unknown_output) y += fmt::format("\n    # Outputs: {} never succeeded, drawn from the model's successes' outputs.", count(unknown_output));
    if (unknown_max) y += fmt::format("\n    # max_tokens: {} not logged, the largest seen.", count(unknown_max));
    y += "\n";
    y += fmt::format("    # the fits for --arrivals phases: input_tokens {}, output_tokens {}\n", st.input.yaml(), st.output.yaml());
  } else {
    y += fmt::format("    model: {}{}\n", c.model_ids[st.model], st.only_model < 0 ? "   # the model most of its requests use" : "");
    y += fmt::format("    traffic:   # the log's requests per {} (exact counts at random times)\n", duration(o.phase_seconds));
    const auto phases = static_cast<std::size_t>(std::ceil(std::max(c.span, 1.0) / o.phase_seconds));
    std::vector<std::uint64_t> n(phases);
    for (const LoggedRequest& q : c.logical)
      if (st.takes(q)) ++n[std::min(phases - 1, static_cast<std::size_t>(q.arrival / o.phase_seconds))];
    for (std::size_t i = 0; i < phases; ++i) {
      // Runs of equal counts become one phase.
      std::size_t e = i;
      while (e + 1 < phases && n[e + 1] == n[i]) ++e;
      const double length = static_cast<double>(e - i + 1) * o.phase_seconds;
      if (n[i] == 0) y += fmt::format("      - {{for: {}, pause: true}}\n", duration(length));
      else y += fmt::format("      - {{for: {}, count: {}}}\n", duration(length), n[i] * (e - i + 1));
      i = e;
    }
    const auto fit_note = [](const SizeFit& f, const char* what) {
      if (f.kind == "constant") return fmt::format("{} {}, all equal", count(f.n), what);
      if (f.censored)
        return fmt::format("{} {}, {} of them known only to exceed the room their first attempt was refused at (censored maximum likelihood); KS {:.3f} "
                           "against the Kaplan-Meier estimate", count(f.n), what, count(f.censored), f.ks);
      return fmt::format("{} {}; KS {:.3f} (1% critical {:.3f}){}", count(f.n), what, f.ks, f.ks_critical,
                         f.kind == "empirical" ? ": no parametric form fits" : "");
    };
    if (st.input.n) y += fmt::format("    input_tokens: {}   # {}\n", st.input.yaml(), fit_note(st.input, "prompts"));
    else y += "    input_tokens: 1000   # assumed: the log has no input_tokens or usage\n";
    y += fmt::format("    output_tokens: {}   # {}\n", st.output.n ? st.output.yaml() : "1",
                     st.output.n ? fit_note(st.output, "outputs of successes") : "assumed: no success in the log");
    if (st.max_tokens.n) y += fmt::format("    max_tokens: {}   # {}\n", st.max_tokens.yaml(), fit_note(st.max_tokens, "requests' max_tokens"));
    else y += fmt::format("    max_tokens: {}   # assumed: the log has no max_tokens (the largest output seen)\n", typical_max_tokens(c, st.model));
    if (st.cached_requests)
      y += fmt::format("    cache: {{prefix_tokens: {}}}   # median cached tokens of {} successes that read or wrote the cache\n",
                       static_cast<long long>(std::llround(st.cached_prefix)), count(st.cached_requests));
  }
  write_client(y, st, "    ");

  return y;
}

/// What-ifs to compare the fit against (ratesim compare FILE).
std::string variants_section(const Calibration& c, const FittedOptions& o) {
  std::string y;
  // What-ifs to compare the fit against (ratesim compare FILE): the acceleration model is the
  // one assumption a log cannot settle, and growth is the usual question.
  y += "\nvariants:\n";
  // The acceleration settings the fit did not choose, whole (a profile set on `off` would not load).
  const bool on = !o.acceleration_line.empty() ? o.acceleration_line.find("acceleration: off") == std::string::npos : shows_acceleration(c);
  if (on) y += "  no-acceleration: {provider.acceleration: off}                     # only the documented budgets\n";
  else y += "  moderate-acceleration: {provider.acceleration: {profile: moderate}}  # an assumed acceleration model on top\n";
  y += "  strict-acceleration: {provider.acceleration: {profile: strict}}\n";
  if (!o.phases) {
    y += "  traffic-x2:                                            # twice the requests, the same shape\n";
    for (const std::string& id : c.stream_ids) y += fmt::format("    workloads.{}.trace.rate_scale: 2\n", id);
  }
  return y;
}

}  // namespace

std::string fitted_scenario(const Calibration& c, const FittedOptions& o) {
  const PresetChoice preset = choose_preset(c);
  std::string y = header_section(c, o) + provider_section(c, o, preset) + models_section(c, preset);
  y += "\nworkloads:\n";
  if (c.streams.size() > 1 || c.workload_names.size() > 1)
    y += "  # one workload per workload the log names (its `workload` field)\n";
  for (std::size_t k = 0; k < c.streams.size(); ++k) y += workload_section(c, o, k);
  return y + variants_section(c, o);
}

std::string trace_file_name(const FittedOptions& o, const Calibration& c, std::size_t stream) {
  if (c.streams.size() == 1) return o.trace_stem + ".trace.csv";
  return o.trace_stem + "." + c.stream_ids[stream] + ".trace.csv";
}

std::string fitted_trace(const Calibration& c, std::size_t stream) {
  const StreamFit& st = c.streams[stream];
  const bool cached = std::any_of(c.logical.begin(), c.logical.end(), [&](const LoggedRequest& r) { return st.takes(r) && r.cached > 0; });
  std::string out = cached ? "time_s,input_tokens,output_tokens,max_tokens,model,cached_tokens\n"
                           : "time_s,input_tokens,output_tokens,max_tokens,model\n";
  for (std::size_t i = 0; i < c.logical.size(); ++i) {
    const LoggedRequest& r = c.logical[i];
    if (!st.takes(r)) continue;
    const ReplaySizes z = replay_sizes(c.inference, r, i);
    out += fmt::format("{:.6f},{},{},{},{}", r.arrival, z.prompt, z.output, z.max_tokens, c.model_ids[r.model]);
    if (cached) out += fmt::format(",{}", z.cached);
    out += '\n';
  }
  return out;
}

ordered_json calibration_json(const Calibration& c) {
  const auto r = [](double v) { return report::round_significant(v, 6); };
  const auto interval = [&](const Interval& i) { return ordered_json::array({r(i.low), r(i.high)}); };
  const auto size = [&](const SizeFit& s) {
    ordered_json j{{"form", s.kind}, {"yaml", s.yaml()}, {"n", s.n}};
    if (s.censored) j["censored"] = s.censored;
    if (s.kind != "constant") j["ks"] = ordered_json{{"distance", r(s.ks)}, {"critical_1pct", r(s.ks_critical)}};
    return j;
  };
  ordered_json j;
  j["schema"] = kCalibrateSchema;
  j["files"] = c.files;
  j["attempts"] = c.attempts;
  j["requests"] = c.requests;
  j["skipped_lines"] = c.skipped;
  j["span_s"] = r(c.span);
  j["start"] = report::format_rfc3339(c.epoch, 3);
  ordered_json models = ordered_json::array();
  for (const ModelFit& m : c.models) {
    ordered_json mj;
    mj["model"] = m.name;
    mj["attempts"] = m.attempts;
    mj["requests"] = m.requests;
    mj["ok"] = m.ok;
    ordered_json limits = ordered_json::object();
    for (std::size_t b = 0; b < models::kBudgetCount; ++b)
      if (m.limits[b].limit > 0)
        limits[std::string(models::kCauses[b].name)] = ordered_json{{"limit", m.limits[b].limit}, {"n", m.limits[b].n}, {"distinct", m.limits[b].distinct}};
    mj["limits"] = limits;
    mj["preset"] = m.preset.empty() ? ordered_json(nullptr) : ordered_json(m.preset);
    mj["burst_s"] = m.burst.n ? ordered_json{{"median", r(m.burst.seconds)}, {"quartiles", interval(m.burst.quartiles)},
                                             {"n", m.burst.n}, {"budget", m.burst.budget}}
                              : ordered_json(nullptr);
    const LatencyFit& l = m.latency;
    mj["latency"] = ordered_json{{"n", l.n},
                                 {"ttft_from", l.measured_ttft ? "ttft_s" : "intercepts"},
                                 {"ttft_median_s", r(l.ttft.median)},
                                 {"ttft_median_ci", interval(l.ttft.median_ci)},
                                 {"ttft_sigma", r(l.ttft.sigma)},
                                 {"ttft_ks", r(l.ks)},
                                 {"output_tps", r(l.output_tps)},
                                 {"output_tps_ci", interval(l.output_tps_ci)},
                                 {"prefill_tps", l.prefill_tps ? ordered_json(r(*l.prefill_tps)) : ordered_json(nullptr)}};
    ordered_json incidents = ordered_json::array();
    for (const Incident& i : m.overload.incidents)
      incidents.push_back(ordered_json{{"at_s", r(i.at)}, {"for_s", r(i.length)}, {"rate", r(i.rate)}});
    mj["overload"] = ordered_json{{"r529", m.overload.r529}, {"attempts", m.overload.attempts}, {"rate", r(m.overload.rate)},
                                  {"ci", interval(m.overload.ci)}, {"incidents", incidents}};
    const AccelerationEvidence& a = m.acceleration;
    ordered_json examples = ordered_json::array();
    for (const auto& x : a.examples)
      examples.push_back(ordered_json{{"time_s", r(x.time)}, {"requests_last_minute", r(x.last_minute)},
                                      {"requests_per_minute_before", r(x.baseline)}});
    ordered_json causes = ordered_json::object();
    for (std::size_t i = 0; i < models::kLimitCauseCount; ++i) causes[std::string(models::kCauses[i].name)] = m.causes[i];
    causes["unknown"] = m.causes[models::kLimitCauseCount];
    mj["causes"] = causes;
    mj["acceleration_evidence"] = ordered_json{{"r429", a.r429}, {"named", a.named}, {"with_room", a.with_room},
                                               {"median_rise", r(a.median_rise)}, {"examples", examples}};
    models.push_back(mj);
  }
  j["models"] = models;
  ordered_json streams = ordered_json::array();
  for (const StreamFit& st : c.streams) {
    const RetryFit& t = st.retry;
    ordered_json client{{"retried", t.retried},
                        {"gave_up", t.gave_up},
                        {"max_attempts", t.max_attempts},
                        {"mean_attempts", r(t.mean_attempts)},
                        {"after_retry_after", t.after_retry_after},
                        {"obeyed_retry_after", t.obeyed},
                        {"before_retry_after", t.early},
                        {"backoff_gaps", t.backoff_gaps},
                        {"base_s", t.base > 0 ? ordered_json(r(t.base)) : ordered_json(nullptr)},
                        {"cap_s", t.cap > 0 ? ordered_json(r(t.cap)) : ordered_json(nullptr)},
                        {"jitter", t.jitter.empty() ? ordered_json(nullptr) : ordered_json(t.jitter)},
                        {"preset", t.preset.empty() ? ordered_json(nullptr) : ordered_json(t.preset)},
                        {"why", t.why},
                        {"queued_requests", st.queued},
                        {"queued_median_s", r(st.queued_median)},
                        {"most_in_progress", st.most_in_progress}};
    streams.push_back(ordered_json{{"name", st.name},
                                   {"model", c.model_names[st.model]},
                                   {"requests", st.requests},
                                   {"sizes", ordered_json{{"input_tokens", size(st.input)}, {"output_tokens", size(st.output)},
                                                          {"max_tokens", size(st.max_tokens)}}},
                                   {"cache", ordered_json{{"requests", st.cached_requests}, {"median_cached_tokens", r(st.cached_prefix)}}},
                                   {"client", client}});
  }
  j["workloads"] = streams;
  return j;
}

std::string calibration_table(const Calibration& c) {
  std::string t = fmt::format("calibrate · {} attempts of {} requests over {}", count(c.attempts), count(c.requests), duration(c.span));
  if (c.skipped) t += fmt::format(" ({} malformed lines skipped)", count(c.skipped));
  t += "\n";
  for (const ModelFit& m : c.models) {
    t += fmt::format("\n{}  ({} attempts, {} requests, {} ok)\n", m.name, count(m.attempts), count(m.requests), count(m.ok));
    std::string limits;
    for (std::size_t b = 0; b < models::kBudgetCount; ++b)
      if (m.limits[b].limit > 0) limits += fmt::format("{}{} {}", limits.empty() ? "" : ", ", models::kCauses[b].name, with_separators(static_cast<std::uint64_t>(m.limits[b].limit)));
    t += fmt::format("  {:<14}{}{}\n", "limits", limits.empty() ? "none in the headers" : limits,
                     m.preset.empty() ? "" : "  (= " + m.preset + ")");
    if (m.burst.n)
      t += fmt::format("  {:<14}{} from {} remaining/reset pairs of the {} budget (quartiles {} to {})\n", "bucket", duration(m.burst.seconds), count(m.burst.n),
                       m.burst.budget, duration(m.burst.quartiles.low), duration(m.burst.quartiles.high));
    const LatencyFit& l = m.latency;
    if (l.n >= 3)
      t += fmt::format("  {:<14}ttft lognormal median {} (95% {} to {}), sigma {:.3f}, KS {:.3f}; output {} tok/s (95% {} to {}){}\n",
                       "latency", duration(l.ttft.median), duration(l.ttft.median_ci.low), duration(l.ttft.median_ci.high), l.ttft.sigma,
                       l.ks, sig(l.output_tps), sig(l.output_tps_ci.low), sig(l.output_tps_ci.high),
                       l.prefill_tps ? fmt::format("; prefill {} tok/s", sig(*l.prefill_tps)) : std::string());
    t += fmt::format("  {:<14}{} 529s in {} attempts ({} outside incidents){}\n", "overload", count(m.overload.r529), count(m.overload.attempts),
                     sig(m.overload.rate), m.overload.incidents.empty() ? "" : fmt::format(", {} incidents", m.overload.incidents.size()));
    t += fmt::format("  {:<14}{}{}\n", "429s", m.acceleration.r429 ? count(m.acceleration.r429) + " by cause: " : "",
                     causes_text(m.causes));
    if (m.acceleration.r429)
      t += fmt::format("  {:<14}{} name acceleration, {} came with room in every budget\n", "acceleration", count(m.acceleration.named),
                       count(m.acceleration.with_room));
  }
  for (const StreamFit& st : c.streams) {
    const RetryFit& r = st.retry;
    t += fmt::format("\n{}  ({} requests, mostly {})\n", st.name, count(st.requests), c.model_names[st.model]);
    t += fmt::format("  {:<14}input {} · output {} · max_tokens {}\n", "sizes", st.input.yaml(), st.output.yaml(), st.max_tokens.yaml());
    t += fmt::format("  {:<14}{} of {} requests retried, at most {} attempts, {:.3f} on average; {} never succeeded\n", "client",
                     count(r.retried), count(r.requests), r.max_attempts, r.mean_attempts, count(r.gave_up));
    t += fmt::format("  {:<14}{} retries followed one, {} waited for it, {} came earlier\n", "retry-after", count(r.after_retry_after),
                     count(r.obeyed), count(r.early));
    t += fmt::format("  {:<14}{} waited before their first attempt{}; at most {} in progress at once\n", "queueing", count(st.queued),
                     st.queued ? fmt::format(" (median {})", duration(st.queued_median)) : std::string(), st.most_in_progress);
    t += fmt::format("  {:<14}{} ({})\n", "fits", r.preset.empty() ? (r.retried ? "an explicit retry layer" : "no retry layer") : r.preset, r.why);
  }
  return t;
}

std::string qq_csv(const Calibration& c) {
  std::string out = "model,p,fitted_ttft_s,observed_ttft_s\n";
  for (const ModelFit& m : c.models)
    for (std::size_t k = 0; k < m.latency.qq.size(); ++k)
      out += fmt::format("{},{:.4f},{:.6g},{:.6g}\n", m.name, (static_cast<double>(k) + 0.5) / 99.0, m.latency.qq[k][0], m.latency.qq[k][1]);
  return out;
}

std::string sizes_csv(const Calibration& c) {
  std::string out = "workload,field,p,observed,fitted\n";
  for (const StreamFit& m : c.streams)
    for (const auto& [field, fit] : {std::pair<const char*, const SizeFit*>{"input_tokens", &m.input},
                                     {"output_tokens", &m.output},
                                     {"max_tokens", &m.max_tokens}})
      for (std::size_t k = 0; k < fit->observed.size(); ++k) {
        const double p = (static_cast<double>(k) + 0.5) / 99.0;
        out += fmt::format("{},{},{:.4f},{:.6g},{:.6g}\n", m.name, field, p, fit->observed[k], fit->quantile(p));
      }
  return out;
}

}  // namespace ratesim::calibrate
