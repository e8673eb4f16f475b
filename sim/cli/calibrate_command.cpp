#include "sim/cli/calibrate_command.hpp"

#include <fmt/format.h>

#include <boost/program_options.hpp>
#include <filesystem>
#include <iostream>

#include "sim/calibrate/attempts_reader.hpp"
#include "sim/calibrate/calibrate.hpp"
#include "sim/calibrate/calibrate_output.hpp"
#include "sim/cli/backtest.hpp"
#include "sim/cli/command_line.hpp"
#include "sim/cli/shared_options.hpp"
#include "sim/cli/parallel.hpp"
#include "sim/cli/usage.hpp"
#include "sim/report/number_format.hpp"
#include "sim/report/output_set.hpp"
#include "sim/report/run_progress.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/units.hpp"

namespace po = boost::program_options;

namespace ratesim::cli {
namespace {

constexpr const char* kCalibrateUsage = R"(Usage: ratesim calibrate LOG... [options]

Reads attempts logs (JSON Lines, or CSV with dotted names when a file ends in .csv: one record
per attempt with time, request_id, model, status, latency_s, usage, headers, error) and fits,
per model: the limits (from the *-limit headers), the token-bucket size (from remaining/reset
pairs), latency (time to first token and output speed), token sizes, 529s, and the cause of each
429 (named by its message, else inferred from its headers against the request's needs, with
rounded remainders and unlogged prompts allowed for); and, for the client, its retries (attempts
per request, whether retry-after is waited for, the backoff) matched to an official client's
defaults when one fits. Prompt sizes count requests refused for their size as censored, so
survivors do not bias them small. When the log shows acceleration-style 429s, replays choose the
acceleration setting (13 runs). Prints the fit; --out writes it as a scenario file.
docs/calibrate.md explains every estimate.

Options)";

/// One acceleration setting replayed against the log.
struct AccelerationTrial {
  std::string profile;
  double initial_load = 0;
  double ok = 0, r429 = 0, acceleration = 0;  ///< simulated
  double minutes = 0;  ///< Σ|simulated − observed| 429s per minute, over the observed total
  double score = 0;    ///< the sum of the relative errors of ok, 429s, the per-minute 429s and acceleration 429s
};

/// Replays the log through the fitted provider and client with each acceleration profile and
/// initial load, and ranks them (best first) by how closely they reproduce what the log shows
/// without ambiguity: requests ok, the 429s in all and per minute, and the 429s that need
/// acceleration to explain them (inferred). Causes the log leaves to inference otherwise (itpm
/// against otpm) are not scored.
std::vector<AccelerationTrial> fit_acceleration(const calibrate::AttemptsLog& log, const calibrate::Calibration& c,
                                                const calibrate::LogTotals& observed, int jobs) {
  // The phases form needs no trace file; backtest replaces its arrivals with the log's anyway.
  const std::string text = calibrate::fitted_scenario(c, {.phases = true, .phase_seconds = 300});
  std::vector<AccelerationTrial> trials{{.profile = "off"}};
  for (const char* profile : {"lenient", "moderate", "strict"})
    for (const double load : {0.0, 0.25, 0.5, 0.75}) trials.push_back({.profile = profile, .initial_load = load});
  const double obs_ok = static_cast<double>(observed.total.requests(models::RequestOutcome::kOk));
  const double obs_429 = static_cast<double>(observed.total.r429_total() + observed.r429_unknown);
  const double minute_total = std::max(1.0, obs_429);
  const double obs_acc = static_cast<double>(observed.total.r429_of(models::LimitCause::kAcceleration));
  const auto rel = [](double sim, double obs) { return std::abs(sim - obs) / std::max(obs, 1.0); };
  report::RunProgress progress("acceleration fit", trials.size());
  parallel_for(trials.size(), jobs, [&](std::size_t i) {
    AccelerationTrial& t = trials[i];
    const std::string set = t.profile == "off" ? "provider.acceleration=off"
                                               : fmt::format("provider.acceleration={{profile: {}, initial_load: {}}}", t.profile, t.initial_load);
    const BacktestResult r = backtest(log, scenario::load_scenario_text(text, "fitted", {set}), 1.0);
    t.ok = static_cast<double>(r.simulated.requests(models::RequestOutcome::kOk));
    t.r429 = static_cast<double>(r.simulated.r429_total());
    t.acceleration = static_cast<double>(r.simulated.r429_of(models::LimitCause::kAcceleration));
    const std::size_t minutes = std::max(observed.minutes.r429.size(), r.simulated_minutes.r429.size());
    for (std::size_t m = 0; m < minutes; ++m) {
      const auto at = [m](const std::vector<std::uint64_t>& v) { return m < v.size() ? static_cast<double>(v[m]) : 0.0; };
      t.minutes += std::abs(at(r.simulated_minutes.r429) - at(observed.minutes.r429));
    }
    t.minutes /= minute_total;
    t.score = rel(t.ok, obs_ok) + rel(t.r429, obs_429) + t.minutes + rel(t.acceleration, obs_acc);
  }, &progress);
  std::stable_sort(trials.begin(), trials.end(), [](const auto& a, const auto& b) { return a.score < b.score; });
  return trials;
}

std::string acceleration_line(const std::vector<AccelerationTrial>& trials, const calibrate::LogTotals& observed) {
  const AccelerationTrial& best = trials.front();
  const std::string setting = best.profile == "off" ? "off" : fmt::format("{{profile: {}, initial_load: {}}}", best.profile, best.initial_load);
  return fmt::format("acceleration: {}   # of {} settings replayed, the closest to the log: 429s {} (log {}), acceleration 429s {} (log {}), "
                     "ok {} (log {}); next: {}, score {:.3f} against {:.3f}",
                     setting, trials.size(), report::readable(best.r429),
                     report::with_separators(observed.total.r429_total() + observed.r429_unknown), report::readable(best.acceleration),
                     report::with_separators(observed.total.r429_of(models::LimitCause::kAcceleration)), report::readable(best.ok),
                     report::with_separators(observed.total.requests(models::RequestOutcome::kOk)),
                     trials.size() > 1 ? (trials[1].profile == "off" ? std::string("off")
                                                                     : fmt::format("{} at {}", trials[1].profile, trials[1].initial_load))
                                       : std::string("none"),
                     trials.size() > 1 ? trials[1].score : 0.0, best.score);
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
      ("name", po::value(&name)->default_value("fitted"), "the fitted scenario's name")
      ("fit-acceleration", "replay to choose the acceleration setting even when the log's acceleration-style 429s "
                           "are fewer than 1% of its 429s (by default the replays run only when they are at least 1%); "
                           "off, without replays, when no 429 needs acceleration to explain it")
      ("no-fit-acceleration", "do not replay: with acceleration-style 429s in the log, assume the moderate profile");
  const JobsOption jobs_option(visible, "threads for --fit-acceleration (default: all cores)");
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

  const calibrate::AttemptsLog log = read_logs(logs, vm.count("skip-bad") > 0);
  const calibrate::Calibration c = calibrate::calibrate(log, arrivals == "phases");

  const int jobs = jobs_option.value();
  std::vector<AccelerationTrial> trials;
  const calibrate::LogTotals observed = calibrate::log_totals(log, c.logical, c.inference.cause);
  // No 429 that needs acceleration to explain it: nothing to fit, and off is the answer.
  const bool evident = observed.total.r429_of(models::LimitCause::kAcceleration) > 0;
  if (vm.count("fit-acceleration") && vm.count("no-fit-acceleration"))
    throw UsageError("--fit-acceleration and --no-fit-acceleration contradict each other: give one");
  // The acceleration setting is the one assumption a log cannot settle directly: when the log
  // shows acceleration-style 429s, replays choose the setting that reproduces them.
  const bool replay = !vm.count("no-fit-acceleration") && (calibrate::shows_acceleration(c) || (vm.count("fit-acceleration") && evident));
  if (replay) trials = fit_acceleration(log, c, observed, jobs);

  report::OutputSet outputs;
  if (!out.empty()) {
    const std::filesystem::path path(out);
    calibrate::FittedOptions options{.name = name, .phases = arrivals == "phases",
                                     .phase_seconds = static_cast<double>(phase->count()) / 1e6};
    if (!trials.empty()) options.acceleration_line = acceleration_line(trials, observed);
    else if (vm.count("fit-acceleration"))
      options.acceleration_line = fmt::format("acceleration: off   # --fit-acceleration: no 429 needs acceleration to explain it "
                                              "(of {}, none with room in every budget), so nothing was replayed",
                                              report::with_separators(observed.total.r429_total() + observed.r429_unknown));
    if (!path.parent_path().empty()) outputs.directory(path.parent_path());
    options.trace_stem = path.stem().string();
    if (!options.phases)
      for (std::size_t k = 0; k < c.streams.size(); ++k)
        outputs.file(path.parent_path() / calibrate::trace_file_name(options, c, k)).stream() << calibrate::fitted_trace(c, k);
    outputs.file(path).stream() << calibrate::fitted_scenario(c, options);
  }
  nlohmann::ordered_json json = calibrate::calibration_json(c);
  std::string table = calibrate::calibration_table(c);
  if (!trials.empty()) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    table += fmt::format("\nacceleration fit (replays of the log; the log: ok {}, 429s {}, acceleration 429s {})\n",
                         report::with_separators(observed.total.requests(models::RequestOutcome::kOk)),
                         report::with_separators(observed.total.r429_total() + observed.r429_unknown),
                         report::with_separators(observed.total.r429_of(models::LimitCause::kAcceleration)));
    table += fmt::format("  {:<10}{:>14}{:>10}{:>10}{:>14}{:>16}{:>8}\n", "profile", "initial_load", "ok", "429s", "acceleration",
                         "per-minute err", "score");
    for (const AccelerationTrial& t : trials) {
      table += fmt::format("  {:<10}{:>14}{:>10}{:>10}{:>14}{:>16.3f}{:>8.3f}\n", t.profile,
                           t.profile == "off" ? "-" : fmt::format("{:g}", t.initial_load), report::readable(t.ok),
                           report::readable(t.r429), report::readable(t.acceleration), t.minutes, t.score);
      list.push_back({{"profile", t.profile}, {"initial_load", t.initial_load}, {"ok", t.ok}, {"r429", t.r429},
                      {"acceleration", t.acceleration}, {"per_minute_error", report::round_significant(t.minutes, 6)},
                      {"score", report::round_significant(t.score, 6)}});
    }
    json["acceleration_fit"] = list;
  } else if (vm.count("fit-acceleration")) {
    table += "\nacceleration fit: off, without replays: no 429 needs acceleration to explain it\n";
    json["acceleration_fit"] = nlohmann::ordered_json{{"chosen", "off"}, {"why", "no 429 needs acceleration to explain it"}};
  }
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
