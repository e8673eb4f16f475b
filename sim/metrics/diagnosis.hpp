// What the numbers say: which limit was hit first and when, which cause of 429s dominated, the
// cure for each cause (they differ), and warnings a person should not miss.
#pragma once

#include <string>
#include <vector>

#include "sim/metrics/summary.hpp"

namespace ratesim::metrics {

struct CauseFinding {
  std::string cause;     ///< rpm, itpm, otpm, tpm, acceleration, or 529
  std::uint64_t count = 0;
  double share = 0;      ///< of all 429s and 529s
  std::string cure;
};

struct Diagnosis {
  /// The first limit hit: group, budget (or "acceleration"), seconds into the run. Empty group:
  /// no 429 at all.
  std::string first_group;
  std::string first_budget;
  double first_at_s = -1;
  std::vector<CauseFinding> causes;  ///< most frequent first
  /// Requests that can never fit; more than 1% of arrivals unfinished at the horizon; requests
  /// past their deadline.
  std::vector<std::string> warnings;
};

Diagnosis diagnose(const Summary& s);

/// The cure for a cause of refusals.
std::string cure_for(const std::string& cause);

}  // namespace ratesim::metrics
