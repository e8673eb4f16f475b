#include "sim/cli/warning.hpp"
#include "sim/cli/compare_command.hpp"

#include <fmt/format.h>

#include <boost/program_options.hpp>
#include <cmath>
#include <limits>
#include <filesystem>
#include <iostream>
#include <optional>

#include "sim/cli/command_line.hpp"
#include "sim/cli/shared_options.hpp"
#include "sim/cli/parallel.hpp"
#include "sim/cli/runner.hpp"
#include "sim/cli/usage.hpp"
#include "sim/report/run_progress.hpp"
#include "sim/metrics/confidence.hpp"
#include "sim/report/atomic_file.hpp"
#include "sim/report/compare_table.hpp"
#include "sim/report/output_set.hpp"
#include "sim/report/number_format.hpp"
#include "sim/report/summary_json.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/units.hpp"

namespace po = boost::program_options;

namespace ratesim::cli {

const std::vector<ComparedMetric>& compared_metrics() {
  static const std::vector<ComparedMetric> metrics = [] {
    std::vector<ComparedMetric> m{
        {"/total/requests/ok", "requests ok", false},
        {"/total/requests/gave_up", "gave up", true},
        {"/total/requests/timed_out", "timed out", true},
        {"/total/requests/dropped", "dropped", true},
        {"/total/requests/unfinished", "unfinished", true},
        {"/total/requests/ok_share", "ok, share of arrived", false},
        {"/total/requests/gave_up_share", "gave up, share of arrived", true},
        {"/total/requests/timed_out_share", "timed out, share of arrived", true},
        {"/total/attempts/total", "attempts", true},
        {"/total/attempts/r429/total", "429 total", true},
        {"/total/attempts/r429_share", "429s, share of attempts", true}};
    // One row per 429 cause and scope, in the tables' order (summary.json's r429 object).
    for (std::size_t i = 0; i < models::kRefusalCount; ++i) {
      const std::string cause(models::name(models::refusal_cause(i)));
      const bool workspace = models::refusal_scope(i) == models::Scope::kWorkspace;
      m.push_back({fmt::format("/total/attempts/r429/{}{}", workspace ? "workspace/" : "", cause),
                   "429 " + models::refusal_label(i), true});
    }
    m.insert(m.end(), {
      {"/total/attempts/r529", "529", true},
      {"/total/amplification", "attempts per request", true},
      {"/total/latency_s/p50", "latency p50, s", true},
      {"/total/latency_s/p99", "latency p99, s", true},
      {"/total/queue_wait_s/p99", "queue wait p99, s", true},
      {"/total/throughput_rps/mean", "throughput, req/s", false},
      {"/total/makespan_s", "makespan, s", true},
      {"/total/cost_usd/total", "cost, USD", true},
      {"/total/cost_usd/per_ok_request", "cost per ok request, USD", true},
    });
    return m;
  }();
  return metrics;
}

double metric_value(const nlohmann::ordered_json& summary, const std::string& pointer) {
  const auto& v = summary.at(nlohmann::ordered_json::json_pointer(pointer));
  return v.is_null() ? std::numeric_limits<double>::quiet_NaN() : v.get<double>();
}


namespace {

struct Column {
  std::string name;                        ///< "base" or the variant
  scenario::Scenario scenario;
  std::vector<std::vector<double>> values;  ///< by metric, by replication
  std::vector<metrics::Estimate> estimates;
};

}  // namespace

int compare_command(const std::vector<std::string>& args) {
  po::options_description visible(R"(Usage: ratesim compare FILE [options]

Runs the scenario in FILE and each of its variants (the scenario's variants: section), and
prints them side by side: one column each, the change against the base in brackets, the best
value of each row marked with *. With --replications N, each runs with N seeds (the same seeds
for every column) and the table shows means with their 95% confidence intervals (Student's t).
When acceleration limits refused anything, rows "... without acceleration limits" show the same
columns run with only the documented budgets.

Options)");
  std::string out_dir;
  visible.add_options()("help,h", "show this help");
  const VariantsOption variant_option(visible, "compare only these variants (repeatable; default: all)");
  const ReplicationsOption replication_option(visible, "runs per column, with seeds seed, seed+1, ... (default 1)");
  const SeedOption seed_option(visible);
  const SetOption sets(visible, "override one value of every column: PATH=VALUE");
  visible.add_options()("out", po::value(&out_dir),
                        "write compare.csv and each column's run files (first seed) into this folder");
  const JobsOption jobs_option(visible, "threads to run the columns and replications on (default: all cores); the "
                                        "output is the same whatever the number");
  std::string file;
  po::variables_map vm;
  if (!parse_command_line("compare", args, visible, vm, file)) return kExitOk;
  const int replications = replication_option.value();
  const int jobs = jobs_option.value();

  std::vector<Column> columns;
  columns.push_back(Column{.name = "base", .scenario = scenario::load_scenario_file(file, sets.value())});
  std::vector<std::string> variants = variant_option.value();
  if (variants.empty()) variants = columns[0].scenario.variants;
  for (const std::string& v : variants)
    columns.push_back(Column{.name = v, .scenario = scenario::load_scenario_variant(file, v, sets.value())});
  const std::uint64_t seed = seed_option.value().value_or(columns[0].scenario.world.seed);
  std::vector<std::pair<std::string, const scenario::Scenario*>> labelled;
  for (const Column& c : columns) labelled.emplace_back(columns.size() > 1 ? c.name : "", &c.scenario);
  print_spend_warnings(labelled);

  // Every file appears when everything has run, or none does (and no empty folder is left).
  report::OutputSet outputs;
  if (!out_dir.empty()) outputs.directory(out_dir);
  // The counterfactual rows: the same run without acceleration limits. A run that acceleration
  // never refused is its own counterfactual.
  std::vector<ComparedMetric> metrics = compared_metrics();
  const std::size_t first_counterfactual = metrics.size();
  metrics.push_back({"/counterfactual/without_acceleration/requests/ok", "ok without acceleration limits", false});
  metrics.push_back({"/counterfactual/without_acceleration/requests/gave_up", "gave up without acceleration limits", true});
  metrics.push_back({"/counterfactual/without_acceleration/attempts/r429/total", "429s without acceleration limits", true});
  // Each column's run files (first seed) are set up before anything runs; the runs then go to a
  // pool of threads, each writing only its own files and its own slot of results, so the output
  // does not depend on the number of jobs.
  struct RunFiles {
    std::ostream* timeseries = nullptr;
    std::ostream* limits = nullptr;
    report::AtomicFile* summary = nullptr;
  };
  std::vector<RunFiles> files(columns.size());
  if (!out_dir.empty())
    for (std::size_t c = 0; c < columns.size(); ++c) {
      const std::filesystem::path dir = std::filesystem::path(out_dir) / columns[c].name;
      outputs.directory(dir);
      files[c].timeseries = &outputs.file(dir / "timeseries.csv").stream();
      files[c].limits = &outputs.file(dir / "limits.csv").stream();
      files[c].summary = &outputs.file(dir / "summary.json");
    }
  const auto reps = static_cast<std::size_t>(replications);
  const std::size_t total_runs = columns.size() * reps;
  std::vector<nlohmann::ordered_json> results(total_runs);
  report::RunProgress progress("compare", total_runs);
  parallel_for(total_runs, jobs, [&](std::size_t i) {
    const std::size_t c = i / reps, rep = i % reps;
    scenario::Scenario s = columns[c].scenario;
    s.world.seed = seed + rep;
    RunOptions options;
    options.progress = total_runs == 1;  // several runs: one line counts them instead
    if (rep == 0) {
      options.timeseries = files[c].timeseries;
      options.limits = files[c].limits;
    }
    const RunResult result = run_scenario(s, options);
    results[i] = report::summary_to_json(result.summary);
    if (rep == 0 && files[c].summary) files[c].summary->stream() << report::summary_json_text(result.summary);
  }, &progress);
  bool any_counterfactual = false;
  for (const auto& json : results) any_counterfactual = any_counterfactual || json.contains("counterfactual");
  for (std::size_t c = 0; c < columns.size(); ++c) {
    Column& col = columns[c];
    col.values.assign(metrics.size(), {});
    for (std::size_t rep = 0; rep < reps; ++rep) {
      const auto& json = results[c * reps + rep];
      for (std::size_t m = 0; m < metrics.size(); ++m) {
        std::string path = metrics[m].path;
        if (m >= first_counterfactual && !json.contains("counterfactual"))
          path = "/total" + path.substr(std::string("/counterfactual/without_acceleration").size());
        col.values[m].push_back(metric_value(json, path));
      }
    }
    for (const auto& v : col.values) col.estimates.push_back(metrics::estimate(v));
  }

  if (!any_counterfactual) {
    metrics.resize(first_counterfactual);
    for (Column& c : columns) c.estimates.resize(first_counterfactual);
  }

  report::CompareTable table;
  const auto& s0 = columns[0].scenario;
  table.heading = fmt::format("{} · {} column{} · seed {}{} · {} simulated", s0.name, columns.size(),
                              columns.size() == 1 ? "" : "s", seed,
                              replications > 1 ? fmt::format("..{} ({} replications, 95% intervals)",
                                                             seed + static_cast<std::uint64_t>(replications) - 1, replications)
                                               : "",
                              scenario::format_duration(s0.world.duration));
  for (const ComparedMetric& m : metrics) table.rows.push_back({m.path, m.label, m.lower_is_better});
  for (const Column& c : columns) table.columns.push_back({c.name, c.estimates});
  table.replications = replications;
  table.first_counterfactual = first_counterfactual;
  std::cout << report::compare_table_text(table);
  if (!out_dir.empty()) {
    report::write_compare_csv(outputs.file(std::filesystem::path(out_dir) / "compare.csv").stream(), table);
    outputs.commit();
    std::cout << fmt::format("wrote {}\n", (std::filesystem::path(out_dir) / "compare.csv").string());
  }
  return kExitOk;
}

}  // namespace ratesim::cli
