#include "models/provider/fixed_window.hpp"

#include <algorithm>
#include <chrono>

namespace ratesim::models::provider {
namespace {
constexpr Duration kWindow = std::chrono::seconds(60);
Time window_end(std::int64_t window) { return kernel::kTimeZero + kWindow * (window + 1); }
}  // namespace

FixedWindow::FixedWindow(std::int64_t limit_per_minute) : limit_(limit_per_minute) {}

void FixedWindow::roll(Time now) {
  const std::int64_t w = (now - kernel::kTimeZero) / kWindow;
  if (w == window_) return;
  // An overdraft carries over only as far as the windows it spans; a new window starts empty.
  window_ = w;
  used_ = 0;
}

Duration FixedWindow::wait(Time now, std::int64_t cost) {
  roll(now);
  if (cost > limit_) return Duration::max();
  if (used_ + cost <= limit_) return Duration{0};
  return window_end(window_) - now;
}

void FixedWindow::take(Time now, std::int64_t cost) {
  roll(now);
  used_ += cost;
}

void FixedWindow::overdraw(Time now, std::int64_t cost) { take(now, cost); }

void FixedWindow::give_back(Time now, Time taken_at, std::int64_t cost) {
  roll(now);
  if ((taken_at - kernel::kTimeZero) / kWindow == window_) used_ = std::max<std::int64_t>(0, used_ - cost);
}

double FixedWindow::remaining(Time now) {
  roll(now);
  return static_cast<double>(limit_ - used_);
}

Duration FixedWindow::until_full(Time now) {
  roll(now);
  return used_ > 0 ? window_end(window_) - now : Duration{0};
}

}  // namespace ratesim::models::provider
