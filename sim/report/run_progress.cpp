#include "sim/report/run_progress.hpp"

#include <unistd.h>

namespace ratesim::report {

RunProgress::RunProgress(std::string what, std::size_t total, std::FILE* out)
    : what_(std::move(what)),
      total_(total),
      out_(out),
      enabled_(::isatty(::fileno(out)) != 0),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

RunProgress::~RunProgress() {
  if (drawn_) {
    std::fputs("\r\033[K", out_);
    std::fflush(out_);
  }
}

void RunProgress::done() {
  const std::size_t n = ++done_;
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  const std::lock_guard lock(mutex_);
  if (now - start_ < std::chrono::milliseconds(500) || now - last_draw_ < std::chrono::milliseconds(200)) return;
  last_draw_ = now;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  if (total_ > 0) std::fprintf(out_, "\r\033[K%s: run %zu of %zu, %.1f s", what_.c_str(), n, total_.load(), elapsed);
  else std::fprintf(out_, "\r\033[K%s: run %zu, %.1f s", what_.c_str(), n, elapsed);
  std::fflush(out_);
  drawn_ = true;
}

}  // namespace ratesim::report
