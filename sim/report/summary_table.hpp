// The summary as an aligned table for a terminal: one row per metric, one column per workload
// and a total column, with units in the section headings.
#pragma once

#include <string>

#include "sim/metrics/summary.hpp"

namespace ratesim::report {

std::string summary_table(const metrics::Summary& s);

}  // namespace ratesim::report
