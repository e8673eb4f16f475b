// A distribution of non-negative numbers, as scenario files describe them: a constant,
// uniform, normal (truncated below), lognormal, exponential or empirical.
//
// Values are plain doubles; what they measure (tokens, seconds, tokens per second) is the
// caller's business. Sampling draws only from the RandomStream it is given.
#pragma once

#include <string>
#include <vector>

#include "sim/kernel/random_stream.hpp"

namespace ratesim::kernel {

struct Distribution {
  enum class Kind { kConstant, kUniform, kNormal, kLognormal, kExponential, kEmpirical };

  Kind kind = Kind::kConstant;
  double a = 0;  ///< constant value; uniform low; normal mean; lognormal median; exponential mean
  double b = 0;  ///< uniform high; normal sd; lognormal sigma
  double floor = 0;  ///< samples below this are redrawn (normal) or raised to it (others)
  std::vector<double> values;      ///< empirical: the values
  std::vector<double> cumulative;  ///< empirical: cumulative weights, last == 1

  static Distribution constant(double v) { return {.kind = Kind::kConstant, .a = v}; }
  static Distribution uniform(double lo, double hi) {
    return {.kind = Kind::kUniform, .a = lo, .b = hi};
  }
  static Distribution normal(double mean, double sd, double floor) {
    return {.kind = Kind::kNormal, .a = mean, .b = sd, .floor = floor};
  }
  static Distribution lognormal(double median, double sigma) {
    return {.kind = Kind::kLognormal, .a = median, .b = sigma};
  }
  static Distribution exponential(double mean) { return {.kind = Kind::kExponential, .a = mean}; }
  /// REQUIRES: values non-empty, weights empty (equal weights) or of the same size, positive sum.
  static Distribution empirical(std::vector<double> values, const std::vector<double>& weights);

  /// The same shape with every value multiplied by `factor` (> 0): a draw of the result is
  /// `factor` times a draw of this one.
  Distribution scaled(double factor) const;

  /// One draw. Consumes no randomness for a constant.
  double sample(RandomStream& rng) const;
  /// The mean of the distribution (ignoring truncation), for documentation and checks.
  double mean() const;
  /// The largest value it can produce, or infinity.
  double max() const;
  /// "uniform[80, 400]" and the like, for messages.
  std::string describe() const;
};

}  // namespace ratesim::kernel
