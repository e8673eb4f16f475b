#include "sim/cli/backtest.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <string_view>
#include <unordered_map>

#include "sim/calibrate/calibrate.hpp"
#include "sim/cli/runner.hpp"
#include "sim/report/number_format.hpp"
#include "sim/report/summary_json.hpp"
#include "sim/scenario/input_error.hpp"

namespace ratesim::cli {
namespace {

using calibrate::LoggedAttempt;
using calibrate::LoggedRequest;
using nlohmann::ordered_json;

/// The log's requests as trace workloads of `s`, one per workload whose client they go through:
/// the workload the log names for the request, else the first that uses its model, else the first.
void replace_workloads(scenario::Scenario& s, const calibrate::AttemptsLog& log, const std::vector<LoggedRequest>& requests,
                       const calibrate::Inference& inference) {
  const auto& provider_models = s.world.provider.models;
  std::vector<int> provider_model(log.models.size(), -1);
  std::vector<std::size_t> template_of(log.models.size(), 0);
  for (std::size_t m = 0; m < log.models.size(); ++m) {
    // The log's own name, else the name calibrate gives it in a fitted scenario.
    for (std::size_t p = 0; p < provider_models.size() && provider_model[m] < 0; ++p)
      if (provider_models[p].name == log.models[m]) provider_model[m] = static_cast<int>(p);
    for (std::size_t p = 0; p < provider_models.size() && provider_model[m] < 0; ++p)
      if (provider_models[p].name == calibrate::scenario_name(log.models[m])) provider_model[m] = static_cast<int>(p);
    if (provider_model[m] < 0) {
      const auto first = std::find_if(log.attempts.begin(), log.attempts.end(), [&](const LoggedAttempt& a) { return a.model == m; });
      std::string known;
      for (const auto& pm : provider_models) {
        if (!known.empty()) known += ", ";
        known += pm.name;
      }
      throw scenario::InputError(log.files[first->file], static_cast<int>(first->line), 1,
                                 fmt::format("model '{}' is not in the scenario's provider (it has {}): add it to "
                                             "provider.models, or backtest against a scenario that has it",
                                             log.models[m], known));
    }
    for (std::size_t w = 0; w < s.world.workloads.size(); ++w)
      if (s.world.workloads[w].model == provider_models[static_cast<std::size_t>(provider_model[m])].name) {
        template_of[m] = w;
        break;
      }
  }
  // A request the log tags with a workload the scenario has goes through that workload's client.
  std::vector<int> template_of_workload(log.workloads.size(), -1);
  for (std::size_t lw = 1; lw < log.workloads.size(); ++lw)
    for (std::size_t w = 0; w < s.world.workloads.size(); ++w)
      if (s.world.workloads[w].name == log.workloads[lw] || s.world.workloads[w].name == calibrate::scenario_name(log.workloads[lw])) {
        template_of_workload[lw] = static_cast<int>(w);
        break;
      }
  std::vector<models::WorkloadConfig> replay;
  std::vector<int> replay_of(s.world.workloads.size(), -1);
  for (std::size_t i = 0; i < requests.size(); ++i) {
    const LoggedRequest& r = requests[i];
    const std::size_t t = template_of_workload[r.workload] >= 0 ? static_cast<std::size_t>(template_of_workload[r.workload])
                                                                : template_of[r.model];
    if (replay_of[t] < 0) {
      replay_of[t] = static_cast<int>(replay.size());
      models::WorkloadConfig w = s.world.workloads[t];
      w.kind = models::WorkloadConfig::Kind::kTrace;
      w.trace = models::traffic::Trace{};
      for (std::size_t m = 0; m < log.models.size(); ++m)
        w.trace.models.push_back(provider_models[static_cast<std::size_t>(provider_model[m])].name);
      replay.push_back(std::move(w));
    }
    models::WorkloadConfig& w = replay[static_cast<std::size_t>(replay_of[t])];
    constexpr std::int64_t kMaxTokens = 10'000'000;
    models::traffic::TraceRecord rec;
    rec.at = kernel::from_seconds(r.arrival);
    // The sizes the fitted trace gives the request too (a prompt never logged: drawn as
    // inference.hpp says).
    const calibrate::ReplaySizes z = calibrate::replay_sizes(inference, r, i);
    rec.input_tokens = static_cast<std::uint32_t>(std::clamp<std::int64_t>(z.prompt, 1, kMaxTokens));
    rec.output_tokens = static_cast<std::uint32_t>(std::clamp<std::int64_t>(z.output, 1, kMaxTokens));
    rec.max_tokens = r.max_tokens > 0 ? static_cast<std::uint32_t>(std::min(r.max_tokens, kMaxTokens)) : 0;
    rec.cached_tokens = static_cast<std::uint32_t>(std::clamp<std::int64_t>(z.cached, 0, kMaxTokens));
    rec.model = r.model;
    if (rec.cached_tokens > 0 && !w.cache) w.cache = models::CacheConfig{};
    w.trace.records.push_back(rec);
  }
  s.world.workloads = std::move(replay);
  s.world.duration = kernel::from_seconds(std::ceil(log.span()) + 600);
}

LoggedAttempt logged(const metrics::AttemptRecord& a, std::uint16_t model) {
  LoggedAttempt l;
  l.time = a.sent_s;
  l.arrival = a.arrival_s;
  l.latency = a.latency_s;
  l.request = static_cast<std::uint32_t>(a.request_id);
  l.attempt = a.attempt;
  l.model = model;
  switch (a.result.outcome) {
    case models::AttemptOutcome::kOk: l.status = 200; break;
    case models::AttemptOutcome::k429: l.status = 429; break;
    case models::AttemptOutcome::k529: l.status = 529; break;
    default: l.status = 0;
  }
  l.max_tokens = a.max_tokens;
  l.prompt_tokens = a.prompt_tokens;
  if (l.ok()) {
    l.has_usage = true;
    l.input_tokens = a.input_tokens;
    l.output_tokens = a.output_tokens;
    l.cache_write_tokens = a.cache_write_tokens;
    l.cache_read_tokens = a.cache_read_tokens;
  }
  if (a.has_headers)
    for (std::size_t b = 0; b < models::kBudgetCount; ++b)
      if (a.headers[b].limit > 0)
        l.budgets[b] = calibrate::LoggedBudget{.limit = a.headers[b].limit, .remaining = a.headers[b].remaining,
                                               .reset = a.decided_s + kernel::to_seconds(a.headers[b].reset)};
  if (l.status == 429) l.named_cause = a.result.cause;
  return l;
}

/// One row of the comparison. Against an observed 0 a relative difference is undefined, so a
/// gated count is judged against the log's `requests` instead: beyond when the simulated count
/// exceeds tolerance × requests.
BacktestRow row(std::string metric, std::string label, double observed, double simulated, bool gated, double tolerance,
                double requests) {
  BacktestRow r{.metric = std::move(metric), .label = std::move(label), .observed = observed, .simulated = simulated};
  if (observed != 0) r.relative = (simulated - observed) / observed;
  else if (simulated == 0) r.relative = 0.0;
  r.gated = gated;
  r.beyond = gated && (r.relative ? std::abs(*r.relative) > tolerance : simulated > tolerance * requests);
  return r;
}

/// A per-minute count, named as backtest.csv's columns and the per_minute JSON's keys
/// (observed_NAME, simulated_NAME) and as the --per-minute table heads it.
struct MinuteColumn {
  const char* name;
  const char* head;
  std::vector<std::uint64_t> calibrate::MinuteSeries::*series;
};
constexpr MinuteColumn kMinuteColumns[] = {{"attempts", "attempts", &calibrate::MinuteSeries::attempts},
                                           {"ok", "ok", &calibrate::MinuteSeries::ok},
                                           {"429", "429s", &calibrate::MinuteSeries::r429},
                                           {"529", "529s", &calibrate::MinuteSeries::r529}};

}  // namespace

calibrate::AttemptsLog read_logs(const std::vector<std::string>& paths, bool skip_bad) {
  calibrate::AttemptsLog log = calibrate::read_attempts_logs(paths, {.skip_bad = skip_bad});
  if (log.skipped)
    std::cerr << fmt::format("warning: skipped {} malformed line{} (the first: {}:{}: {})\n", log.skipped,
                             log.skipped == 1 ? "" : "s", log.first_skipped_file, log.first_skipped_line,
                             log.first_skipped_reason);
  return log;
}

BacktestResult backtest(const calibrate::AttemptsLog& log, scenario::Scenario s, double tolerance) {
  BacktestResult result;
  result.tolerance = tolerance;
  const std::vector<LoggedRequest> requests = calibrate::logical_requests(log);
  const calibrate::Inference inference = calibrate::infer(log, requests);
  const calibrate::LogTotals observed = calibrate::log_totals(log, requests, inference.cause);
  result.observed = observed.total;
  result.observed_unknown_429 = observed.r429_unknown;
  result.observed_minutes = observed.minutes;

  replace_workloads(s, log, requests, inference);
  calibrate::AttemptsLog simulated;
  simulated.models = log.models;
  std::unordered_map<std::string, std::uint16_t> model_index;
  for (std::size_t m = 0; m < log.models.size(); ++m) {
    model_index.try_emplace(log.models[m], static_cast<std::uint16_t>(m));
    model_index.try_emplace(calibrate::scenario_name(log.models[m]), static_cast<std::uint16_t>(m));
  }
  RunOptions options;
  options.interval = std::chrono::seconds(60);
  options.counterfactual = false;
  options.on_attempt = [&](const metrics::AttemptRecord& a) {
    // Requests only carry the log's models, so every attempt's model is one of them.
    const auto it = model_index.find(*a.model);
    simulated.attempts.push_back(logged(a, it == model_index.end() ? 0 : it->second));
  };
  const RunResult run = run_scenario(s, options);
  std::stable_sort(simulated.attempts.begin(), simulated.attempts.end(),
                   [](const LoggedAttempt& x, const LoggedAttempt& y) { return x.time < y.time; });
  result.simulated = run.summary.total;
  if (!simulated.attempts.empty())
    result.simulated_minutes =
        calibrate::log_totals(simulated, calibrate::logical_requests(simulated), calibrate::named_causes(simulated)).minutes;
  const std::size_t minutes = std::max(result.observed_minutes.attempts.size(), result.simulated_minutes.attempts.size());
  result.observed_minutes.resize(minutes);
  result.simulated_minutes.resize(minutes);

  using models::LimitCause;
  using models::RequestOutcome;
  const metrics::WorkloadSummary& o = result.observed;
  const metrics::WorkloadSummary& m = result.simulated;
  const auto d = [](std::uint64_t v) { return static_cast<double>(v); };
  auto& rows = result.rows;
  const auto add = [&](std::string metric, std::string label, double observed, double simulated, bool gated = false) {
    rows.push_back(row(std::move(metric), std::move(label), observed, simulated, gated, tolerance, d(o.arrived)));
  };
  add("requests.ok", "requests ok", d(o.requests(RequestOutcome::kOk)), d(m.requests(RequestOutcome::kOk)), true);
  // The log's requests that did not end ok all gave up (log_totals); the simulation's may also
  // have timed out, been dropped, expired or be unfinished, which a log cannot tell from giving
  // up: then, and only then, "not ok" differs from "given up" and is shown beside it.
  add("requests.gave_up", "requests given up", d(o.requests(RequestOutcome::kGaveUp)), d(m.requests(RequestOutcome::kGaveUp)), true);
  const std::uint64_t simulated_not_ok = m.arrived - m.requests(RequestOutcome::kOk);
  if (simulated_not_ok != m.requests(RequestOutcome::kGaveUp))
    add("requests.failed", "requests not ok", d(o.arrived - o.requests(RequestOutcome::kOk)), d(simulated_not_ok));
  add("attempts.total", "attempts", d(o.attempts), d(m.attempts));
  add("attempts.r429.total", "429s", d(o.r429_total() + result.observed_unknown_429), d(m.r429_total()), true);
  // A log does not tell whose cap refused an attempt, so the simulated side counts both scopes.
  for (std::size_t i = 0; i < models::kLimitCauseCount; ++i) {
    const auto c = static_cast<LimitCause>(i);
    if (o.r429_of(c) || m.r429_any_scope(c))
      add(fmt::format("attempts.r429.{}", models::name(c)), fmt::format("  {}", models::name(c)), d(o.r429_of(c)),
          d(m.r429_any_scope(c)));
  }
  if (result.observed_unknown_429) add("attempts.r429.unknown", "  cause unknown", d(result.observed_unknown_429), 0);
  add("attempts.r529", "529s", d(o.r529), d(m.r529));
  add("attempts.timeout", "attempt timeouts", d(o.attempt_timeouts), d(m.attempt_timeouts));
  add("latency_s.p50", "latency p50 (s)", o.latency.p50, m.latency.p50);
  add("latency_s.p99", "latency p99 (s)", o.latency.p99, m.latency.p99);
  for (const BacktestRow& r : rows)
    if (r.beyond) result.pass = false;
  return result;
}

ordered_json backtest_json(const BacktestResult& r) {
  ordered_json observed = report::workload_to_json(r.observed);
  if (r.observed_unknown_429) {
    observed["attempts"]["r429"]["total"] = r.observed.r429_total() + r.observed_unknown_429;
    observed["attempts"]["r429"]["unknown"] = r.observed_unknown_429;
  }
  ordered_json gated = ordered_json::array();
  ordered_json error = ordered_json::object();
  ordered_json beyond = ordered_json::array();
  for (const BacktestRow& row : r.rows) {
    if (row.gated) gated.push_back(row.metric);
    error[row.metric] = row.relative ? ordered_json(report::round_significant(*row.relative, 6)) : ordered_json(nullptr);
    if (row.beyond) beyond.push_back(row.metric);
  }
  // Records with backtest.csv's columns: pandas.DataFrame(j["per_minute"]) is read_csv's frame.
  ordered_json per_minute = ordered_json::array();
  for (std::size_t i = 0; i < r.observed_minutes.attempts.size(); ++i) {
    ordered_json minute{{"minute", i}};
    for (const MinuteColumn& c : kMinuteColumns) {
      minute[fmt::format("observed_{}", c.name)] = (r.observed_minutes.*c.series)[i];
      minute[fmt::format("simulated_{}", c.name)] = (r.simulated_minutes.*c.series)[i];
    }
    per_minute.push_back(std::move(minute));
  }
  return ordered_json{{"schema", kBacktestSchema},
                      {"tolerance", r.tolerance},
                      {"gated", gated},
                      {"pass", r.pass},
                      {"beyond_tolerance", beyond},
                      {"observed", observed},
                      {"simulated", report::workload_to_json(r.simulated)},
                      {"error", error},
                      {"per_minute", per_minute}};
}

std::string backtest_table(const BacktestResult& r) {
  std::string t = fmt::format("{:<20}{:>12}{:>12}{:>12}\n", "", "observed", "simulated", "difference");
  for (const BacktestRow& row : r.rows) {
    const std::string diff = !row.relative ? "n/a" : row.observed == 0 ? "" : fmt::format("{:+.1f}%", 100 * *row.relative);
    std::string line = fmt::format("{:<20}{:>12}{:>12}{:>12}{}", row.label, report::readable(row.observed),
                                   report::readable(row.simulated), diff, row.beyond ? "  beyond tolerance" : "");
    line.erase(line.find_last_not_of(' ') + 1);  // no blank difference column at the end of the line
    t += line + "\n";
  }
  t += fmt::format("\n{}: requests ok, given up and 429s {} within {:g}% of the log\n", r.pass ? "pass" : "FAIL",
                   r.pass ? "are" : "are not all", 100 * r.tolerance);
  return t;
}

std::string backtest_minutes_table(const BacktestResult& r) {
  const calibrate::MinuteSeries& o = r.observed_minutes;
  const calibrate::MinuteSeries& s = r.simulated_minutes;
  // Each cell reads "observed / simulated", each number right-aligned to the widest on its side.
  struct Width {
    std::size_t observed = 0, simulated = 0;
  };
  std::vector<Width> widths;
  for (const MinuteColumn& c : kMinuteColumns) {
    Width w;
    for (std::size_t i = 0; i < o.attempts.size(); ++i) {
      w.observed = std::max(w.observed, report::with_separators((o.*c.series)[i]).size());
      w.simulated = std::max(w.simulated, report::with_separators((s.*c.series)[i]).size());
    }
    const std::size_t head = std::string_view(c.head).size();
    if (w.observed + 3 + w.simulated < head) w.observed = head - 3 - w.simulated;
    widths.push_back(w);
  }
  std::string t = "per minute of send time, observed / simulated\n\n" + fmt::format("{:>6}", "minute");
  for (std::size_t k = 0; k < widths.size(); ++k)
    t += fmt::format("   {:>{}}", kMinuteColumns[k].head, widths[k].observed + 3 + widths[k].simulated);
  t += "\n";
  for (std::size_t i = 0; i < o.attempts.size(); ++i) {
    t += fmt::format("{:>6}", i);
    for (std::size_t k = 0; k < widths.size(); ++k) {
      const MinuteColumn& c = kMinuteColumns[k];
      t += fmt::format("   {:>{}} / {:>{}}", report::with_separators((o.*c.series)[i]), widths[k].observed,
                       report::with_separators((s.*c.series)[i]), widths[k].simulated);
    }
    t += "\n";
  }
  return t;
}

std::string backtest_csv(const BacktestResult& r) {
  std::string out = "minute";
  for (const MinuteColumn& c : kMinuteColumns) out += fmt::format(",observed_{0},simulated_{0}", c.name);
  out += "\n";
  for (std::size_t i = 0; i < r.observed_minutes.attempts.size(); ++i) {
    out += fmt::format("{}", i);
    for (const MinuteColumn& c : kMinuteColumns)
      out += fmt::format(",{},{}", (r.observed_minutes.*c.series)[i], (r.simulated_minutes.*c.series)[i]);
    out += "\n";
  }
  return out;
}

}  // namespace ratesim::cli
