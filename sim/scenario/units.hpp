// The scenario format's units: durations ("250ms", "2s", "1h30m"; a bare number is seconds)
// and rates ("20/s", "1200/min", "5000/h"; a bare number is per second).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "sim/kernel/time.hpp"

namespace ratesim::scenario {

/// A non-negative duration, or nullopt if `text` is not one. Units: us, ms, s, m, h, d; several
/// may follow each other in decreasing order ("1h30m", "2m30s").
std::optional<kernel::Duration> parse_duration(std::string_view text);

/// A non-negative rate in events per second, or nullopt. Units after '/': s, sec, m, min, h,
/// hr, hour, d, day.
std::optional<double> parse_rate(std::string_view text);

/// A duration the way a scenario would write it, in the largest unit that divides it: "365d",
/// "1h", "90s", "1500ms", "1500001us", "0s".
std::string format_duration(kernel::Duration d);

/// A finite decimal number that is the whole of `text`, or nullopt.
std::optional<double> parse_number(std::string_view text);

}  // namespace ratesim::scenario
