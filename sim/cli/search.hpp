// `ratesim search`: the largest (or smallest) value of one scenario path for which every
// requirement on summary metrics holds — the max safe arrival rate, the fewest workers for a
// makespan, the knee.
//
// Feasibility is assumed monotone in the value: for --maximize, feasible up to some value and
// not beyond; for --minimize, the reverse. The search brackets the answer on a coarse grid (the
// range's ends and three points between; a grid that contradicts monotonicity is reported as
// evidence), then bisects the bracket: integers exactly, reals to a precision. With
// replications, a requirement holds only when its whole 95% interval lies on the right side.
// The evaluations reported, and so the output, do not depend on the number of threads: extra
// threads evaluate the next levels of bisection ahead of time, and only the path is kept.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "sim/metrics/confidence.hpp"
#include "sim/scenario/scenario.hpp"

namespace ratesim::cli {

/// One requirement: METRIC OP VALUE.
struct Requirement {
  enum class Op { kLe, kLt, kGe, kGt, kEq };
  std::string metric;  ///< a summary.json path
  Op op = Op::kLe;
  double value = 0;    ///< seconds for *_s metrics
  std::string text;    ///< as given, for reports
};

/// Parses "METRIC OP VALUE" (spaces optional; VALUE a duration for *_s metrics). Throws
/// UsageError naming what was expected.
Requirement parse_requirement(const std::string& text);

/// Whether `e` satisfies `r`: its whole interval on the right side (with one replication the
/// interval is the value itself). A NaN (the metric had no value) never does.
bool holds(const Requirement& r, const metrics::Estimate& e);

struct SearchSpec {
  std::string path;          ///< the scenario path varied, as for --set
  double low = 0, high = 0;  ///< the range, low < high
  bool integer = false;      ///< whole values only
  bool maximize = true;      ///< largest feasible value; false: smallest
  double precision = 0.005;  ///< reals: stop when the bracket is this share of the range
  std::vector<Requirement> requirements;
  std::vector<std::string> shown;  ///< metrics recorded for each evaluation (requirements first)
  int replications = 1;
  std::uint64_t seed = 0;    ///< replication k runs with seed + k
};

struct Evaluation {
  double value = 0;
  bool feasible = false;
  std::vector<metrics::Estimate> metrics;  ///< by SearchSpec::shown; NaN where the run had none
  /// The largest share of a budget's use that its bucket's content at the start of measuring
  /// served, beyond refill (metrics::BudgetSummary::start_share), averaged over replications,
  /// and that budget as "group's budget". A share of note means the answer leans on the full
  /// starting bucket and would be lower over a longer horizon.
  double start_share = 0;
  std::string start_budget;
};

struct SearchResult {
  std::vector<Evaluation> evaluations;  ///< grid first (ascending), then the bisection path
  std::optional<std::size_t> answer;    ///< index into evaluations: the value found
  std::optional<std::size_t> beyond;    ///< the first value past it that fails (the knee)
  /// Values whose feasibility contradicts monotonicity, with what each contradicts.
  std::vector<std::string> non_monotone;
};

/// `make(value)` returns the scenario with the path set to `value` (throws InputError when the
/// value does not fit the path).
SearchResult run_search(const SearchSpec& spec, const std::function<scenario::Scenario(double)>& make,
                        int jobs, bool progress);

/// A value as it is passed to --set: whole numbers without a decimal point; others in the
/// shortest form that reads back the same.
std::string format_value(double v, bool integer);

}  // namespace ratesim::cli
