#include "models/provider/sliding_window.hpp"

#include <algorithm>
#include <chrono>

namespace ratesim::models::provider {
namespace {
constexpr Duration kWindow = std::chrono::seconds(60);
}

SlidingWindow::SlidingWindow(std::int64_t limit_per_minute) : limit_(limit_per_minute) {}

void SlidingWindow::evict(Time now) {
  while (!entries_.empty() && entries_.front().at + kWindow <= now) {
    sum_ -= entries_.front().cost;
    entries_.pop_front();
  }
}

Duration SlidingWindow::wait(Time now, std::int64_t cost) {
  evict(now);
  if (cost > limit_) return Duration::max();
  std::int64_t excess = sum_ + cost - limit_;
  if (excess <= 0) return Duration{0};
  // Walk from the oldest debit until enough has left the window. Under saturation the walk
  // stops after the first few entries; it is long only for a cost that needs many to expire.
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    const Entry& e = entries_.at(i);
    excess -= e.cost;
    if (excess <= 0) return e.at + kWindow - now;
  }
  return Duration::max();  // unreachable while cost <= limit_
}

void SlidingWindow::take(Time now, std::int64_t cost) {
  evict(now);
  entries_.push_back(Entry{now, cost});
  sum_ += cost;
}

void SlidingWindow::overdraw(Time now, std::int64_t cost) { take(now, cost); }

void SlidingWindow::give_back(Time now, Time taken_at, std::int64_t cost) {
  evict(now);
  // Entries are in time order: find the first taken at `taken_at` (none: it has left the
  // window). Debits made at the same instant leave the window together, so which of them a
  // refund is taken from changes nothing but their split.
  std::size_t lo = 0, hi = entries_.size();
  while (lo < hi) {
    const std::size_t mid = lo + (hi - lo) / 2;
    if (entries_.at(mid).at < taken_at) lo = mid + 1;
    else hi = mid;
  }
  for (std::size_t i = lo; i < entries_.size() && cost > 0 && entries_.at(i).at == taken_at; ++i) {
    Entry& e = entries_.at(i);
    const std::int64_t back = std::min(cost, e.cost);
    e.cost -= back;
    sum_ -= back;
    cost -= back;
  }
}

double SlidingWindow::remaining(Time now) {
  evict(now);
  return static_cast<double>(limit_ - sum_);
}

Duration SlidingWindow::until_full(Time now) {
  evict(now);
  for (std::size_t i = entries_.size(); i-- > 0;)
    if (entries_.at(i).cost > 0) return entries_.at(i).at + kWindow - now;
  return Duration{0};
}

}  // namespace ratesim::models::provider
