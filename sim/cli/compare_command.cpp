#include "sim/cli/compare_command.hpp"

#include <fmt/format.h>

#include <boost/program_options.hpp>
#include <cmath>
#include <limits>
#include <filesystem>
#include <iostream>
#include <optional>

#include "sim/cli/command_line.hpp"
#include "sim/cli/runner.hpp"
#include "sim/cli/usage.hpp"
#include "sim/report/run_progress.hpp"
#include "sim/metrics/confidence.hpp"
#include "sim/report/atomic_file.hpp"
#include "sim/report/output_set.hpp"
#include "sim/report/number_format.hpp"
#include "sim/report/summary_json.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/units.hpp"

namespace po = boost::program_options;

namespace ratesim::cli {

const std::vector<ComparedMetric>& compared_metrics() {
  static const std::vector<ComparedMetric> metrics{
      {"/total/requests/ok", "requests ok", false},
      {"/total/requests/gave_up", "gave up", true},
      {"/total/requests/timed_out", "timed out", true},
      {"/total/requests/dropped", "dropped", true},
      {"/total/requests/unfinished", "unfinished", true},
      {"/total/attempts/total", "attempts", true},
      {"/total/attempts/r429/total", "429 total", true},
      {"/total/attempts/r429/rpm", "429 rpm", true},
      {"/total/attempts/r429/itpm", "429 itpm", true},
      {"/total/attempts/r429/otpm", "429 otpm", true},
      {"/total/attempts/r429/tpm", "429 tpm", true},
      {"/total/attempts/r429/acceleration", "429 acceleration", true},
      {"/total/attempts/r429/spend", "429 spend", true},
      {"/total/attempts/r529", "529", true},
      {"/total/amplification", "attempts per request", true},
      {"/total/latency_s/p50", "latency p50, s", true},
      {"/total/latency_s/p99", "latency p99, s", true},
      {"/total/queue_wait_s/p99", "queue wait p99, s", true},
      {"/total/throughput_rps/mean", "throughput, req/s", false},
      {"/total/makespan_s", "makespan, s", true},
      {"/total/cost_usd/total", "cost, USD", true},
      {"/total/cost_usd/per_ok_request", "cost per ok request, USD", true},
  };
  return metrics;
}

double metric_value(const nlohmann::ordered_json& summary, const std::string& pointer) {
  const auto& v = summary.at(nlohmann::ordered_json::json_pointer(pointer));
  return v.is_null() ? std::numeric_limits<double>::quiet_NaN() : v.get<double>();
}

std::string csv_number(double v) {
  return std::isnan(v) ? std::string() : fmt::format("{}", report::round_significant(v));
}

namespace {

struct Column {
  std::string name;                        ///< "base" or the variant
  scenario::Scenario scenario;
  std::vector<std::vector<double>> values;  ///< by metric, by replication
  std::vector<metrics::Estimate> estimates;
};

std::string number(double v) { return report::readable(v); }

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
  std::vector<std::string> variants, sets;
  std::string out_dir, seed_text;
  int replications = 1;
  visible.add_options()("help,h", "show this help")(
      "variant", po::value(&variants)->composing(), "compare only these variants (repeatable; default: all)")(
      "replications", po::value(&replications), "runs per column, with seeds seed, seed+1, ... (default 1)")(
      "seed", po::value(&seed_text), "override the scenario's seed")(
      "set", po::value(&sets)->composing(), "override one value of every column: PATH=VALUE")(
      "out", po::value(&out_dir), "write compare.csv and each column's run files (first seed) into this folder");
  std::string file;
  po::variables_map vm;
  if (!parse_command_line("compare", args, visible, vm, file)) return kExitOk;
  if (replications < 1 || replications > 10'000)
    throw UsageError(fmt::format("invalid value '{}' for --replications: expected 1 to 10000", replications));

  std::vector<Column> columns;
  columns.push_back(Column{.name = "base", .scenario = scenario::load_scenario_file(file, sets)});
  if (variants.empty()) variants = columns[0].scenario.variants;
  for (const std::string& v : variants)
    columns.push_back(Column{.name = v, .scenario = scenario::load_scenario_variant(file, v, sets)});
  const std::uint64_t seed = vm.count("seed") ? parse_seed(seed_text) : columns[0].scenario.world.seed;

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
  bool any_counterfactual = false;
  const std::size_t total_runs = columns.size() * static_cast<std::size_t>(replications);
  report::RunProgress progress("compare", total_runs);
  for (Column& c : columns) {
    c.values.assign(metrics.size(), {});
    for (int rep = 0; rep < replications; ++rep) {
      scenario::Scenario s = c.scenario;
      s.world.seed = seed + static_cast<std::uint64_t>(rep);
      report::AtomicFile* summary = nullptr;
      RunOptions options;
      options.progress = total_runs == 1;  // several runs: one line counts them instead
      if (!out_dir.empty() && rep == 0) {
        const std::filesystem::path dir = std::filesystem::path(out_dir) / c.name;
        outputs.directory(dir);
        options.timeseries = &outputs.file(dir / "timeseries.csv").stream();
        options.limits = &outputs.file(dir / "limits.csv").stream();
        summary = &outputs.file(dir / "summary.json");
      }
      const RunResult result = run_scenario(s, options);
      const auto json = report::summary_to_json(result.summary);
      any_counterfactual = any_counterfactual || json.contains("counterfactual");
      for (std::size_t m = 0; m < metrics.size(); ++m) {
        std::string path = metrics[m].path;
        if (m >= first_counterfactual && !json.contains("counterfactual"))
          path = "/total" + path.substr(std::string("/counterfactual/without_acceleration").size());
        c.values[m].push_back(metric_value(json, path));
      }
      if (summary) summary->stream() << report::summary_json_text(result.summary);
      progress.done();
    }
    for (const auto& v : c.values) c.estimates.push_back(metrics::estimate(v));
  }

  if (!any_counterfactual) {
    metrics.resize(first_counterfactual);
    for (Column& c : columns) {
      c.values.resize(first_counterfactual);
      c.estimates.resize(first_counterfactual);
    }
  }

  // A column is compared on cost and latency only if it gets as much done: it completes as many
  // requests as the best completer (within 0.5%) and leaves no more unfinished. Others are
  // flagged and never marked best: being cheap by abandoning work is not better.
  const std::size_t kOk = 0, kUnfinished = 4;
  double most_ok = 0, least_unfinished = std::numeric_limits<double>::infinity();
  for (const Column& c : columns) {
    most_ok = std::max(most_ok, c.estimates[kOk].mean);
    least_unfinished = std::min(least_unfinished, c.estimates[kUnfinished].mean);
  }
  std::vector<std::string> flags(columns.size());
  for (std::size_t c = 0; c < columns.size(); ++c) {
    const double ok = columns[c].estimates[kOk].mean, unfinished = columns[c].estimates[kUnfinished].mean;
    if (ok < most_ok * (1 - 0.005))
      flags[c] = fmt::format("completes {} fewer requests ({:.0f}%)", number(most_ok - ok), 100 * (most_ok - ok) / most_ok);
    else if (unfinished > least_unfinished + 0.005 * most_ok)
      flags[c] = fmt::format("leaves {} more requests unfinished", number(unfinished - least_unfinished));
  }
  auto eligible = [&](std::size_t c) { return flags[c].empty(); };

  // The table: one row per metric, one column per variant.
  std::vector<std::vector<std::string>> cells(metrics.size());
  for (std::size_t m = 0; m < metrics.size(); ++m) {
    std::optional<double> best;
    for (std::size_t c = 0; c < columns.size(); ++c) {
      const double v = columns[c].estimates[m].mean;
      if (!eligible(c) || std::isnan(v)) continue;
      best = !best ? v : metrics[m].lower_is_better ? std::min(*best, v) : std::max(*best, v);
    }
    for (std::size_t ci = 0; ci < columns.size(); ++ci) {
      const Column& c = columns[ci];
      const metrics::Estimate& e = c.estimates[m];
      std::string cell = number(e.mean);
      if (replications > 1 && !std::isnan(e.mean)) cell += " ± " + number(e.high - e.mean);
      if (ci != 0) {
        const double base = columns[0].estimates[m].mean;
        if (base != 0 && !std::isnan(base) && !std::isnan(e.mean)) cell += fmt::format(" ({:+.0f}%)", 100 * (e.mean - base) / base);
        else if (e.mean != 0 && !std::isnan(e.mean)) cell += " (new)";
      }
      const bool differs = std::any_of(columns.begin(), columns.end(), [&](const Column& o) {
        return o.estimates[m].mean != columns[0].estimates[m].mean;
      });
      cell += differs && eligible(ci) && best && e.mean == *best ? " *" : "  ";
      cells[m].push_back(cell);
    }
  }
  std::size_t label_width = 0;
  for (const auto& m : metrics) label_width = std::max(label_width, std::string(m.label).size());
  std::vector<std::size_t> widths;
  for (std::size_t c = 0; c < columns.size(); ++c) {
    std::size_t w = columns[c].name.size() + (eligible(c) ? 0 : 4);
    for (const auto& row : cells) w = std::max(w, row[c].size());
    widths.push_back(w);
  }
  const auto& s0 = columns[0].scenario;
  std::cout << fmt::format("{} · {} column{} · seed {}{} · {} simulated\n\n", s0.name, columns.size(),
                           columns.size() == 1 ? "" : "s", seed,
                           replications > 1 ? fmt::format("..{} ({} replications, 95% intervals)",
                                                          seed + static_cast<std::uint64_t>(replications) - 1, replications)
                                            : "",
                           scenario::format_duration(s0.world.duration));
  std::cout << fmt::format("{:<{}}", "", label_width);
  for (std::size_t c = 0; c < columns.size(); ++c)
    std::cout << fmt::format("  {:>{}}", columns[c].name + (eligible(c) ? "" : " (!)"), widths[c]);
  std::cout << "\n";
  for (std::size_t m = 0; m < metrics.size(); ++m) {
    if (m == first_counterfactual) std::cout << "\n";
    // Rows that are zero everywhere (a cause that never occurred) say nothing.
    if (std::all_of(columns.begin(), columns.end(), [&](const Column& c) {
          return c.estimates[m].mean == 0 && c.estimates[m].high == 0;
        }))
      continue;
    std::cout << fmt::format("{:<{}}", metrics[m].label, label_width);
    for (std::size_t c = 0; c < columns.size(); ++c) std::cout << fmt::format("  {:>{}}", cells[m][c], widths[c]);
    std::cout << "\n";
  }
  std::cout << "\n(change against base in brackets; * marks the best value of a row among the columns that get "
               "as much done)\n";
  for (std::size_t c = 0; c < columns.size(); ++c)
    if (!eligible(c))
      std::cout << fmt::format("(!) {} {}: its cost and latency are not comparable, and it is never marked best\n",
                               columns[c].name, flags[c]);

  if (!out_dir.empty()) {
    report::AtomicFile& csv = outputs.file(std::filesystem::path(out_dir) / "compare.csv");
    csv.stream() << "variant,metric,value,ci_low,ci_high\n";
    for (const Column& c : columns)
      for (std::size_t m = 0; m < metrics.size(); ++m) {
        const metrics::Estimate& e = c.estimates[m];
        std::string metric = std::string(metrics[m].path).substr(1);
        std::replace(metric.begin(), metric.end(), '/', '.');
        csv.stream() << fmt::format("{},{},{},{},{}\n", c.name, metric, report::round_significant(e.mean),
                                    report::round_significant(e.low), report::round_significant(e.high));
      }
    outputs.commit();
    std::cout << fmt::format("wrote {}\n", (std::filesystem::path(out_dir) / "compare.csv").string());
  }
  return kExitOk;
}

}  // namespace ratesim::cli
