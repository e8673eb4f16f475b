#include "sim/cli/warning.hpp"
#include "sim/cli/sweep_command.hpp"

#include <fmt/format.h>

#include <boost/program_options.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>

#include "sim/cli/command_line.hpp"
#include "sim/cli/shared_options.hpp"
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
#include "sim/report/sweep_csv.hpp"
#include "sim/scenario/units.hpp"
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

/// K/N, 1 <= K <= N <= 100,000.
report::SweepShard parse_shard(const std::string& text, std::string sweep) {
  const std::size_t slash = text.find('/');
  const auto k = slash == std::string::npos ? std::nullopt : scenario::parse_number(text.substr(0, slash));
  const auto n = slash == std::string::npos ? std::nullopt : scenario::parse_number(text.substr(slash + 1));
  if (!k || !n || *k != std::floor(*k) || *n != std::floor(*n) || *n < 1 || *n > 100'000 || *k < 1 || *k > *n)
    throw UsageError(fmt::format("invalid value '{}' for --shard: expected K/N with 1 <= K <= N, e.g. 2/8", text));
  return report::SweepShard{.index = static_cast<int>(*k), .count = static_cast<int>(*n), .sweep = std::move(sweep)};
}

/// What makes two parts halves of one sweep: the scenario file's bytes, the overrides, the
/// variant, the grid, the replications and the seed (FNV-1a, 64 bits).
std::string sweep_fingerprint(const std::string& file, const std::vector<std::string>& sets, const std::string& variant,
                              const std::vector<std::string>& grids, int replications, std::uint64_t seed) {
  std::uint64_t h = 1469598103934665603ull;
  const auto mix = [&](const std::string& s) {
    for (const unsigned char c : s) {
      h ^= c;
      h *= 1099511628211ull;
    }
    h ^= 0xff;  // a separator no text contains
    h *= 1099511628211ull;
  };
  std::ifstream in(file, std::ios::binary);
  mix(std::string(std::istreambuf_iterator<char>(in), {}));
  for (const std::string& s : sets) mix("set " + s);
  mix("variant " + variant);
  for (const std::string& g : grids) mix("grid " + g);
  mix(fmt::format("replications {} seed {}", replications, seed));
  return fmt::format("{:016x}", h);
}

}  // namespace

int sweep_command(const std::vector<std::string>& args) {
  po::options_description visible(R"(Usage: ratesim sweep FILE --grid PATH=V1,V2,... [--grid ...] --out F.csv [options]

Runs the scenario at every point of a grid of overrides (the product of the --grid lists) and
every replication, and writes one CSV row per run, then for each point its mean and 95%
confidence interval (Student's t) as rows with replication = mean, ci_low, ci_high. Runs are
spread over --jobs threads; the output does not depend on how many. With --shard K/N it runs one
slice of the runs, for machines that share a sweep: 'ratesim merge' joins the N parts into the
very bytes the whole sweep writes (docs/scale-out.md).

Options)");
  std::vector<std::string> grids;
  std::string out, shard_text;
  visible.add_options()("help,h", "show this help")(
      "grid", po::value(&grids)->composing(), "PATH=V1,V2,...: values of one override (repeatable)");
  const ReplicationsOption replication_option(visible, "runs per point, seeds seed, seed+1, ... (default 1)");
  const JobsOption jobs_option(visible);
  const SeedOption seed_option(visible);
  const SetOption set_option(visible, "override one value at every point: PATH=VALUE");
  const VariantOption variant_option(visible, "sweep the scenario's variant NAME instead of the base");
  visible.add_options()(
      "out", po::value(&out), "the CSV file to write (required)")(
      "shard", po::value(&shard_text),
      "K/N: run only the K-th of N slices of the runs (K from 1) and write them as a part file for "
      "'ratesim merge'; every run keeps the seed it has in the whole sweep");
  std::string file;
  po::variables_map vm;
  if (!parse_command_line("sweep", args, visible, vm, file)) return kExitOk;
  const std::vector<std::string>& sets = set_option.value();
  const std::string& variant = variant_option.value();
  const int replications = replication_option.value();
  if (grids.empty()) throw UsageError("sweep needs at least one --grid PATH=V1,V2,... (see 'ratesim sweep --help')");
  if (out.empty()) throw UsageError("sweep needs --out F.csv (see 'ratesim sweep --help')");
  const int jobs = jobs_option.value();

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
  const std::uint64_t seed = seed_option.value().value_or(scenarios[0].world.seed);
  std::vector<std::pair<std::string, const scenario::Scenario*>> labelled;
  for (std::size_t p = 0; p < points.size(); ++p) {
    std::string label;
    for (std::size_t i = 0; i < axes.size(); ++i) label += (i ? ", " : "") + axes[i].path + "=" + points[p][i];
    labelled.emplace_back(label, &scenarios[p]);
  }
  print_spend_warnings(labelled);

  std::optional<report::SweepShard> shard;
  if (!shard_text.empty()) shard = parse_shard(shard_text, sweep_fingerprint(file, sets, variant, grids, replications, seed));

  // Runs go to a pool of threads; each result lands in its own slot, so the order of the
  // output does not depend on the number of jobs.
  report::SweepData data{.axes = {}, .points = points, .metrics = {}, .replications = replications, .seed = seed, .values = {}};
  for (const Axis& a : axes) data.axes.push_back(a.path);
  const auto& metrics = compared_metrics();
  for (const auto& m : metrics) {
    std::string name = std::string(m.path).substr(1);
    std::replace(name.begin(), name.end(), '/', '.');
    data.metrics.push_back(name);
  }
  const std::size_t runs = points.size() * static_cast<std::size_t>(replications);
  data.values.resize(runs);
  std::vector<std::size_t> mine;
  for (std::size_t i = 0; i < runs; ++i)
    if (!shard || report::in_shard(i, *shard)) mine.push_back(i);
  report::RunProgress progress("sweep", mine.size());
  parallel_for(mine.size(), jobs, [&](std::size_t k) {
    const std::size_t i = mine[k];
    scenario::Scenario s = scenarios[i / static_cast<std::size_t>(replications)];
    s.world.seed = seed + i % static_cast<std::size_t>(replications);
    const auto json = report::summary_to_json(run_scenario(s, RunOptions{.counterfactual = false}).summary);
    for (const auto& m : metrics) data.values[i].push_back(metric_value(json, m.path));
  }, &progress);

  if (shard) {
    report::write_sweep_part(outputs.file(out).stream(), data, *shard);
    outputs.commit();
    std::cout << fmt::format("{}: part {}/{}: {} of the {} runs ({} points × {} replications) on {} thread{}\nwrote {}\n",
                             scenarios[0].name, shard->index, shard->count, mine.size(), runs, points.size(), replications,
                             jobs, jobs == 1 ? "" : "s", out);
    return kExitOk;
  }
  report::write_sweep_csv(outputs.file(out).stream(), data);
  outputs.commit();
  std::cout << fmt::format("{}: {} points × {} replications = {} runs on {} thread{}\n\n", scenarios[0].name,
                           points.size(), replications, runs, jobs, jobs == 1 ? "" : "s");
  std::cout << report::sweep_table_text(data);
  std::cout << fmt::format("\nwrote {}\n", out);
  return kExitOk;
}

}  // namespace ratesim::cli
