#include "sim/cli/interrupt.hpp"

#include <fmt/format.h>

#include <csignal>

namespace ratesim::cli {
namespace {

std::atomic<bool> g_stop{false};
volatile std::sig_atomic_t g_signal = 0;

extern "C" void on_signal(int signal) {
  g_signal = signal;
  g_stop.store(true, std::memory_order_relaxed);
  std::signal(signal, SIG_DFL);  // a second one ends the process at once
}

const char* signal_name(int signal) {
  if (signal == SIGINT) return "SIGINT";
  if (signal == SIGTERM) return "SIGTERM";
  return "a signal";
}

}  // namespace

void install_interrupt_handlers() {
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
}

const std::atomic<bool>* stop_flag() { return &g_stop; }

int stop_signal() { return static_cast<int>(g_signal); }

void set_stop_for_testing(int signal) {
  g_signal = signal;
  g_stop.store(signal != 0);
}

Interrupted::Interrupted(int signal, double at_s, double of_s)
    : std::runtime_error(fmt::format("interrupted by {} at {:.1f} s of {:.1f} s simulated; no output was written",
                                     signal_name(signal), at_s, of_s)),
      signal_(signal) {}

}  // namespace ratesim::cli
