#include "sim/metrics/confidence.hpp"

#include <boost/math/distributions/students_t.hpp>
#include <cassert>
#include <cmath>

namespace ratesim::metrics {
namespace {
// In double throughout: Boost.Math's default promotes to long double, whose tables it builds
// at program start — and under valgrind (80-bit long double emulated in 64 bits) that start-up
// throws, so no profile of ratesim could be taken (bench/run.sh CALLGRIND=1).
using DoublePolicy = boost::math::policies::policy<boost::math::policies::promote_double<false>>;
}  // namespace

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
  const boost::math::students_t_distribution<double, DoublePolicy> t(n - 1);
  const double half = boost::math::quantile(boost::math::complement(t, 0.025)) * sd / std::sqrt(n);
  return {mean, mean - half, mean + half};
}

}  // namespace ratesim::metrics
