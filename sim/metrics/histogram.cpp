#include "sim/metrics/histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace ratesim::metrics {
namespace {
constexpr int kShift = 52 - 6;  // keep the exponent and six mantissa bits: 64 buckets per octave
constexpr double kSmallest = 0x1p-20;
const std::uint64_t kBase = std::bit_cast<std::uint64_t>(kSmallest) >> kShift;
constexpr double kLargest = 0x1p40;  // about 35,000 years of seconds
}  // namespace

std::size_t Histogram::bucket_of(double v) {
  if (!(v >= kSmallest)) return 0;
  v = std::min(v, kLargest);
  return static_cast<std::size_t>((std::bit_cast<std::uint64_t>(v) >> kShift) - kBase + 1);
}

double Histogram::bucket_value(std::size_t i) {
  if (i == 0) return 0.0;
  const double lo = std::bit_cast<double>((kBase + i - 1) << kShift);
  const double hi = std::bit_cast<double>((kBase + i) << kShift);
  return 0.5 * (lo + hi);
}

void Histogram::add(double v) {
  v = std::max(v, 0.0);
  const std::size_t i = bucket_of(v);
  if (i >= buckets_.size()) buckets_.resize(i + 1, 0);
  ++buckets_[i];
  lo_ = std::min(lo_, i);
  hi_ = std::max(hi_, i);
  if (count_ == 0) {
    min_ = max_ = v;
  } else {
    min_ = std::min(min_, v);
    max_ = std::max(max_, v);
  }
  ++count_;
  sum_ += v;
}

void Histogram::clear() {
  if (count_ > 0) std::fill(buckets_.begin() + lo_, buckets_.begin() + hi_ + 1, 0);
  lo_ = SIZE_MAX;
  hi_ = 0;
  count_ = 0;
  sum_ = 0;
}

double Histogram::quantile(double q) const {
  if (count_ == 0) return 0.0;
  if (q >= 1.0) return max_;
  const auto rank = std::max<std::uint64_t>(
      1, static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(count_) - 1e-9)));
  std::uint64_t seen = 0;
  for (std::size_t i = lo_; i <= hi_; ++i) {
    seen += buckets_[i];
    if (seen >= rank) return std::clamp(bucket_value(i), min_, max_);
  }
  return max_;
}

}  // namespace ratesim::metrics
