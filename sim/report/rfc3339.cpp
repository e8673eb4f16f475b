#include "sim/report/rfc3339.hpp"

#include <fmt/format.h>

#include <cmath>

namespace ratesim::report {
namespace {

// Howard Hinnant's civil-date algorithms (http://howardhinnant.github.io/date_algorithms.html).
long long days_from_civil(long long y, long long m, long long d) {
  y -= m <= 2;
  const long long era = (y >= 0 ? y : y - 399) / 400;
  const long long yoe = y - era * 400;
  const long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

struct Civil {
  long long y, m, d;
};

Civil civil_from_days(long long z) {
  z += 719468;
  const long long era = (z >= 0 ? z : z - 146096) / 146097;
  const long long doe = z - era * 146097;
  const long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const long long mp = (5 * doy + 2) / 153;
  const long long d = doy - (153 * mp + 2) / 5 + 1;
  const long long m = mp < 10 ? mp + 3 : mp - 9;
  return Civil{yoe + era * 400 + (m <= 2), m, d};
}

/// Reads `n` digits at `i`; -1 when they are not all digits.
long long digits(std::string_view s, std::size_t i, std::size_t n) {
  if (i + n > s.size()) return -1;
  long long v = 0;
  for (std::size_t k = i; k < i + n; ++k) {
    if (s[k] < '0' || s[k] > '9') return -1;
    v = v * 10 + (s[k] - '0');
  }
  return v;
}

}  // namespace

std::string format_rfc3339(double unix_seconds, int decimals) {
  const long long scale = decimals == 0 ? 1 : decimals == 3 ? 1000 : 1'000'000;
  const int shown = decimals == 0 ? 0 : decimals == 3 ? 3 : 6;
  const auto units = static_cast<long long>(std::llround(unix_seconds * static_cast<double>(scale)));
  long long s = units / scale;
  long long frac = units % scale;
  if (frac < 0) {
    frac += scale;
    --s;
  }
  long long days = s / 86400;
  long long sec = s % 86400;
  if (sec < 0) {
    sec += 86400;
    --days;
  }
  const Civil c = civil_from_days(days);
  std::string out = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", c.y, c.m, c.d, sec / 3600, sec / 60 % 60, sec % 60);
  if (shown) out += fmt::format(".{:0{}}", frac, shown);
  out += 'Z';
  return out;
}

std::optional<double> parse_rfc3339(std::string_view s) {
  // YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)
  const long long y = digits(s, 0, 4), mo = digits(s, 5, 2), d = digits(s, 8, 2);
  const long long h = digits(s, 11, 2), mi = digits(s, 14, 2), se = digits(s, 17, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 ||
      se > 60 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
      s[13] != ':' || s[16] != ':')
    return std::nullopt;
  std::size_t i = 19;
  double fraction = 0;
  if (i < s.size() && s[i] == '.') {
    double place = 0.1;
    const std::size_t start = ++i;
    for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i, place /= 10) fraction += (s[i] - '0') * place;
    if (i == start) return std::nullopt;
  }
  if (i >= s.size()) return std::nullopt;  // a zone is required
  long long offset = 0;
  if (s[i] == 'Z' || s[i] == 'z') {
    ++i;
  } else if (s[i] == '+' || s[i] == '-') {
    const long long oh = digits(s, i + 1, 2), om = digits(s, i + 4, 2);
    if (oh < 0 || oh > 23 || om < 0 || om > 59 || s[i + 3] != ':') return std::nullopt;
    offset = (s[i] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
    i += 6;
  } else {
    return std::nullopt;
  }
  if (i != s.size()) return std::nullopt;
  const long long days = days_from_civil(y, mo, d);
  return static_cast<double>(days * 86400 + h * 3600 + mi * 60 + se - offset) + fraction;
}

}  // namespace ratesim::report
