#include "sim/metrics/histogram.hpp"

#include <algorithm>
#include <cmath>

namespace ratesim::metrics {
namespace {
constexpr double kGrowth = 1.02;
constexpr double kSmallest = 1e-6;
const double kLogGrowth = std::log(kGrowth);
constexpr std::size_t kMaxBucket = 4000;  // 1e-6 · 1.02^4000 ≈ 1e28: beyond any duration
}  // namespace

std::size_t Histogram::bucket_of(double v) {
  if (!(v > kSmallest)) return 0;
  const double i = std::floor(std::log(v / kSmallest) / kLogGrowth) + 1;
  return static_cast<std::size_t>(std::min(i, static_cast<double>(kMaxBucket)));
}

double Histogram::bucket_value(std::size_t i) {
  if (i == 0) return 0.0;
  // Bucket i covers [s·g^(i-1), s·g^i); its geometric midpoint is within √g − 1 < 1% of both ends.
  return kSmallest * std::pow(kGrowth, static_cast<double>(i) - 0.5);
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
