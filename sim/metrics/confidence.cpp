#include "sim/metrics/confidence.hpp"

#include <boost/math/distributions/students_t.hpp>
#include <cassert>
#include <cmath>

namespace ratesim::metrics {

Estimate estimate(const std::vector<double>& samples) {
  assert(!samples.empty());
  const auto n = static_cast<double>(samples.size());
  double mean = 0;
  for (const double x : samples) mean += x;
  mean /= n;
  if (samples.size() < 2) return {mean, mean, mean};
  double ss = 0;
  for (const double x : samples) ss += (x - mean) * (x - mean);
  const double sd = std::sqrt(ss / (n - 1));
  const boost::math::students_t t(n - 1);
  const double half = boost::math::quantile(boost::math::complement(t, 0.025)) * sd / std::sqrt(n);
  return {mean, mean - half, mean + half};
}

}  // namespace ratesim::metrics
