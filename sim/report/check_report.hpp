// How `ratesim check` reports: a table on stdout, a JUnit XML file for CI systems, and a Markdown
// table for a pull-request comment (failures first).
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "sim/metrics/check.hpp"

namespace ratesim::report {

/// The run's description for headings: scenario name, first seed and replications.
struct CheckRun {
  std::string scenario;
  std::string file;  ///< the scenario file as given: JUnit suites and classes are named by it too,
                     ///< so two files with the same `name:` do not merge in a CI's report
  std::uint64_t seed = 0;
  int replications = 1;
};

/// What was allowed: "<= 2,100", ">= 950", "in [1, 5]", "<= 2,100 (baseline 2,000, 5%)".
std::string check_bound(const metrics::CheckOutcome& o);
/// Why a check failed; "" when it passed.
std::string check_failure(const metrics::CheckOutcome& o);

/// "NAME · seed S..T (N replications) · K checks", one line per check, and the count.
std::string check_table(const CheckRun& run, const std::vector<metrics::CheckOutcome>& outcomes);
void write_junit(std::ostream& out, const CheckRun& run, const std::vector<metrics::CheckOutcome>& outcomes);
void write_check_markdown(std::ostream& out, const CheckRun& run, const std::vector<metrics::CheckOutcome>& outcomes);

}  // namespace ratesim::report
