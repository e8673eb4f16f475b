#include "sim/cli/runner.hpp"

#include <algorithm>
#include <chrono>
#include <optional>

#include "models/world.hpp"
#include "sim/cli/interrupt.hpp"
#include "sim/scenario/assumptions.hpp"
#include "sim/scenario/provider_warnings.hpp"
#include "sim/metrics/attempts_collector.hpp"
#include "sim/metrics/limits_collector.hpp"
#include "sim/metrics/summary_collector.hpp"
#include "sim/metrics/timeseries_collector.hpp"
#include "sim/report/attempts_log.hpp"
#include "sim/report/progress_bar.hpp"
#include "sim/report/timeseries_csv.hpp"

namespace ratesim::cli {

const char* version() { return RATESIM_VERSION; }

namespace {

/// `acceleration.initial_load: steady`: each organization group's mean use of each budget over
/// the scenario's first ten minutes (or all of it, when shorter), as a fraction of the limit, from
/// a run without acceleration limits — the load a running service would have settled at.
std::vector<std::array<double, models::kBudgetCount>> steady_load(const scenario::Scenario& s,
                                                                  const RunOptions& options) {
  using models::provider::Acceleration;
  scenario::Scenario first = s;
  first.world.provider.acceleration.enabled = false;
  first.world.duration = std::min(s.world.duration, kernel::Duration{Acceleration::kSteadyWindow});
  first.warmup = {};
  const metrics::Summary summary =
      run_scenario(first, RunOptions{.interval = std::min(options.interval, first.world.duration), .counterfactual = false})
          .summary;
  const auto& groups = s.world.provider.groups;
  std::vector<std::array<double, models::kBudgetCount>> load(groups.size(), std::array<double, models::kBudgetCount>{});
  // mean_util is over the time the work ran; the baseline wants the mean over the whole window.
  const double ran = (summary.measured_to_s - summary.measured_from_s) / kernel::to_seconds(first.world.duration);
  for (const metrics::GroupSummary& g : summary.groups) {
    if (!g.workspace.empty()) continue;
    const auto it = std::find_if(groups.begin(), groups.end(), [&](const auto& x) { return x.name == g.name; });
    if (it == groups.end()) continue;
    for (const metrics::BudgetSummary& b : g.budgets)
      for (std::size_t k = 0; k < models::kBudgetCount; ++k)
        if (b.name == metrics::budget_name(k)) load[static_cast<std::size_t>(it - groups.begin())][k] = b.mean_util * ran;
  }
  return load;
}

}  // namespace

RunResult run_scenario(const scenario::Scenario& s, const RunOptions& options) {
  if (const auto& a = s.world.provider.acceleration; a.enabled && a.initial_load_steady && a.steady_load.empty()) {
    scenario::Scenario measured = s;
    measured.world.provider.acceleration.steady_load = steady_load(s, options);
    return run_scenario(measured, options);
  }
  const auto wall_start = std::chrono::steady_clock::now();
  std::vector<std::string> names;
  for (const auto& w : s.world.workloads) names.push_back(w.name);

  kernel::Simulation sim;
  sim.reserve(1024);
  sim.set_stop_flag(stop_flag());
  models::World world(s.world, sim);
  // The groups the workloads' models can draw on — declared, routed to or named by a trace — in
  // the provider's order.
  models::provider::Provider& provider = world.provider();
  std::vector<bool> reachable(provider.group_count(), false);
  std::uint16_t workload = 0;
  auto reach = [&](std::size_t model) {
    const std::uint32_t g = provider.group_of(model);
    reachable[g] = true;
    if (const std::uint32_t w = provider.workspace_group(workload, g); w != models::kNoGroup) reachable[w] = true;
  };
  for (const auto& w : s.world.workloads) {
    reach(static_cast<std::size_t>(world.provider().model_index(w.model)));
    for (const std::string& m : w.trace.models) reach(static_cast<std::size_t>(world.provider().model_index(m)));
    for (const auto& layer : w.client) {
      if (const auto* route = std::get_if<models::client::RouteConfig>(&layer)) {
        for (const auto& rule : route->rules) reach(rule.model);
        for (const auto& [model, weight] : route->weights) reach(model);
        if (route->fallback) reach(*route->fallback);
      }
    }
    ++workload;
  }
  std::vector<metrics::GroupInfo> groups;
  for (std::uint32_t g = 0; g < provider.group_count(); ++g) {
    if (!reachable[g]) continue;
    metrics::GroupInfo info{.index = g, .name = provider.group_name(g), .workspace = provider.group_workspace(g), .limits = {}};
    for (std::size_t b = 0; b < models::kBudgetCount; ++b)
      if (const models::provider::Limiter* l = provider.group(g).budget(b))
        info.limits[b] = l->limit();
    groups.push_back(std::move(info));
  }
  metrics::SummaryCollector summary(names, groups, options.interval, s.world.duration, s.warmup);
  world.add_observer(&summary);

  std::optional<report::TimeSeriesCsv> csv;
  std::optional<metrics::TimeSeriesCollector> series;
  if (options.timeseries) {
    csv.emplace(*options.timeseries);
    series.emplace(names, options.interval, kernel::kTimeZero + s.world.duration,
                   [&csv](const metrics::TimeSeriesRow& row) { csv->write(row); });
    world.add_observer(&*series);
  }

  std::optional<report::LimitsCsv> limits_csv;
  std::optional<metrics::LimitsCollector> limits;
  if (options.limits) {
    limits_csv.emplace(*options.limits);
    limits.emplace(groups, options.interval, kernel::kTimeZero + s.world.duration,
                   [&limits_csv](const metrics::LimitsRow& row) { limits_csv->write(row); });
    world.add_observer(&*limits);
  }

  std::optional<report::RequestsCsv> requests_csv;
  std::optional<metrics::RequestsCollector> requests;
  if (options.requests) {
    requests_csv.emplace(*options.requests);
    std::vector<std::string> models;
    for (const auto& m : s.world.provider.models) models.push_back(m.name);
    requests.emplace(names, models, [&requests_csv](const metrics::RequestRow& row) { requests_csv->write(row); });
    world.add_observer(&*requests);
  }

  std::optional<report::AttemptsLog> attempts_log;
  std::optional<metrics::AttemptsCollector> attempts;
  if (options.attempts_log || options.on_attempt) {
    if (options.attempts_log) attempts_log.emplace(*options.attempts_log);
    std::vector<std::string> models;
    for (const auto& m : s.world.provider.models) models.push_back(m.name);
    attempts.emplace(models, names, [&attempts_log, &options](const metrics::AttemptRecord& a) {
      if (attempts_log) attempts_log->write(a);
      if (options.on_attempt) options.on_attempt(a);
    });
    world.keep_headers();
    world.add_observer(&*attempts);
  }

  std::optional<report::ProgressBar> progress;
  if (options.progress) {
    progress.emplace(kernel::kTimeZero + s.world.duration, stderr);
    world.add_observer(&*progress);
  }

  world.run();
  if (sim.stopped())
    throw Interrupted(stop_signal(), kernel::to_seconds(sim.now()), kernel::to_seconds(s.world.duration));

  RunResult result;
  result.summary = summary.summary();
  result.summary.scenario = s.name;
  result.summary.seed = s.world.seed;
  result.summary.version = version();
  result.summary.duration_s = kernel::to_seconds(s.world.duration);
  if (const kernel::Time at = provider.spend_limit_reached_at(); at != kernel::kNever)
    result.summary.spend_limit_reached_s = kernel::to_seconds(at - kernel::kTimeZero);
  for (std::size_t w = 0; w < s.world.workloads.size(); ++w)
    result.summary.workloads[w].workspace = s.world.workloads[w].workspace;
  for (const auto& e : scenario::assumption_ledger(s))
    result.summary.assumptions.push_back(
        metrics::Assumption{.path = e.path, .value = e.value, .documented = e.documented, .source = e.source});
  result.summary.warnings = s.warnings;  // found while loading
  for (std::string& w : scenario::unconfirmed_model_warnings(s)) result.summary.warnings.push_back(std::move(w));
  for (std::string& w : scenario::ineffective_settings(s)) result.summary.warnings.push_back(std::move(w));
  if (options.counterfactual && result.summary.total.r429_of(models::LimitCause::kAcceleration) > 0) {
    scenario::Scenario without = s;
    without.world.provider.acceleration.enabled = false;
    result.summary.without_acceleration = std::make_shared<const metrics::Summary>(
        run_scenario(without, RunOptions{.interval = options.interval, .counterfactual = false}).summary);
  }
  result.events = sim.events_run();
  result.peak_requests = world.requests().capacity();
  result.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  return result;
}

}  // namespace ratesim::cli
