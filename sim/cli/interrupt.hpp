// SIGINT and SIGTERM stop ratesim cleanly: the running simulations stop between events, the
// command unwinds (every output file still under its temporary name is removed, folders it
// created empty are removed), ratesim says where it stopped and exits 128 + the signal (130 for
// SIGINT, 143 for SIGTERM). A second signal ends it at once, as usual.
#pragma once

#include <atomic>
#include <stdexcept>
#include <string>

namespace ratesim::cli {

/// Installs the handlers (once, at start-up).
void install_interrupt_handlers();
/// Raised by the handlers; simulations watch it.
const std::atomic<bool>* stop_flag();
/// The signal that raised it (0: none).
int stop_signal();
/// For tests: raise or lower the flag as if a signal had (not) arrived.
void set_stop_for_testing(int signal);

/// Thrown when a run was stopped by a signal; caught once in main.
class Interrupted : public std::runtime_error {
 public:
  Interrupted(int signal, double at_s, double of_s);
  int signal() const { return signal_; }

 private:
  int signal_;
};

}  // namespace ratesim::cli
