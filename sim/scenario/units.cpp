#include "sim/scenario/units.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <string>

namespace ratesim::scenario {
namespace {

/// Reads a leading non-negative decimal number, advancing `text` past it.
std::optional<double> take_number(std::string_view& text) {
  std::size_t n = 0;
  while (n < text.size() && (std::isdigit(static_cast<unsigned char>(text[n])) || text[n] == '.'))
    ++n;
  if (n == 0) return std::nullopt;
  double v = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + n, v);
  if (ec != std::errc() || ptr != text.data() + n || !std::isfinite(v)) return std::nullopt;
  text.remove_prefix(n);
  return v;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<double> parse_number(std::string_view text) {
  text = trim(text);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  double v = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() || !std::isfinite(v))
    return std::nullopt;
  return v;
}

std::string format_duration(kernel::Duration d) {
  const std::int64_t us = d.count();
  struct Unit {
    const char* name;
    std::int64_t us;
  };
  static constexpr Unit kUnits[] = {{"d", 86'400'000'000}, {"h", 3'600'000'000}, {"m", 60'000'000},
                                    {"s", 1'000'000},        {"ms", 1'000}};
  if (us == 0) return "0s";
  for (const Unit& u : kUnits)
    if (us % u.us == 0) return std::to_string(us / u.us) + u.name;
  return std::to_string(us) + "us";  // every whole number of microseconds is one
}

std::optional<kernel::Duration> parse_duration(std::string_view text) {
  text = trim(text);
  if (const auto seconds = parse_number(text)) {
    if (*seconds < 0) return std::nullopt;
    return kernel::from_seconds(*seconds);
  }
  struct Unit {
    std::string_view name;
    double seconds;
  };
  // Longest names first so "ms" is not read as "m" followed by "s".
  static constexpr Unit kUnits[] = {{"us", 1e-6}, {"ms", 1e-3}, {"s", 1},
                                    {"m", 60},    {"h", 3600},  {"d", 86400}};
  static constexpr int kOrder[] = {5, 4, 3, 2, 1, 0};  // rank: d 0, h 1, m 2, s 3, ms 4, us 5
  double total = 0;
  int last_rank = -1;
  bool any = false;
  while (!text.empty()) {
    const auto v = take_number(text);
    if (!v) return std::nullopt;
    int found = -1;
    for (int i = 0; i < 6; ++i) {
      const std::string_view u = kUnits[i].name;
      if (text.substr(0, u.size()) == u) {
        // "m" must not swallow the "m" of "ms".
        if (u == "m" && text.substr(0, 2) == "ms") continue;
        found = i;
        if (u.size() == 2) break;
      }
    }
    if (found < 0) return std::nullopt;
    const int rank = kOrder[found];
    if (rank <= last_rank) return std::nullopt;  // units must decrease: 1h30m, not 30m1h
    last_rank = rank;
    total += *v * kUnits[found].seconds;
    text.remove_prefix(kUnits[found].name.size());
    any = true;
  }
  if (!any) return std::nullopt;
  return kernel::from_seconds(total);
}

std::optional<double> parse_rate(std::string_view text) {
  text = trim(text);
  if (const auto per_second = parse_number(text)) {
    if (*per_second < 0) return std::nullopt;
    return *per_second;
  }
  const std::size_t slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const auto count = parse_number(text.substr(0, slash));
  if (!count || *count < 0) return std::nullopt;
  const std::string_view unit = trim(text.substr(slash + 1));
  double seconds = 0;
  if (unit == "s" || unit == "sec" || unit == "second") seconds = 1;
  else if (unit == "m" || unit == "min" || unit == "minute") seconds = 60;
  else if (unit == "h" || unit == "hr" || unit == "hour") seconds = 3600;
  else if (unit == "d" || unit == "day") seconds = 86400;
  else return std::nullopt;
  return *count / seconds;
}

}  // namespace ratesim::scenario
