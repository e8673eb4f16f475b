#include "sim/cli/warning.hpp"
#include "sim/cli/check_command.hpp"

#include <fmt/format.h>

#include <boost/program_options.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "sim/cli/command_line.hpp"
#include "sim/cli/shared_options.hpp"
#include "sim/cli/parallel.hpp"
#include "sim/cli/metric_paths.hpp"
#include "sim/cli/runner.hpp"
#include "sim/cli/usage.hpp"
#include "sim/metrics/check.hpp"
#include "sim/metrics/confidence.hpp"
#include "sim/report/check_report.hpp"
#include "sim/report/run_progress.hpp"
#include "sim/report/atomic_file.hpp"
#include "sim/report/output_set.hpp"
#include "sim/report/number_format.hpp"
#include "sim/report/summary_json.hpp"
#include "sim/scenario/did_you_mean.hpp"
#include "sim/scenario/input_error.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/units.hpp"

namespace po = boost::program_options;

namespace ratesim::cli {
int check_command(const std::vector<std::string>& args) {
  po::options_description visible(R"(Usage: ratesim check FILE [options]

Runs the scenario in FILE and checks it: every entry of its expect: list (bounds on summary
metrics), and, with --baseline, the regression-relevant metrics against an earlier
summary.json — fewer 429s, gave_up, timed_out and dropped; lower latency, cost and makespan;
more ok and throughput — each allowed to be worse by the tolerance. Prints every check; exit
code 1 if any fails. With --replications N, values are means over N seeds with 95% intervals,
and a baseline check fails only when the whole interval is worse than allowed.

Options)");
  std::string baseline_path, junit_path, markdown_path;
  std::vector<std::string> tolerances;
  visible.add_options()("help,h", "show this help")(
      "baseline", po::value(&baseline_path), "a summary.json to compare with (from ratesim run --out)")(
      "tolerance", po::value(&tolerances)->composing(),
      "how much worse a metric may be than the baseline: 5% (every metric, the default) or "
      "METRIC=10% (a path such as total.latency_s.p99, or its tail such as latency_s.p99); repeatable");
  const ReplicationsOption replication_option(visible, "runs with seeds seed, seed+1, ... (default 1)");
  const SeedOption seed_option(visible);
  const JobsOption jobs(visible, "threads for the replications (default: all cores); the result is the same whatever the number");
  const SetOption sets(visible, "override one value: PATH=VALUE (repeatable)");
  visible.add_options()(
      "junit", po::value(&junit_path), "write a JUnit XML report (one test case per check)")(
      "markdown", po::value(&markdown_path), "write a Markdown table of the checks (for a pull-request comment)");
  std::string file;
  po::variables_map vm;
  if (!parse_command_line("check", args, visible, vm, file,
                          "\nExit codes: 0 all checks pass, 1 a check failed, 2 bad input or usage.\n"))
    return kExitOk;
  const int replications = replication_option.value();

  double default_tolerance = 0.05;
  std::vector<std::pair<std::string, double>> metric_tolerance;
  for (const std::string& t : tolerances) {
    const std::size_t eq = t.find('=');
    if (eq == std::string::npos) default_tolerance = parse_percent(t, "--tolerance");
    else metric_tolerance.emplace_back(t.substr(0, eq), parse_percent(t.substr(eq + 1), "--tolerance"));
  }

  scenario::Scenario s = scenario::load_scenario_file(file, sets.value());
  const std::uint64_t seed = seed_option.value().value_or(s.world.seed);
  print_spend_warnings({{"", &s}});
  std::optional<nlohmann::ordered_json> baseline;
  if (!baseline_path.empty()) {
    std::error_code ec;
    if (std::filesystem::is_directory(baseline_path, ec))
      throw scenario::InputError(baseline_path, 0, 0,
                                 "the baseline is a folder: expected its summary.json (from ratesim run --out)");
    std::ifstream in(baseline_path);
    if (!in) throw scenario::InputError(baseline_path, 0, 0, "cannot open the baseline summary");
    try {
      baseline = nlohmann::ordered_json::parse(in);
    } catch (const nlohmann::json::exception& e) {
      throw scenario::InputError(baseline_path, 0, 0, fmt::format("not a summary.json: {}", e.what()));
    }
    const auto schema = baseline->find("schema");
    if (schema != baseline->end() && schema->is_string() && *schema != report::kSummarySchema &&
        schema->get<std::string>().rfind("ratesim.summary/", 0) == 0)
      throw scenario::InputError(
          baseline_path, 0, 0,
          fmt::format("a summary.json of schema {}, written by an older ratesim: expected \"schema\": \"{}\" "
                      "(docs/outputs.md lists what changed); write the baseline again with this version "
                      "(ratesim run FILE --out DIR)",
                      schema->get<std::string>(), report::kSummarySchema));
    if (schema == baseline->end() || *schema != report::kSummarySchema)
      throw scenario::InputError(baseline_path, 0, 0,
                                 fmt::format("not a summary.json: expected \"schema\": \"{}\"", report::kSummarySchema));
  }
  // The watched metrics under total, as paths: what a baseline must have, and what a
  // --tolerance METRIC=... may name (a full path or its tail).
  std::vector<std::string> watched_paths;
  for (const metrics::WatchedMetric& w : metrics::watched_metrics()) {
    watched_paths.push_back(std::string("total.") + w.tail);
    watched_paths.push_back(w.tail);
    for (const auto& wl : s.world.workloads) watched_paths.push_back("workloads." + wl.name + "." + w.tail);
  }
  for (const auto& [metric, t] : metric_tolerance)
    if (std::find(watched_paths.begin(), watched_paths.end(), metric) == watched_paths.end())
      throw UsageError(fmt::format("invalid value '{}' for --tolerance: not a metric that check compares with a "
                                   "baseline{}; expected one of {}",
                                   metric, scenario::did_you_mean(metric, watched_paths), [] {
                                     std::string names;
                                     for (const metrics::WatchedMetric& w : metrics::watched_metrics()) {
                                       if (!names.empty()) names += ", ";
                                       names += w.tail;
                                     }
                                     return names;
                                   }()));
  if (baseline) {
    bool any = false;
    for (const metrics::WatchedMetric& w : metrics::watched_metrics())
      any = any || report::summary_metric(*baseline, std::string("total.") + w.tail);
    if (!any)
      throw scenario::InputError(baseline_path, 0, 0,
                                 "the baseline has none of the metrics check compares (total.requests.ok, "
                                 "total.latency_s.p99, ...): expected a summary.json written by ratesim run --out");
  }
  if (s.expectations.empty() && !baseline)
    throw UsageError(fmt::format("nothing to check: {} has no expect: entries and no --baseline was given", file));

  // Metric names are checked before anything runs, against the summary's layout.
  check_expectation_paths(s);

  // Replications run on a pool of threads, each into its own slot: the same checks whatever --jobs.
  std::vector<nlohmann::ordered_json> runs(static_cast<std::size_t>(replications));
  report::RunProgress progress("check", runs.size());
  parallel_for(runs.size(), jobs.value(), [&](std::size_t rep) {
    scenario::Scenario r = s;
    r.world.seed = seed + rep;
    RunOptions options;
    options.progress = replications == 1;  // several runs: one line counts them instead
    runs[rep] = report::summary_to_json(run_scenario(r, options).summary);
  }, &progress);
  auto value_of = [&](const std::string& path) -> std::optional<metrics::Estimate> {
    std::vector<double> v;
    for (const auto& j : runs) {
      const auto x = report::summary_metric(j, path);
      if (!x) return std::nullopt;
      v.push_back(*x);
    }
    return metrics::estimate(v);
  };

  std::vector<metrics::Bound> bounds;
  for (const auto& e : s.expectations)
    bounds.push_back(metrics::Bound{.metric = e.metric, .min = e.min, .max = e.max, .seconds = e.seconds,
                                    .min_text = e.min_text, .max_text = e.max_text});
  std::vector<metrics::CheckOutcome> outcomes = metrics::check_bounds(bounds, value_of);
  if (baseline) {
    // With one workload its figures are the total's: checked once, as total.
    std::vector<std::string> scopes{"total"};
    if (s.world.workloads.size() > 1)
      for (const auto& w : s.world.workloads) scopes.push_back("workloads." + w.name);
    const auto tolerance = [&](const std::string& path) {
      double tol = default_tolerance;
      for (const auto& [metric, t] : metric_tolerance)
        if (path == metric || (path.size() > metric.size() && path.ends_with("." + metric))) tol = t;
      return tol;
    };
    const auto baseline_of = [&](const std::string& path) { return report::summary_metric(*baseline, path); };
    for (metrics::CheckOutcome& o : metrics::check_baseline(scopes, value_of, baseline_of, tolerance)) outcomes.push_back(std::move(o));
  }

  const report::CheckRun run{.scenario = s.name, .file = file, .seed = seed, .replications = replications};
  std::cout << report::check_table(run, outcomes);
  report::OutputSet reports;
  if (!junit_path.empty()) report::write_junit(reports.file(junit_path).stream(), run, outcomes);
  if (!markdown_path.empty()) report::write_check_markdown(reports.file(markdown_path).stream(), run, outcomes);
  reports.commit();
  const bool failed = std::any_of(outcomes.begin(), outcomes.end(), [](const auto& o) { return !o.passed(); });
  return failed ? kExitCheckFailed : kExitOk;
}

}  // namespace ratesim::cli
