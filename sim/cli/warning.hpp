// How a command tells a person what they should not miss: one "warning: …" line on stderr each,
// the word in colour on a terminal. Shared by the commands, so all say it the same way.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "sim/scenario/scenario.hpp"

namespace ratesim::cli {

/// Prints "warning: MESSAGE" on stderr.
void print_warning(const std::string& message);

/// Before the runs of run, compare, sweep, check and search: one warning for each scenario whose
/// offered work, with the month's spend already made, passes the monthly spend limit
/// (scenario::spend_limit_warning), "LABEL: " first when a label is given. At most three are
/// printed, then how many more there are. Advice before a run, not a finding: summary.json
/// does not hold it.
void print_spend_warnings(const std::vector<std::pair<std::string, const scenario::Scenario*>>& scenarios);

}  // namespace ratesim::cli
