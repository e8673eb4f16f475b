// `ratesim run FILE [--seed N] [--set PATH=VALUE]... [--out DIR] [--interval D] [--json]`
#pragma once

#include <string>
#include <vector>

namespace ratesim::cli {

/// Runs the subcommand with the arguments after "run"; returns the exit code.
/// Throws UsageError, scenario::InputError or report::OutputError on bad input.
int run_command(const std::vector<std::string>& args);

}  // namespace ratesim::cli
