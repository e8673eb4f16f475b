// What the numbers say: which limit was hit first and when, which cause of 429s dominated, the
// cure for each cause (they differ), and warnings a person should not miss.
#pragma once

#include <string>
#include <vector>

#include "sim/metrics/summary.hpp"

namespace ratesim::metrics {

struct CauseFinding {
  std::string cause;     ///< a cause of models::kCauses ("itpm (workspace NAME)" for a workspace's), or 529
  /// For acceleration: the budget that would have refused the same traffic within a minute in the
  /// run without acceleration limits ("" for acceleration's own refusals, and other causes).
  std::string bound_by;
  std::uint64_t count = 0;
  double share = 0;      ///< of all 429s and 529s
  std::string cure;
};

struct Diagnosis {
  /// The first limit hit: group, budget (or "acceleration"), seconds into the run. Empty group:
  /// no 429 at all.
  std::string first_group;
  std::string first_workspace;  ///< when the first limit hit was a workspace's cap
  std::string first_budget;
  double first_at_s = -1;
  /// When the monthly spend limit was reached, seconds into the run; -1: never.
  double spend_limit_reached_s = -1;
  std::vector<CauseFinding> causes;  ///< most frequent first
  /// Requests that can never fit; more than 1% of arrivals unfinished at the horizon; requests
  /// past their deadline.
  std::vector<std::string> warnings;
};

Diagnosis diagnose(const Summary& s);

/// The cure for a cause of refusals (a name of models::kCauses, or "529").
std::string cure_for(const std::string& cause);
/// The cure for a workspace's cap on `budget` refusing its requests.
std::string workspace_cure(const std::string& budget, const std::string& workspace);

/// How many of a group's acceleration 429s the budgets alone would have produced: in each
/// minute, acceleration 429s up to the number of budget 429s the run without acceleration had in
/// that minute and the next, in `without`: the same group's budgets and every workspace's caps
/// on it (a cap refuses the same traffic). Returns that count and the budget that refused most
/// there, as refusal_label names it ("itpm", "itpm (workspace batch-team)"; "" when none did).
std::pair<std::uint64_t, std::string> budget_bound_acceleration(const GroupSummary& with,
                                                                 const std::vector<const GroupSummary*>& without);

}  // namespace ratesim::metrics
