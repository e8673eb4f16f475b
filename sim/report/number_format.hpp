// How numbers are written for people (tables) and for machines (JSON, CSV).
#pragma once

#include <cstdint>
#include <string>

namespace ratesim::report {

/// 1234567 → "1,234,567".
std::string with_separators(std::uint64_t n);
/// A fixed-point number with thousands separators: (12345.678, 2) → "12,345.68".
std::string with_separators(double x, int decimals);
/// Rounds to `digits` significant digits, so machine outputs do not carry floating-point noise
/// (and golden files stay stable across compilers).
double round_significant(double x, int digits = 9);

}  // namespace ratesim::report
