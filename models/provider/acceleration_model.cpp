#include "models/provider/acceleration_model.hpp"

#include <algorithm>
#include <cmath>

namespace ratesim::models::provider {

TrailingBaseline::TrailingBaseline(const Acceleration& config, const Limits& limits,
                                   const std::array<double, kBudgetCount>& initial)
    : config_(config),
      width_(std::max(Duration{1}, config.short_window / kBuckets)),
      buckets_(kBuckets) {
  const auto l = limits.in_order();
  const double windows_per_minute = 60.0 / kernel::to_seconds(config_.short_window);
  for (std::size_t i = 0; i < kBudgetCount; ++i) {
    capacity_[i] = l[i] ? static_cast<double>(*l[i]) / windows_per_minute : 0.0;
    baseline_[i] = l[i] ? initial[i] : 0.0;
    // Usage u arriving at once adds u / (limit per minute × τ / 60) to an exponential average
    // of the rate with time constant τ, so a steady limit's worth per minute settles at 1.
    per_tau_[i] = static_cast<double>(l[i].value_or(0)) * kernel::to_seconds(config_.baseline_window) / 60.0;
  }
}

void TrailingBaseline::advance(Time now) {
  // Buckets older than the window leave the sum. The window is the current bucket and the 59
  // before it, so it never spans more than short_window.
  const std::int64_t current = (now - kernel::kTimeZero) / width_;
  if (current > head_) {
    const std::int64_t stale = std::min<std::int64_t>(current - head_, kBuckets);
    for (std::int64_t k = 1; k <= stale; ++k) {
      auto& b = buckets_[static_cast<std::size_t>((head_ + k) % kBuckets)];
      for (std::size_t i = 0; i < kBudgetCount; ++i) {
        sum_[i] -= b[i];
        b[i] = 0;
      }
    }
    head_ = current;
  }
  if (now > last_) {
    const double f = std::exp(-kernel::to_seconds(now - last_) / kernel::to_seconds(config_.baseline_window));
    for (double& b : baseline_) b *= f;
    last_ = now;
  }
}

void TrailingBaseline::add(std::size_t i, double amount) {
  if (capacity_[i] == 0) return;
  buckets_[static_cast<std::size_t>(head_ % kBuckets)][i] += amount;
  sum_[i] += amount;
  baseline_[i] = std::max(0.0, baseline_[i] + amount / per_tau_[i]);
}

bool TrailingBaseline::allows(Time now, const Costs& c, Duration& retry_after) {
  advance(now);
  double b = 0;
  bool empty = true;
  for (std::size_t i = 0; i < kBudgetCount; ++i) {
    if (capacity_[i] == 0) continue;
    b = std::max(b, baseline_[i]);
    empty = empty && sum_[i] <= 0;
  }
  if (empty) return true;
  const double threshold = std::max(config_.floor, config_.max_ratio * b);
  retry_after = Duration{0};
  bool allowed = true;
  for (std::size_t i = 0; i < kBudgetCount; ++i) {
    if (capacity_[i] == 0) continue;
    const double room = threshold * capacity_[i];
    // The tolerance absorbs the rounding of sums of fractions; a load that reaches the
    // threshold exactly is allowed.
    const double excess = std::max(0.0, sum_[i]) + static_cast<double>(c[i]) - room;
    if (excess <= room * 1e-12) continue;
    allowed = false;
    // The wait until enough of the oldest buckets leave the window (ignoring the baseline's
    // slower change); at most the whole window.
    Duration wait = config_.short_window;
    double freed = 0;
    for (std::int64_t k = head_ - kBuckets + 1; k <= head_; ++k) {
      if (k < 0) continue;
      freed += buckets_[static_cast<std::size_t>(k % kBuckets)][i];
      if (freed >= excess) {
        wait = std::max(Duration{1}, kernel::kTimeZero + (k + kBuckets) * width_ - now);
        break;
      }
    }
    retry_after = std::max(retry_after, wait);
  }
  return allowed;
}

void TrailingBaseline::record(Time now, const Costs& c) {
  advance(now);
  for (std::size_t i = 0; i < kBudgetCount; ++i) add(i, static_cast<double>(c[i]));
}

void TrailingBaseline::settle(Time now, std::size_t budget, std::int64_t amount) {
  advance(now);
  if (budget < kBudgetCount) add(budget, static_cast<double>(amount));
}

double TrailingBaseline::short_load(Time now) {
  advance(now);
  double s = 0;
  for (std::size_t i = 0; i < kBudgetCount; ++i)
    if (capacity_[i] > 0) s = std::max(s, std::max(0.0, sum_[i]) / capacity_[i]);
  return s;
}

double TrailingBaseline::baseline(Time now) {
  advance(now);
  return *std::max_element(baseline_.begin(), baseline_.end());
}

namespace {

// The profiles. Every number is an assumption (Anthropic publishes none); docs/provider.md gives
// the reasoning. All share the one-minute short window (the limits are per minute) and the
// ten-minute baseline; they differ in how much rise they let through: the floor (load always
// allowed) and the ratio to the baseline. For the same history a stricter profile's threshold
// is never above a more lenient one's.
struct Profile {
  const char* name;
  double floor;
  double max_ratio;
};
constexpr Profile kProfiles[] = {
    {"lenient", 0.5, 3.0},
    {"moderate", 0.25, 2.0},
    {"strict", 0.1, 1.5},
};

}  // namespace

const std::vector<std::string>& acceleration_profile_names() {
  static const std::vector<std::string> kNames{"off", "lenient", "moderate", "strict"};
  return kNames;
}

std::optional<Acceleration> acceleration_profile(std::string_view name) {
  if (name == "off") return Acceleration{.enabled = false, .profile = "off"};
  for (const Profile& p : kProfiles)
    if (name == p.name)
      return Acceleration{.enabled = true,
                          .profile = p.name,
                          .floor = p.floor,
                          .max_ratio = p.max_ratio,
                          .short_window = std::chrono::minutes(1),
                          .baseline_window = std::chrono::minutes(10),
                          .initial_load = 0};
  return std::nullopt;
}

std::unique_ptr<AccelerationModel> make_acceleration(const Acceleration& config,
                                                     const Limits& limits, std::size_t group) {
  if (!config.enabled) return nullptr;
  if (config.initial_load_steady && group < config.steady_load.size())
    return std::make_unique<TrailingBaseline>(config, limits, config.steady_load[group]);
  return std::make_unique<TrailingBaseline>(config, limits);
}

}  // namespace ratesim::models::provider
