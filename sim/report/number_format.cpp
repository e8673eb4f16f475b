#include "sim/report/number_format.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdlib>

namespace ratesim::report {

std::string with_separators(std::uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string with_separators(double x, int decimals) {
  if (!std::isfinite(x)) return fmt::format("{}", x);
  const std::string fixed = fmt::format("{:.{}f}", std::fabs(x), decimals);
  const std::size_t dot = fixed.find('.');
  const std::string whole = fixed.substr(0, dot);
  std::string out = with_separators(static_cast<std::uint64_t>(std::strtoull(whole.c_str(), nullptr, 10)));
  if (dot != std::string::npos) out += fixed.substr(dot);
  const bool negative = x < 0 && fixed.find_first_not_of("0.,") != std::string::npos;
  return negative ? "-" + out : out;
}

double round_significant(double x, int digits) {
  if (x == 0 || !std::isfinite(x)) return x;
  return std::strtod(fmt::format("{:.{}g}", x, digits).c_str(), nullptr);
}

std::string readable(double v) {
  if (std::isnan(v)) return "-";
  if (std::fabs(v) >= 100 || v == std::floor(v)) return with_separators(v, 0);
  if (std::fabs(v) < 0.1) return fmt::format("{:.3g}", v);
  return with_separators(v, std::fabs(v) >= 1 ? 2 : 3);
}

std::string readable(double mean, double high, int replications) {
  if (replications < 2 || std::isnan(mean)) return readable(mean);
  return readable(mean) + " ± " + readable(high - mean);
}

}  // namespace ratesim::report
