#include "sim/kernel/distribution.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <sstream>

namespace ratesim::kernel {

Distribution Distribution::empirical(std::vector<double> values,
                                     const std::vector<double>& weights) {
  assert(!values.empty() && (weights.empty() || weights.size() == values.size()));
  Distribution d{.kind = Kind::kEmpirical};
  double total = 0;
  for (std::size_t i = 0; i < values.size(); ++i) total += weights.empty() ? 1.0 : weights[i];
  assert(total > 0);
  double run = 0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    run += weights.empty() ? 1.0 : weights[i];
    d.cumulative.push_back(run / total);
  }
  d.cumulative.back() = 1.0;
  d.values = std::move(values);
  return d;
}

double Distribution::sample(RandomStream& rng) const {
  double x = 0;
  switch (kind) {
    case Kind::kConstant:
      return a;
    case Kind::kUniform:
      x = rng.uniform(a, b);
      break;
    case Kind::kNormal:
      // Truncation by rejection; after many misses the floor itself is returned, so a
      // distribution almost entirely below its floor cannot hang the run.
      for (int tries = 0; tries < 1000; ++tries) {
        x = rng.normal(a, b);
        if (x >= floor) return x;
      }
      return floor;
    case Kind::kLognormal:
      x = rng.lognormal(a, b);
      break;
    case Kind::kExponential:
      x = rng.exponential(a);
      break;
    case Kind::kEmpirical: {
      const double u = rng.uniform01();
      const auto it = std::upper_bound(cumulative.begin(), cumulative.end(), u);
      const auto i = std::min<std::size_t>(static_cast<std::size_t>(it - cumulative.begin()),
                                           values.size() - 1);
      x = values[i];
      break;
    }
  }
  return std::max(x, floor);
}

double Distribution::mean() const {
  switch (kind) {
    case Kind::kConstant:
      return a;
    case Kind::kUniform:
      return (a + b) / 2;
    case Kind::kNormal:
      return a;
    case Kind::kLognormal:
      return a * std::exp(b * b / 2);
    case Kind::kExponential:
      return a;
    case Kind::kEmpirical: {
      double m = 0, prev = 0;
      for (std::size_t i = 0; i < values.size(); ++i) {
        m += values[i] * (cumulative[i] - prev);
        prev = cumulative[i];
      }
      return m;
    }
  }
  return a;
}

double Distribution::max() const {
  switch (kind) {
    case Kind::kConstant:
      return a;
    case Kind::kUniform:
      return b;
    case Kind::kEmpirical:
      return *std::max_element(values.begin(), values.end());
    default:
      return std::numeric_limits<double>::infinity();
  }
}

std::string Distribution::describe() const {
  std::ostringstream out;
  switch (kind) {
    case Kind::kConstant: out << a; break;
    case Kind::kUniform: out << "uniform[" << a << ", " << b << "]"; break;
    case Kind::kNormal: out << "normal(mean " << a << ", sd " << b << ")"; break;
    case Kind::kLognormal: out << "lognormal(median " << a << ", sigma " << b << ")"; break;
    case Kind::kExponential: out << "exponential(mean " << a << ")"; break;
    case Kind::kEmpirical: out << "empirical(" << values.size() << " values)"; break;
  }
  return out.str();
}

Distribution Distribution::scaled(double factor) const {
  Distribution d = *this;
  d.floor *= factor;
  switch (kind) {
    case Kind::kConstant:
    case Kind::kExponential:
    case Kind::kLognormal:  // the median scales; sigma is a shape
      d.a *= factor;
      break;
    case Kind::kUniform:
    case Kind::kNormal:
      d.a *= factor;
      d.b *= factor;
      break;
    case Kind::kEmpirical:
      for (double& v : d.values) v *= factor;
      break;
  }
  return d;
}

}  // namespace ratesim::kernel
