#include "sim/cli/commands.hpp"

#include <fmt/format.h>

#include <array>

#include "sim/cli/backtest_command.hpp"
#include "sim/cli/calibrate_command.hpp"
#include "sim/cli/check_command.hpp"
#include "sim/cli/compare_command.hpp"
#include "sim/cli/merge_command.hpp"
#include "sim/cli/presets_command.hpp"
#include "sim/cli/run_command.hpp"
#include "sim/cli/search_command.hpp"
#include "sim/cli/sweep_command.hpp"
#include "sim/cli/validate_command.hpp"

namespace ratesim::cli {
namespace {

constexpr std::array kCommands{
    Command{"run", "FILE",
            "simulate a scenario; print a summary, optionally write summary.json,\n"
            "timeseries.csv and limits.csv, and an attempts log",
            run_command},
    Command{"compare", "FILE",
            "the scenario and its variants side by side, with deltas and (with\n"
            "--replications) 95% confidence intervals",
            compare_command},
    Command{"sweep", "FILE",
            "every point of a grid of overrides × replications, one CSV row each, plus\n"
            "means and 95% intervals; --jobs runs them in parallel",
            sweep_command},
    Command{"search", "FILE",
            "the largest or smallest value of one path that meets requirements on the\n"
            "results (max safe rate, fewest workers, the knee), with the evidence",
            search_command},
    Command{"check", "FILE",
            "a CI gate: the scenario's expect: bounds and/or a --baseline summary.json;\n"
            "exit 1 on any failure",
            check_command},
    Command{"validate", "FILE",
            "check a scenario file without running it; --resolved prints it with its\n"
            "preset expanded",
            validate_command},
    Command{"presets", "[NAME]", "list the built-in provider presets with their dates, or print one", presets_command},
    Command{"calibrate", "LOG...",
            "fit a scenario to recorded attempts logs: limits, bucket, latency, sizes,\n"
            "retries, each value with its evidence",
            calibrate_command},
    Command{"backtest", "LOG FILE",
            "replay a log's requests through a scenario and compare; exit 1 beyond the\n"
            "tolerance",
            backtest_command},
    Command{"merge", "PART...", "join the parts of a sharded sweep into the unsharded sweep's CSV", merge_command},
};

/// Where the summaries start; a name and arguments longer than the gap before it get a line of
/// their own.
constexpr std::size_t kSummaryColumn = 18;

std::string help_entry(const Command& c) {
  const std::string head = fmt::format("  {} {}", c.name, c.arguments);
  std::string out = head.size() + 2 <= kSummaryColumn ? fmt::format("{:<{}}", head, kSummaryColumn)
                                                      : head + "\n" + std::string(kSummaryColumn, ' ');
  for (const char ch : c.summary) {
    out += ch;
    if (ch == '\n') out += std::string(kSummaryColumn, ' ');
  }
  return out + "\n";
}

}  // namespace

std::span<const Command> commands() { return kCommands; }

const Command* find_command(std::string_view name) {
  for (const Command& c : kCommands)
    if (c.name == name) return &c;
  return nullptr;
}

std::string main_help() {
  std::string out =
      "ratesim — a discrete-event simulator of LLM-API rate limits, for capacity planning.\n\n"
      "Usage: ratesim COMMAND [ARGS...]\n\n"
      "Commands:\n";
  for (const Command& c : kCommands) out += help_entry(c);
  return out + R"(
Run 'ratesim COMMAND --help' for a command's options. 'ratesim --version' prints the version.
Exit codes: 0 ok, 1 a check failed (check, backtest) or no value qualified (search), 2 bad input
or usage, 3 internal error, 130 / 143 stopped by SIGINT / SIGTERM (nothing written).
Documentation: docs/getting-started.md, docs/scenarios.md.
)";
}

}  // namespace ratesim::cli
