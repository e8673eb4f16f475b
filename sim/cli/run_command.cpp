#include "sim/cli/run_command.hpp"

#include <fmt/format.h>

#include <boost/program_options.hpp>
#include <filesystem>
#include <iostream>

#include "sim/cli/command_line.hpp"
#include "sim/cli/runner.hpp"
#include "sim/cli/sensitivity.hpp"
#include "sim/cli/shared_options.hpp"
#include "sim/metrics/diagnosis.hpp"
#include "sim/cli/usage.hpp"
#include "sim/cli/warning.hpp"
#include "sim/report/atomic_file.hpp"
#include "sim/report/output_set.hpp"
#include "sim/report/number_format.hpp"
#include "sim/report/progress_bar.hpp"
#include "sim/report/summary_json.hpp"
#include "sim/report/summary_table.hpp"
#include "sim/scenario/provider_warnings.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/units.hpp"

namespace po = boost::program_options;

namespace ratesim::cli {
namespace {

constexpr const char* kRunUsage = R"(Usage: ratesim run FILE [options]

Simulates the scenario in FILE and prints a summary table: requests by outcome, attempts and
429s by cause, latency percentiles, throughput, tokens and cost, per workload and in total.

Options)";

/// Most rows timeseries.csv and limits.csv may have together (about a gigabyte).
constexpr double kMaxSeriesRows = 1e7;

std::string describe_duration(double seconds) {
  if (seconds >= 3600 && static_cast<long long>(seconds) % 3600 == 0)
    return fmt::format("{}h", static_cast<long long>(seconds) / 3600);
  if (seconds >= 60 && static_cast<long long>(seconds) % 60 == 0)
    return fmt::format("{}m", static_cast<long long>(seconds) / 60);
  return fmt::format("{}s", seconds);
}

void print_warnings(const scenario::Scenario& s, const metrics::Summary& summary) {
  // A superseded preset is told here, not among the summary's warnings: it is advice about the
  // scenario file rather than a finding of the run, and would change the committed summary of
  // every example still on a tier 1-4 preset.
  if (const auto superseded = scenario::superseded_preset_warning(s)) print_warning(*superseded);
  for (const std::string& w : metrics::diagnose(summary).warnings) print_warning(w);
}

/// `--requests` is a flag, so that `run --requests FILE` leaves FILE to be the scenario; the
/// file's name in the --out folder may be given as `--requests=NAME`. Takes such an argument
/// out of `args` (leaving the flag) and returns NAME, or "requests.csv".
std::string take_requests_name(std::vector<std::string>& args) {
  constexpr std::string_view kPrefix = "--requests=";
  std::string name = "requests.csv";
  for (std::string& a : args) {
    if (a == "--") break;
    if (a.rfind(kPrefix, 0) != 0) continue;
    name = a.substr(kPrefix.size());
    a = "--requests";
  }
  const auto ends_with = [&](std::string_view tail) {
    return name.size() > tail.size() && name.compare(name.size() - tail.size(), tail.size(), tail) == 0;
  };
  if (name.empty() || name.find_first_of("/\\") != std::string::npos || name.front() == '.' ||
      !(ends_with(".csv") || ends_with(".csv.gz")))
    throw UsageError(fmt::format("invalid value '{}' for --requests: expected a file name (no folder) ending in "
                                 ".csv, or .csv.gz to write it gzip-compressed, e.g. --requests=requests.csv.gz",
                                 name));
  for (const char* taken : {"timeseries.csv", "limits.csv", "sensitivity.csv"})
    if (name == taken)
      throw UsageError(fmt::format("invalid value '{}' for --requests: --out writes a file of that name already; "
                                   "choose another, e.g. --requests=requests.csv.gz",
                                   name));
  return name;
}

}  // namespace

int run_command(const std::vector<std::string>& given_args) {
  std::vector<std::string> args = given_args;
  const std::string requests_name = take_requests_name(args);
  po::options_description visible(kRunUsage);
  std::string interval_text, out_dir, attempts_log_path;
  visible.add_options()("help,h", "show this help");
  const SeedOption seed(visible);
  const VariantOption variant(visible, "run the scenario's variant NAME (from its variants:) instead of the base");
  const SetOption sets(visible, "override one value: PATH=VALUE, e.g. --set workloads.chat.deadline=30s (repeatable)");
  visible.add_options()
      ("out", po::value(&out_dir), "write summary.json, timeseries.csv and limits.csv into this folder")
      ("interval", po::value(&interval_text)->default_value("10s"),
       "time-series interval (and the window of peak throughput)")
      ("json", "print the summary as JSON instead of a table")
      ("sensitivity", "also rerun the scenario with each assumed value (burst, acceleration profile, "
                      "initial_load, latency, ...) at the low and high end of its plausible range, one "
                      "at a time, and print how the results move; with --out, write sensitivity.csv");
  const JobsOption jobs(visible, "threads for --sensitivity (default: all cores)");
  visible.add_options()
      ("requests", "with --out, also write requests.csv: one row per request (memory grows with the requests "
                   "in flight); --requests=NAME names the file, e.g. --requests=requests.csv.gz to write it "
                   "gzip-compressed")
      ("attempts-log", po::value(&attempts_log_path),
       "write every attempt as the client saw it to this file, JSON Lines in the format of a recorded "
       "attempts log (status, latency, usage, rate-limit headers)");
  std::string file;
  po::variables_map vm;
  if (!parse_command_line("run", args, visible, vm, file,
                          "\nExit codes: 0 ok, 2 bad input or usage, 3 internal error.\n"))
    return kExitOk;

  const auto interval = scenario::parse_duration(interval_text);
  if (!interval || interval->count() <= 0)
    throw UsageError(fmt::format("invalid value '{}' for --interval: expected a duration above "
                                 "zero, e.g. 10s, 1m",
                                 interval_text));
  scenario::Scenario s = variant.value().empty() ? scenario::load_scenario_file(file, sets.value())
                                                 : scenario::load_scenario_variant(file, variant.value(), sets.value());
  if (seed.value()) s.world.seed = *seed.value();
  // The time series has a row per interval per workload (and "all"), limits.csv one per budget:
  // an interval too short for the horizon would write without bound.
  if (*interval > s.world.duration)
    throw UsageError(fmt::format("invalid value '{}' for --interval: expected at most the scenario's duration ({})",
                                 interval_text, scenario::format_duration(s.world.duration)));
  const double rows = kernel::to_seconds(s.world.duration) / kernel::to_seconds(*interval) *
                      static_cast<double>(s.world.workloads.size() + 1 + 4 * s.world.provider.groups.size());
  if (rows > kMaxSeriesRows)
    throw UsageError(fmt::format("invalid value '{}' for --interval: it would write about {:.3g} time-series rows "
                                 "(at most {:.0e}); choose a longer interval",
                                 interval_text, rows, kMaxSeriesRows));

  RunOptions options{.interval = *interval, .timeseries = nullptr, .progress = true};
  if (vm.count("requests") && out_dir.empty())
    throw UsageError(fmt::format("--requests writes {} into the --out folder: give --out DIR too", requests_name));
  // The files appear together when everything has run, or not at all.
  report::OutputSet outputs;
  report::AtomicFile* summary_file = nullptr;
  if (!out_dir.empty()) {
    const std::filesystem::path dir(out_dir);
    outputs.directory(dir);
    summary_file = &outputs.file(dir / "summary.json");
    options.timeseries = &outputs.file(dir / "timeseries.csv").stream();
    options.limits = &outputs.file(dir / "limits.csv").stream();
    if (vm.count("requests")) options.requests = &outputs.file(dir / requests_name).stream();
  }

  if (!attempts_log_path.empty()) {
    const std::filesystem::path log(attempts_log_path);
    if (!log.parent_path().empty()) outputs.directory(log.parent_path());
    options.attempts_log = &outputs.file(log).stream();
  }
  print_spend_warnings({{"", &s}});
  const RunResult result = run_scenario(s, options);
  std::vector<SensitivityRow> sensitivity;
  if (vm.count("sensitivity")) sensitivity = run_sensitivity(s, jobs.value());
  if (summary_file) {
    summary_file->stream() << report::summary_json_text(result.summary);
    if (!sensitivity.empty())
      write_sensitivity_csv(outputs.file(std::filesystem::path(out_dir) / "sensitivity.csv").stream(), sensitivity);
  }
  outputs.commit();
  if (vm.count("json")) {
    std::cout << report::summary_json_text(result.summary);
  } else {
    std::cout << fmt::format("{}{} · seed {} · {} simulated · {} events in {:.2f} s\n\n", s.name,
                             s.variant.empty() ? "" : " (" + s.variant + ")",
                             s.world.seed, describe_duration(result.summary.duration_s),
                             report::with_separators(result.events), result.wall_seconds);
    std::cout << report::summary_table(result.summary, report::use_colour(stdout));
    if (!sensitivity.empty()) std::cout << sensitivity_table(sensitivity);
    if (summary_file) std::cout << fmt::format("\nwrote the outputs into {}\n", out_dir);
  }
  print_warnings(s, result.summary);
  return kExitOk;
}

}  // namespace ratesim::cli
