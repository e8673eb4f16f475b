// A fixed window: a counter that resets at each whole minute of simulated time; what was
// debited in the current minute must stay within the limit.
#pragma once

#include "models/provider/limiter.hpp"

namespace ratesim::models::provider {

class FixedWindow final : public Limiter {
 public:
  /// REQUIRES: limit_per_minute >= 1.
  explicit FixedWindow(std::int64_t limit_per_minute);

  Duration wait(Time now, std::int64_t cost) override;
  void take(Time now, std::int64_t cost) override;
  void overdraw(Time now, std::int64_t cost) override;
  void give_back(Time now, Time taken_at, std::int64_t cost) override;
  double remaining(Time now) override;
  Duration until_full(Time now) override;
  std::int64_t limit() const override { return limit_; }

 private:
  void roll(Time now);

  std::int64_t limit_;
  std::int64_t window_ = 0;  ///< index of the current minute
  std::int64_t used_ = 0;
};

}  // namespace ratesim::models::provider
