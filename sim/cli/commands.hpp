// The table of ratesim's commands: one row per command, with the words `ratesim --help` shows
// and the function that runs it. main() dispatches through it and the help is printed from it,
// so the two cannot drift apart (ninja's kTools does the same).
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ratesim::cli {

struct Command {
  std::string_view name;       ///< as typed: "run"
  std::string_view arguments;  ///< after the name in the help: "FILE", "LOG FILE", "[NAME]"
  std::string_view summary;    ///< the help's description; '\n' breaks its lines
  /// Runs the command with the arguments after its name; returns the exit code. Throws
  /// UsageError, scenario::InputError or report::OutputError on bad input.
  int (*run)(const std::vector<std::string>& args);
};

/// Every command, in the order the help lists them.
std::span<const Command> commands();
/// The command called `name`, or nullptr.
const Command* find_command(std::string_view name);
/// The top-level help text: usage, every command of the table, exit codes.
std::string main_help();

}  // namespace ratesim::cli
