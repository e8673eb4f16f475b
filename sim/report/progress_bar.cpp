#include "sim/report/progress_bar.hpp"

#include <unistd.h>

#include <cstdlib>
#include <string>

namespace ratesim::report {

bool use_colour(std::FILE* stream) {
  return ::isatty(::fileno(stream)) && std::getenv("NO_COLOR") == nullptr;
}

ProgressBar::ProgressBar(models::Time horizon, std::FILE* out)
    : horizon_(horizon),
      out_(out),
      enabled_(::isatty(::fileno(out)) != 0),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

ProgressBar::~ProgressBar() {
  if (drawn_) std::fputs("\r\033[K", out_);
}

void ProgressBar::draw(models::Time now) {
  if (!enabled_) return;
  const auto wall = std::chrono::steady_clock::now();
  if (wall - start_ < std::chrono::milliseconds(500) || wall - last_draw_ < std::chrono::milliseconds(200))
    return;
  last_draw_ = wall;
  const double share = std::min(1.0, kernel::to_seconds(now) / kernel::to_seconds(horizon_));
  constexpr int kWidth = 30;
  const int filled = static_cast<int>(share * kWidth);
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.append(static_cast<std::size_t>(kWidth - filled), '.');
  const double elapsed = std::chrono::duration<double>(wall - start_).count();
  std::fprintf(out_, "\r\033[K[%s] %3.0f%% of simulated time, %.1f s", bar.c_str(), 100 * share, elapsed);
  std::fflush(out_);
  drawn_ = true;
}

void ProgressBar::on_horizon(models::Time) {
  if (drawn_) {
    std::fputs("\r\033[K", out_);
    std::fflush(out_);
    drawn_ = false;
  }
}

}  // namespace ratesim::report
