// A sliding window: the exact sum of what was debited in the last 60 seconds must stay within
// the limit. A debit stops counting 60 s after it was made.
#pragma once

#include "models/provider/limiter.hpp"
#include "sim/kernel/ring_queue.hpp"

namespace ratesim::models::provider {

class SlidingWindow final : public Limiter {
 public:
  /// REQUIRES: limit_per_minute >= 1.
  explicit SlidingWindow(std::int64_t limit_per_minute);

  Duration wait(Time now, std::int64_t cost) override;
  void take(Time now, std::int64_t cost) override;
  void overdraw(Time now, std::int64_t cost) override;
  void give_back(Time now, Time taken_at, std::int64_t cost) override;
  double remaining(Time now) override;
  Duration until_full(Time now) override;
  std::int64_t limit() const override { return limit_; }

 private:
  struct Entry {
    Time at;
    std::int64_t cost;  ///< net of refunds
  };
  void evict(Time now);

  std::int64_t limit_;
  std::int64_t sum_ = 0;            ///< net cost of the entries in the window
  kernel::RingQueue<Entry> entries_;
};

}  // namespace ratesim::models::provider
