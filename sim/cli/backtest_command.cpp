#include "sim/cli/backtest_command.hpp"

#include <fmt/format.h>

#include <boost/program_options.hpp>
#include <filesystem>
#include <iostream>

#include "sim/calibrate/attempts_reader.hpp"
#include "sim/cli/backtest.hpp"
#include "sim/cli/command_line.hpp"
#include "sim/cli/shared_options.hpp"
#include "sim/cli/usage.hpp"
#include "sim/report/number_format.hpp"
#include "sim/report/output_set.hpp"
#include "sim/scenario/scenario_loader.hpp"

namespace po = boost::program_options;

namespace ratesim::cli {
namespace {

constexpr const char* kBacktestUsage = R"(Usage: ratesim backtest LOG SCENARIO [options]

Replays the logical requests of an attempts LOG (each at its first attempt's send time, with
its prompt, output, max_tokens and model) through SCENARIO's provider and the client of the
workload that uses the request's model (else its first workload's), and compares the log with
the simulation: requests ok and given up, attempts, 429s by cause, 529s, latency percentiles,
and per minute (--per-minute, --json, --out). Exit 1 when the simulated requests ok, given up
or 429s differ from the log's by more than the tolerance, relative to the log's count; against
a log's 0 (the difference prints n/a), when the simulated count exceeds the tolerance times the
log's requests.

Options)";

}  // namespace

int backtest_command(const std::vector<std::string>& args) {
  po::options_description visible(kBacktestUsage);
  std::string tolerance_text = "20%", out_dir;
  visible.add_options()
      ("help,h", "show this help")
      ("tolerance", po::value(&tolerance_text)->default_value("20%"),
       "how far the simulated requests ok, given up and 429s may be from the log's, relative to the log's "
       "(to the log's requests where the log's count is 0)")
      ("out", po::value(&out_dir), "write backtest.json and backtest.csv (per minute, observed and simulated side by side) "
                                   "into this folder (tools/plot.py DIR charts it)")
      ("json", "print the comparison as JSON (schema ratesim.backtest/2), per minute included")
      ("per-minute", "print each minute's attempts, ok, 429s and 529s, observed / simulated, before the comparison")
      ("skip-bad", "count and skip malformed log lines instead of stopping at the first");
  const VariantOption variant_option(visible, "use the scenario's variant NAME");
  const SetOption sets(visible, "override one value of the scenario: PATH=VALUE (repeatable)");
  const SeedOption seed(visible);
  std::vector<std::string> files;
  po::variables_map vm;
  if (!parse_command_line_files("backtest", args, visible, vm, files, 2, 2, "an attempts LOG and a SCENARIO",
                                "\nExit codes: 0 requests ok, given up and 429s within tolerance, 1 any of them beyond it,\n"
                                "2 bad input or usage, 3 internal error.\n"))
    return kExitOk;
  const double tolerance = parse_percent(tolerance_text, "--tolerance");
  const std::string& variant = variant_option.value();
  scenario::Scenario s = variant.empty() ? scenario::load_scenario_file(files[1], sets.value())
                                         : scenario::load_scenario_variant(files[1], variant, sets.value());
  if (seed.value()) s.world.seed = *seed.value();
  const calibrate::AttemptsLog log = read_logs({files[0]}, vm.count("skip-bad") > 0);
  const BacktestResult r = backtest(log, std::move(s), tolerance);
  const nlohmann::ordered_json json = backtest_json(r);
  if (!out_dir.empty()) {
    report::OutputSet outputs;
    const std::filesystem::path dir(out_dir);
    outputs.directory(dir);
    outputs.file(dir / "backtest.json").stream() << json.dump(2) << "\n";
    outputs.file(dir / "backtest.csv").stream() << backtest_csv(r);
    outputs.commit();
  }
  if (vm.count("json")) {
    std::cout << json.dump(2) << "\n";
  } else {
    const auto name = [](const std::string& p) { return std::filesystem::path(p).filename().string(); };
    std::cout << fmt::format("backtest · {} ({} requests) against {}{} · tolerance {:g}%\n\n", name(files[0]),
                             report::with_separators(r.observed.arrived), name(files[1]), variant.empty() ? "" : " (" + variant + ")",
                             100 * tolerance);
    if (vm.count("per-minute")) std::cout << backtest_minutes_table(r) << "\n";
    std::cout << backtest_table(r);
  }
  return r.pass ? kExitOk : kExitCheckFailed;
}

}  // namespace ratesim::cli
