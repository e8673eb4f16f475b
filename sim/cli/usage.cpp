#include "sim/cli/usage.hpp"

namespace ratesim::cli {

std::string main_help() {
  return R"(ratesim — a discrete-event simulator of LLM-API rate limits, for capacity planning.

Usage: ratesim COMMAND [ARGS...]

Commands:
  run FILE        simulate a scenario; print a summary, optionally write summary.json,
                  timeseries.csv and limits.csv, and an attempts log
  compare FILE    the scenario and its variants side by side, with deltas and (with
                  --replications) 95% confidence intervals
  sweep FILE      every point of a grid of overrides × replications, one CSV row each, plus
                  means and 95% intervals; --jobs runs them in parallel
  search FILE     the largest or smallest value of one path that meets requirements on the
                  results (max safe rate, fewest workers, the knee), with the evidence
  check FILE      a CI gate: the scenario's expect: bounds and/or a --baseline summary.json;
                  exit 1 on any failure
  validate FILE   check a scenario file without running it; --resolved prints it with its
                  preset expanded
  presets [NAME]  list the built-in provider presets with their dates, or print one
  calibrate LOG...
                  fit a scenario to recorded attempts logs: limits, bucket, latency, sizes,
                  retries, each value with its evidence
  backtest LOG FILE
                  replay a log's requests through a scenario and compare; exit 1 beyond the
                  tolerance
  merge PART...   join the parts of a sharded sweep into the unsharded sweep's CSV

Run 'ratesim COMMAND --help' for a command's options. 'ratesim --version' prints the version.
Exit codes: 0 ok, 1 a check failed (check, backtest) or no value qualified (search), 2 bad input
or usage, 3 internal error, 130 / 143 stopped by SIGINT / SIGTERM (nothing written).
Documentation: docs/getting-started.md, docs/scenarios.md.
)";
}

}  // namespace ratesim::cli
