// Acceleration limits: 429s after a sharp rise in usage, even below the published limits.
//
// Anthropic documents the behaviour but no formula, so the model is an explicit, swappable
// assumption behind this interface. TrailingBaseline is the default (DESIGN §2.1).
#pragma once

#include <array>
#include <memory>

#include "models/provider/limit_group.hpp"
#include "models/provider/provider_config.hpp"

namespace ratesim::models::provider {

class AccelerationModel {
 public:
  virtual ~AccelerationModel() = default;
  /// Whether an attempt costing `c` may be admitted at `now`. When not, `retry_after` is set to
  /// how long until it would be. Records nothing.
  virtual bool allows(Time now, const Costs& c, Duration& retry_after) = 0;
  /// Records usage that was admitted.
  virtual void record(Time now, const Costs& c) = 0;
};

/// Keeps, per budget, the admitted usage as a fraction of the limit averaged exponentially over
/// `short_window` (the short-term load) and over `baseline_window` (the baseline, starting at
/// `initial_load`). s = the largest short-term load, b = the largest baseline. An attempt that
/// would raise s above max(floor, max_ratio × b) is refused.
class TrailingBaseline final : public AccelerationModel {
 public:
  TrailingBaseline(const Acceleration& config, const Limits& limits);

  bool allows(Time now, const Costs& c, Duration& retry_after) override;
  void record(Time now, const Costs& c) override;

  /// The short-term load and the baseline at `now` (for tests and reports).
  double short_load(Time now);
  double baseline(Time now);

 private:
  void decay(Time now);

  Acceleration config_;
  std::array<double, kBudgetCount> limit_{};  ///< per minute; 0 = budget absent
  std::array<double, kBudgetCount> short_{};
  std::array<double, kBudgetCount> long_{};
  Time last_{};
};

std::unique_ptr<AccelerationModel> make_acceleration(const Acceleration& config,
                                                     const Limits& limits);

}  // namespace ratesim::models::provider
