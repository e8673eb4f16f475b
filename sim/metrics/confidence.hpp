// Means and 95% confidence intervals over replications (Student's t, Boost.Math).
#pragma once

#include <vector>

namespace ratesim::metrics {

struct Estimate {
  double mean = 0;
  double low = 0;   ///< 95% interval; equal to the mean with one sample
  double high = 0;
};

/// The mean of `samples` and its 95% confidence interval by Student's t with n − 1 degrees of
/// freedom. REQUIRES: samples non-empty.
Estimate estimate(const std::vector<double>& samples);

}  // namespace ratesim::metrics
