// ratesim's entry point: dispatches to a subcommand and turns errors into exit codes.
// Bad input (scenario errors, bad options, unwritable outputs) exits 2 with one message;
// anything else is a bug and exits 3.
#include <iostream>
#include <string>
#include <vector>

#include "models/request_slab.hpp"
#include "sim/cli/commands.hpp"
#include "sim/cli/interrupt.hpp"
#include "sim/cli/runner.hpp"
#include "sim/cli/usage.hpp"
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
    if (const Command* c = find_command(command)) return c->run(args);
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
