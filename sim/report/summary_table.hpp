// The summary as an aligned table for a terminal: one row per metric, one column per workload
// and a total column, with units in the section headings.
#pragma once

#include <string>

#include "sim/metrics/summary.hpp"

namespace ratesim::report {

/// `colour`: bold headings and the diagnosis highlighted, for a terminal.
std::string summary_table(const metrics::Summary& s, bool colour = false);

}  // namespace ratesim::report
