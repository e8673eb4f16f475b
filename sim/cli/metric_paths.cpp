#include "sim/cli/metric_paths.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "sim/report/summary_json.hpp"
#include "sim/scenario/did_you_mean.hpp"
#include "sim/scenario/input_error.hpp"

namespace ratesim::cli {

std::vector<std::string> summary_paths_of(const scenario::Scenario& s) {
  metrics::Summary skeleton;
  for (const auto& w : s.world.workloads)
    skeleton.workloads.push_back(metrics::WorkloadSummary{.name = w.name, .workspace = w.workspace});
  auto group = [&](const std::string& name, const std::string& workspace, const models::provider::Limits& limits) {
    metrics::GroupSummary gs{.name = name, .workspace = workspace};
    for (std::size_t b = 0; b < models::kBudgetCount; ++b)
      if (limits.at(b)) gs.budgets.push_back(metrics::BudgetSummary{.name = metrics::budget_name(b)});
    skeleton.groups.push_back(gs);
  };
  for (const auto& g : s.world.provider.groups) group(g.name, "", g.limits);
  for (const auto& w : s.world.provider.workspaces)
    for (const auto& caps : w.caps) group(caps.group, w.name, caps.limits);
  // The counterfactual has the fields of total.
  skeleton.without_acceleration = std::make_shared<metrics::Summary>();
  return report::summary_metric_paths(report::summary_to_json(skeleton));
}

std::string unknown_metric_message(const std::string& metric, const std::vector<std::string>& paths) {
  if (std::find(paths.begin(), paths.end(), metric) != paths.end()) return "";
  return fmt::format("unknown metric '{}'{}: expected a path into summary.json, e.g. total.attempts.r429.total",
                     metric, scenario::did_you_mean(metric, paths));
}

void check_expectation_paths(const scenario::Scenario& s) {
  if (s.expectations.empty()) return;
  const std::vector<std::string> paths = summary_paths_of(s);
  for (const auto& e : s.expectations) {
    if (const std::string problem = unknown_metric_message(e.metric, paths); !problem.empty())
      throw scenario::InputError(e.file, e.line, e.column, problem);
    if (const auto& d = e.duration_bound)
      throw scenario::InputError(e.file, d->line, d->column,
                                 fmt::format("invalid value '{}' for '{}': expected a number ({} is not "
                                             "in seconds; durations are for metrics ending in _s)",
                                             d->text, d->key, e.metric));
  }
}

}  // namespace ratesim::cli
