// RFC 3339 instants ("2026-01-01T00:00:12.500Z", "2026-01-01T01:00:12+01:00") to and from Unix
// seconds: the times of an attempts log and its rate-limit reset headers.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ratesim::report {

/// 2026-01-01T00:00:00Z in Unix seconds: simulated time zero in a written attempts log.
inline constexpr double kLogEpochUnix = 1767225600;

/// `unix_seconds` in UTC with `decimals` (0 to 6) digits of the second.
std::string format_rfc3339(double unix_seconds, int decimals);

/// Unix seconds of an RFC 3339 date-time with a zone (`Z` or ±hh:mm; `T` or a space between date
/// and time; any digits of the second); nullopt when `text` is not one.
std::optional<double> parse_rfc3339(std::string_view text);

}  // namespace ratesim::report
