#include "sim/cli/sweep_command.hpp"

#include <fmt/format.h>

#include <boost/program_options.hpp>
#include <cmath>
#include <filesystem>
#include <iostream>

#include "sim/cli/command_line.hpp"
#include "sim/cli/parallel.hpp"
#include "sim/cli/compare_command.hpp"
#include "sim/cli/runner.hpp"
#include "sim/cli/usage.hpp"
#include "sim/report/output_set.hpp"
#include "sim/report/run_progress.hpp"
#include "sim/metrics/confidence.hpp"
#include "sim/report/atomic_file.hpp"
#include "sim/report/number_format.hpp"
#include "sim/report/summary_json.hpp"
#include "sim/scenario/scenario_loader.hpp"

namespace po = boost::program_options;

namespace ratesim::cli {
namespace {

struct Axis {
  std::string path;
  std::vector<std::string> values;
};

Axis parse_grid(const std::string& text) {
  const std::size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == text.size())
    throw UsageError(fmt::format("invalid --grid '{}': expected PATH=V1,V2,..., e.g. "
                                 "--grid workloads.backfill.client.semaphore.limit=4,8,16", text));
  Axis a{.path = text.substr(0, eq), .values = {}};
  std::size_t start = eq + 1;
  for (;;) {
    const std::size_t comma = text.find(',', start);
    a.values.push_back(text.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return a;
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

/// The metrics the table on stdout shows (the CSV has them all).
const char* const kTableMetrics[] = {"/total/requests/ok", "/total/requests/gave_up", "/total/attempts/r429/total",
                                     "/total/latency_s/p99", "/total/makespan_s", "/total/cost_usd/per_ok_request"};
const char* const kTableLabels[] = {"ok", "gave up", "429s", "p99, s", "makespan, s", "USD per ok"};

std::string cell(const metrics::Estimate& e, int replications) {
  return report::readable(e.mean, e.high, replications);
}

/// One row per grid point: its values, then the means (± half the 95% interval) of a few metrics.
std::string sweep_table(const std::vector<Axis>& axes, const std::vector<std::vector<std::string>>& points,
                        const std::vector<std::vector<double>>& values, int replications) {
  const auto& all = compared_metrics();
  std::vector<std::size_t> picked;
  for (const char* m : kTableMetrics)
    for (std::size_t i = 0; i < all.size(); ++i)
      if (std::string(all[i].path) == m) picked.push_back(i);
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> head;
  for (const Axis& a : axes) head.push_back(a.path.substr(a.path.rfind('.') + 1));
  for (const char* l : kTableLabels) head.push_back(l);
  rows.push_back(head);
  const auto reps = static_cast<std::size_t>(replications);
  for (std::size_t p = 0; p < points.size(); ++p) {
    std::vector<std::string> row = points[p];
    for (const std::size_t m : picked) {
      std::vector<double> v;
      for (std::size_t r = 0; r < reps; ++r) v.push_back(values[p * reps + r][m]);
      row.push_back(cell(metrics::estimate(v), replications));
    }
    rows.push_back(row);
  }
  std::vector<std::size_t> width(head.size(), 0);
  for (const auto& row : rows)
    for (std::size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t c = 0; c < row.size(); ++c) line += fmt::format("  {:>{}}", row[c], width[c]);
    out += line + "\n";
  }
  if (replications > 1) out += "(means over the replications ± half their 95% interval)\n";
  return out;
}

}  // namespace

int sweep_command(const std::vector<std::string>& args) {
  po::options_description visible(R"(Usage: ratesim sweep FILE --grid PATH=V1,V2,... [--grid ...] --out F.csv [options]

Runs the scenario at every point of a grid of overrides (the product of the --grid lists) and
every replication, and writes one CSV row per run, then for each point its mean and 95%
confidence interval (Student's t) as rows with replication = mean, ci_low, ci_high. Runs are
spread over --jobs threads; the output does not depend on how many.

Options)");
  std::vector<std::string> grids, sets;
  std::string out, seed_text, variant;
  int replications = 1;
  std::string jobs_text;
  visible.add_options()("help,h", "show this help")(
      "grid", po::value(&grids)->composing(), "PATH=V1,V2,...: values of one override (repeatable)")(
      "replications", po::value(&replications), "runs per point, seeds seed, seed+1, ... (default 1)")(
      "jobs", po::value(&jobs_text), "threads to run on (default: all cores)")(
      "seed", po::value(&seed_text), "override the scenario's seed")(
      "set", po::value(&sets)->composing(), "override one value at every point: PATH=VALUE")(
      "variant", po::value(&variant), "sweep the scenario's variant NAME instead of the base")(
      "out", po::value(&out), "the CSV file to write (required)");
  std::string file;
  po::variables_map vm;
  if (!parse_command_line("sweep", args, visible, vm, file)) return kExitOk;
  if (vm.count("variant") && variant.empty())
    throw UsageError("invalid value '' for --variant: expected the name of one of the scenario's variants");
  if (grids.empty()) throw UsageError("sweep needs at least one --grid PATH=V1,V2,... (see 'ratesim sweep --help')");
  if (out.empty()) throw UsageError("sweep needs --out F.csv (see 'ratesim sweep --help')");
  if (replications < 1 || replications > 10'000)
    throw UsageError(fmt::format("invalid value '{}' for --replications: expected 1 to 10000", replications));
  const int jobs = parse_jobs(jobs_text);

  std::vector<Axis> axes;
  for (const std::string& g : grids) axes.push_back(parse_grid(g));
  // The output's folder is made (or found unwritable) before anything runs, and removed again
  // if the sweep fails and leaves it empty.
  report::OutputSet outputs;
  if (const auto parent = std::filesystem::path(out).parent_path(); !parent.empty()) outputs.directory(parent);
  // Every point, loaded (and so validated) before anything runs.
  std::vector<std::vector<std::string>> points{{}};
  for (const Axis& a : axes) {
    std::vector<std::vector<std::string>> next;
    for (const auto& p : points)
      for (const std::string& v : a.values) {
        next.push_back(p);
        next.back().push_back(v);
      }
    points = std::move(next);
  }
  if (points.size() * static_cast<std::size_t>(replications) > 1'000'000)
    throw UsageError("the sweep would make more than 1,000,000 runs: narrow the grid");
  std::vector<scenario::Scenario> scenarios;
  for (const auto& p : points) {
    std::vector<std::string> point_sets = sets;
    for (std::size_t i = 0; i < axes.size(); ++i) point_sets.push_back(axes[i].path + "=" + p[i]);
    scenarios.push_back(variant.empty() ? scenario::load_scenario_file(file, point_sets)
                                        : scenario::load_scenario_variant(file, variant, point_sets));
  }
  const std::uint64_t seed = vm.count("seed") ? parse_seed(seed_text) : scenarios[0].world.seed;

  // Runs go to a pool of threads; each result lands in its own slot, so the order of the
  // output does not depend on the number of jobs.
  const auto& metrics = compared_metrics();
  const std::size_t runs = points.size() * static_cast<std::size_t>(replications);
  std::vector<std::vector<double>> values(runs);
  report::RunProgress progress("sweep", runs);
  parallel_for(runs, jobs, [&](std::size_t i) {
    scenario::Scenario s = scenarios[i / static_cast<std::size_t>(replications)];
    s.world.seed = seed + i % static_cast<std::size_t>(replications);
    const auto json = report::summary_to_json(run_scenario(s, RunOptions{.counterfactual = false}).summary);
    for (const auto& m : metrics)
      values[i].push_back(metric_value(json, m.path));
  }, &progress);

  report::AtomicFile& csv = outputs.file(out);
  csv.stream() << "point";
  for (const Axis& a : axes) csv.stream() << "," << csv_field(a.path);
  csv.stream() << ",replication,seed";
  for (const auto& m : metrics) {
    std::string name = std::string(m.path).substr(1);
    std::replace(name.begin(), name.end(), '/', '.');
    csv.stream() << "," << name;
  }
  csv.stream() << "\n";
  for (std::size_t p = 0; p < points.size(); ++p) {
    auto prefix = [&] {
      std::string s = std::to_string(p);
      for (const std::string& v : points[p]) {
        s += ',';
        s += csv_field(v);
      }
      return s;
    };
    std::vector<std::vector<double>> by_metric(metrics.size());
    for (int r = 0; r < replications; ++r) {
      const auto& row = values[p * static_cast<std::size_t>(replications) + static_cast<std::size_t>(r)];
      csv.stream() << prefix() << "," << r << "," << seed + static_cast<std::uint64_t>(r);
      for (std::size_t m = 0; m < metrics.size(); ++m) {
        csv.stream() << "," << csv_number(row[m]);
        by_metric[m].push_back(row[m]);
      }
      csv.stream() << "\n";
    }
    std::vector<metrics::Estimate> est;
    for (const auto& v : by_metric) est.push_back(metrics::estimate(v));
    for (const char* kind : {"mean", "ci_low", "ci_high"}) {
      csv.stream() << prefix() << "," << kind << ",";
      for (const auto& e : est)
        csv.stream() << "," << csv_number(kind[0] == 'm' ? e.mean : kind[3] == 'l' ? e.low : e.high);
      csv.stream() << "\n";
    }
  }
  outputs.commit();
  std::cout << fmt::format("{}: {} points × {} replications = {} runs on {} thread{}\n\n", scenarios[0].name,
                           points.size(), replications, runs, jobs, jobs == 1 ? "" : "s");
  std::cout << sweep_table(axes, points, values, replications);
  std::cout << fmt::format("\nwrote {}\n", out);
  return kExitOk;
}

}  // namespace ratesim::cli
