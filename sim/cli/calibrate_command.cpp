#include "sim/cli/calibrate_command.hpp"

#include <fmt/format.h>

#include <boost/program_options.hpp>
#include <filesystem>
#include <iostream>

#include "sim/calibrate/attempts_reader.hpp"
#include "sim/calibrate/calibrate.hpp"
#include "sim/calibrate/calibrate_output.hpp"
#include "sim/cli/command_line.hpp"
#include "sim/cli/usage.hpp"
#include "sim/report/output_set.hpp"
#include "sim/scenario/units.hpp"

namespace po = boost::program_options;

namespace ratesim::cli {
namespace {

constexpr const char* kCalibrateUsage = R"(Usage: ratesim calibrate LOG... [options]

Reads attempts logs (JSON Lines, or CSV with dotted names when a file ends in .csv: one record
per attempt with time, request_id, model, status, latency_s, usage, headers, error) and fits,
per model: the limits (from the *-limit headers), the token-bucket size (from remaining/reset
pairs), latency (time to first token and output speed), token sizes, 529s, and the evidence of
acceleration limits; and, for the client, its retries (attempts per request, whether retry-after
is waited for, the backoff) matched to an official client's defaults when one fits. Prints the
fit; --out writes it as a scenario file. docs/calibrate.md explains every estimate.

Options)";

void warn_skipped(const calibrate::AttemptsLog& log) {
  if (!log.skipped) return;
  std::cerr << fmt::format("warning: skipped {} malformed line{} (the first: {}:{}: {})\n", log.skipped,
                           log.skipped == 1 ? "" : "s", log.first_skipped_file, log.first_skipped_line,
                           log.first_skipped_reason);
}

}  // namespace

int calibrate_command(const std::vector<std::string>& args) {
  po::options_description visible(kCalibrateUsage);
  std::string out, report_dir, arrivals = "trace", phase_text = "5m", name = "fitted";
  visible.add_options()
      ("help,h", "show this help")
      ("out", po::value(&out), "write the fitted scenario to this file (and, for a trace, FILE's name with .trace.csv beside it)")
      ("report", po::value(&report_dir), "write the fit report into this folder: report.json, report.txt, and qq.csv and "
                                         "sizes.csv for the charts (tools/plot.py DIR)")
      ("json", "print the fit as JSON instead of a table")
      ("skip-bad", "count and skip malformed lines instead of stopping at the first")
      ("arrivals", po::value(&arrivals)->default_value("trace"),
       "how the fitted scenario brings requests: trace (the log's own, replayed) or phases (request counts per --phase, "
       "with fitted token-size distributions)")
      ("phase", po::value(&phase_text)->default_value("5m"), "the length of each phase with --arrivals phases")
      ("name", po::value(&name)->default_value("fitted"), "the fitted scenario's name");
  std::vector<std::string> logs;
  po::variables_map vm;
  if (!parse_command_line_files("calibrate", args, visible, vm, logs, 1, 60000, "at least one attempts LOG",
                                "\nExit codes: 0 ok, 2 bad input or usage, 3 internal error.\n"))
    return kExitOk;
  if (arrivals != "trace" && arrivals != "phases")
    throw UsageError(fmt::format("invalid value '{}' for --arrivals: expected trace or phases", arrivals));
  const auto phase = scenario::parse_duration(phase_text);
  if (!phase || phase->count() < 1'000'000)
    throw UsageError(fmt::format("invalid value '{}' for --phase: expected a duration of at least 1s", phase_text));
  if (vm.count("phase") && !vm["phase"].defaulted() && arrivals != "phases")
    throw UsageError("--phase applies to --arrivals phases");
  if (name.empty() || name.find_first_of("\n:#") != std::string::npos)
    throw UsageError(fmt::format("invalid value '{}' for --name: expected a plain name", name));

  const calibrate::AttemptsLog log = calibrate::read_attempts_logs(logs, {.skip_bad = vm.count("skip-bad") > 0});
  warn_skipped(log);
  const calibrate::Calibration c = calibrate::calibrate(log, arrivals == "phases");

  report::OutputSet outputs;
  if (!out.empty()) {
    const std::filesystem::path path(out);
    calibrate::FittedOptions options{.name = name, .phases = arrivals == "phases",
                                     .phase_seconds = static_cast<double>(phase->count()) / 1e6};
    if (!path.parent_path().empty()) outputs.directory(path.parent_path());
    options.trace_stem = path.stem().string();
    if (!options.phases)
      for (std::size_t k = 0; k < c.streams.size(); ++k)
        outputs.file(path.parent_path() / calibrate::trace_file_name(options, c, k)).stream() << calibrate::fitted_trace(c, k);
    outputs.file(path).stream() << calibrate::fitted_scenario(c, options);
  }
  const nlohmann::ordered_json json = calibrate::calibration_json(c);
  const std::string table = calibrate::calibration_table(c);
  if (!report_dir.empty()) {
    const std::filesystem::path dir(report_dir);
    outputs.directory(dir);
    outputs.file(dir / "report.json").stream() << json.dump(2) << "\n";
    outputs.file(dir / "report.txt").stream() << table;
    outputs.file(dir / "qq.csv").stream() << calibrate::qq_csv(c);
    outputs.file(dir / "sizes.csv").stream() << calibrate::sizes_csv(c);
  }
  outputs.commit();
  if (vm.count("json")) std::cout << json.dump(2) << "\n";
  else std::cout << table;
  return kExitOk;
}

}  // namespace ratesim::cli
