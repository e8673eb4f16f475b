// A streaming histogram of non-negative values with logarithmic buckets.
//
// Each power of two is split into 64 equal buckets (the index is the double's exponent and top
// six mantissa bits, so no logarithm is taken), and a bucket reports its midpoint: a percentile
// is within 1/128 < 1% of a value actually recorded. Values below 2^-20 (about 1 µs) share the
// bottom bucket.
// Count, mean, min and max are exact. Memory is bounded by the range of values, not their
// number; clear() costs only the buckets touched.
#pragma once

#include <cstdint>
#include <vector>

namespace ratesim::metrics {

class Histogram {
 public:
  void add(double v);
  void clear();

  std::uint64_t count() const { return count_; }
  double mean() const { return count_ ? sum_ / static_cast<double>(count_) : 0.0; }
  double min() const { return count_ ? min_ : 0.0; }
  double max() const { return count_ ? max_ : 0.0; }
  /// The q-quantile (0 < q <= 1) by the nearest-rank rule; 0 when empty.
  double quantile(double q) const;

  /// Bucket index of `v`; exposed for tests.
  static std::size_t bucket_of(double v);
  /// The value a bucket reports.
  static double bucket_value(std::size_t i);

 private:
  std::vector<std::uint64_t> buckets_;
  std::size_t lo_ = SIZE_MAX;  ///< lowest bucket touched since clear()
  std::size_t hi_ = 0;         ///< highest bucket touched since clear()
  std::uint64_t count_ = 0;
  double sum_ = 0;
  double min_ = 0;
  double max_ = 0;
};

}  // namespace ratesim::metrics
