// ratesim's entry point: dispatches to a subcommand and turns errors into exit codes.
// Bad input (scenario errors, bad options, unwritable outputs) exits 2 with one message;
// anything else is a bug and exits 3.
#include <iostream>
#include <string>
#include <vector>

#include "models/request_slab.hpp"
#include "sim/cli/backtest_command.hpp"
#include "sim/cli/calibrate_command.hpp"
#include "sim/cli/check_command.hpp"
#include "sim/cli/interrupt.hpp"
#include "sim/cli/merge_command.hpp"
#include "sim/cli/compare_command.hpp"
#include "sim/cli/presets_command.hpp"
#include "sim/cli/run_command.hpp"
#include "sim/cli/search_command.hpp"
#include "sim/cli/sweep_command.hpp"
#include "sim/cli/runner.hpp"
#include "sim/cli/usage.hpp"
#include "sim/cli/validate_command.hpp"
#include "sim/report/atomic_file.hpp"
#include "sim/scenario/input_error.hpp"

int main(int argc, char** argv) {
  using namespace ratesim::cli;
  const std::vector<std::string> all(argv + 1, argv + argc);
  if (all.empty()) {
    std::cerr << main_help();
    return kExitBadInput;
  }
  const std::string& command = all[0];
  const std::vector<std::string> args(all.begin() + 1, all.end());
  install_interrupt_handlers();
  try {
    if (command == "--help" || command == "-h" || command == "help") {
      std::cout << main_help();
      return kExitOk;
    }
    if (command == "--version") {
      std::cout << "ratesim " << version() << "\n";
      return kExitOk;
    }
    if (command == "run") return run_command(args);
    if (command == "validate") return validate_command(args);
    if (command == "presets") return presets_command(args);
    if (command == "compare") return compare_command(args);
    if (command == "check") return check_command(args);
    if (command == "sweep") return sweep_command(args);
    if (command == "search") return search_command(args);
    if (command == "calibrate") return calibrate_command(args);
    if (command == "backtest") return backtest_command(args);
    if (command == "merge") return merge_command(args);
    throw UsageError("unknown command '" + command + "' (see 'ratesim --help')");
  } catch (const Interrupted& e) {
    std::cerr << "\nratesim: " << e.what() << "\n";
    return 128 + e.signal();
  } catch (const ratesim::models::TooManyPending& e) {
    std::cerr << "\nratesim: " << e.what() << "\n";
    return kExitBadInput;
  } catch (const ratesim::scenario::InputError& e) {
    std::cerr << e.what() << "\n";
    return kExitBadInput;
  } catch (const UsageError& e) {
    std::cerr << "ratesim: " << e.what() << "\n";
    return kExitBadInput;
  } catch (const ratesim::report::OutputError& e) {
    std::cerr << "ratesim: " << e.what() << "\n";
    return kExitBadInput;
  } catch (const std::exception& e) {
    std::cerr << "ratesim: internal error: " << e.what() << "\n";
    return kExitInternal;
  }
}
