// Acceleration limits: 429s after a sharp rise in usage, even below the published limits.
//
// Anthropic documents the behaviour (a sharp rise in an organization's usage can draw 429s; ramp
// up gradually and keep usage steady) but no formula, threshold or window, so the model is an
// explicit, swappable assumption behind this interface, and every parameter is shown as one.
// TrailingBaseline is the default (docs/provider.md).
#pragma once

#include <array>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "models/provider/limit_group.hpp"
#include "models/provider/provider_config.hpp"

namespace ratesim::models::provider {

class AccelerationModel {
 public:
  virtual ~AccelerationModel() = default;
  /// Whether an attempt costing `c` may be admitted at `now`. When not, `retry_after` is set to
  /// how long until it would be (at most the short window). Records nothing.
  /// REQUIRES: `now` never decreases across calls.
  virtual bool allows(Time now, const Costs& c, Duration& retry_after) = 0;
  /// Records usage that was admitted (what the budgets were debited).
  virtual void record(Time now, const Costs& c) = 0;
  /// Records a later change in what counts toward budget `budget`: output tokens debited as they
  /// are produced (positive, `actual` accounting) or a reservation refunded (negative, `reserve`).
  virtual void settle(Time now, std::size_t budget, std::int64_t amount) = 0;
};

/// The short-term load s is the usage of the last `short_window` (summed in 60 buckets, so the
/// sum never covers more than the window), as a fraction of what the limits allow in that
/// window; the largest over the group's budgets. The baseline b is the same usage averaged
/// exponentially with time constant `baseline_window`, starting at `initial_load`. An attempt
/// that would raise s above max(floor, max_ratio × b) is refused, except when the window holds
/// no usage at all (a lone request is not a rise).
///
/// Properties this gives (tests/models/provider/acceleration_profiles_test.cpp):
/// - usage of at most `floor` of every limit in any window of `short_window` is never refused;
/// - for the same history, a lower floor or max_ratio refuses at least as much.
class TrailingBaseline final : public AccelerationModel {
 public:
  /// `initial`: the baseline at the start for each budget, as a fraction of its limit.
  TrailingBaseline(const Acceleration& config, const Limits& limits,
                   const std::array<double, kBudgetCount>& initial);
  /// Every budget's baseline starts at config.initial_load.
  TrailingBaseline(const Acceleration& config, const Limits& limits)
      : TrailingBaseline(config, limits, uniform(config.initial_load)) {}

  bool allows(Time now, const Costs& c, Duration& retry_after) override;
  void record(Time now, const Costs& c) override;
  void settle(Time now, std::size_t budget, std::int64_t amount) override;

  /// The short-term load and the baseline at `now` (for tests and reports).
  double short_load(Time now);
  double baseline(Time now);

 private:
  static constexpr std::int64_t kBuckets = 60;
  static std::array<double, kBudgetCount> uniform(double v) {
    std::array<double, kBudgetCount> a;
    a.fill(v);
    return a;
  }
  void advance(Time now);
  void add(std::size_t budget, double amount);

  Acceleration config_;
  Duration width_;                                ///< of one bucket: short_window / 60
  std::array<double, kBudgetCount> capacity_{};   ///< usage per short window at the limit; 0: absent
  std::array<double, kBudgetCount> sum_{};        ///< usage in the window
  std::array<double, kBudgetCount> baseline_{};   ///< fraction of the limits
  std::array<double, kBudgetCount> per_tau_{};    ///< a budget's limit over one baseline time constant
  std::vector<std::array<double, kBudgetCount>> buckets_;  ///< ring of kBuckets
  std::int64_t head_ = 0;  ///< absolute index of the newest bucket
  Time last_{};            ///< the baseline's last decay
};

/// The named profiles: off, lenient, moderate, strict. Nullopt for another name.
/// Each is a set of assumptions chosen so that the properties of docs/provider.md hold.
std::optional<Acceleration> acceleration_profile(std::string_view name);
/// The profile names, most permissive first.
const std::vector<std::string>& acceleration_profile_names();

/// The model for the organization's group `group` (its index in ProviderConfig::groups), whose
/// limits are `limits`; null when acceleration limits are off.
std::unique_ptr<AccelerationModel> make_acceleration(const Acceleration& config,
                                                     const Limits& limits, std::size_t group);

}  // namespace ratesim::models::provider
