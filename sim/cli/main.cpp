// ratesim's entry point: dispatches to a subcommand and turns errors into exit codes.
// Bad input (scenario errors, bad options, unwritable outputs) exits 2 with one message;
// anything else is a bug and exits 3.
#include <cerrno>
#include <cstdio>
#include <cstring>
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

namespace {

/// Whether everything written to stdout reached it: a full disk or /dev/full fails only when the
/// buffer is flushed, and a result that did not arrive must not exit 0.
bool stdout_written() {
  errno = 0;
  std::cout.flush();
  const bool ok = !std::cout.fail() && std::fflush(stdout) == 0 && !std::ferror(stdout);
  // The reason is known when the failing write was this flush's; an earlier one (output larger
  // than the buffer) left only stdout's error flag.
  const int reason = errno;
  if (!ok)
    std::cerr << "ratesim: cannot write to standard output" << (reason ? std::string(" (") + std::strerror(reason) + ")" : "")
              << ": what was printed is incomplete\n";
  return ok;
}

int dispatch(const std::string& command, const std::vector<std::string>& args);

}  // namespace

int main(int argc, char** argv) {
  using namespace ratesim::cli;
  const std::vector<std::string> all(argv + 1, argv + argc);
  if (all.empty()) {
    std::cerr << main_help();
    return kExitBadInput;
  }
  install_interrupt_handlers();
  const int code = dispatch(all[0], std::vector<std::string>(all.begin() + 1, all.end()));
  // A bad-input or internal exit keeps its code; a result (0, or 1 for a failed check) that
  // did not reach stdout is an error of its own.
  if ((code == kExitOk || code == kExitCheckFailed) && !stdout_written()) return kExitBadInput;
  return code;
}

namespace {

int dispatch(const std::string& command, const std::vector<std::string>& args) {
  using namespace ratesim::cli;
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

}  // namespace
