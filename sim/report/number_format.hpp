// How numbers are written for people (tables) and for machines (JSON, CSV).
#pragma once

#include <cstdint>
#include <string>

namespace ratesim::report {

/// 1234567 → "1,234,567".
std::string with_separators(std::uint64_t n);
/// A fixed-point number with thousands separators: (12345.678, 2) → "12,345.68".
std::string with_separators(double x, int decimals);
/// A measured value for a table: "-" for NaN (no value); whole numbers and values of 100 and
/// more without decimals; under 0.1 with three significant digits; otherwise two or three
/// decimals.
std::string readable(double v);
/// A mean with half its 95% interval, "12.50 ± 0.71", when there were several replications.
std::string readable(double mean, double high, int replications);

/// Rounds to `digits` significant digits, so machine outputs do not carry floating-point noise
/// (and the baselines stay stable across compilers).
double round_significant(double x, int digits = 9);

}  // namespace ratesim::report
