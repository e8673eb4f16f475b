// What `ratesim compare` prints and writes: one column per variant, one row per metric, the
// change against the base, the best value of each row marked — only among the columns that get
// as much done — and compare.csv (tidy: variant, metric, value, ci_low, ci_high).
#pragma once

#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

#include "sim/metrics/confidence.hpp"

namespace ratesim::report {

struct CompareRow {
  std::string path;   ///< JSON pointer into summary.json, e.g. /total/requests/ok
  std::string label;  ///< as the table shows it
  bool lower_is_better = true;
};

struct CompareColumn {
  std::string name;                          ///< "base" or the variant
  std::vector<metrics::Estimate> estimates;  ///< one per row
};

struct CompareTable {
  std::string heading;  ///< the first line, e.g. "quickstart · 2 columns · seed 7 · 40m simulated"
  std::vector<CompareRow> rows;
  std::vector<CompareColumn> columns;
  int replications = 1;
  std::size_t first_counterfactual;  ///< rows from here on are the runs without acceleration limits
  /// The rows of requests ok and unfinished, which decide whether a column gets as much done.
  std::size_t ok_row = 0, unfinished_row = 4;
};

/// Why a column is not comparable on cost and latency ("completes 908 fewer requests (17%)",
/// "leaves 12 more requests unfinished"), one per column; "" for those that get as much done:
/// as many requests completed as the best completer (within 0.5%) and no more left unfinished.
std::vector<std::string> incomparable_columns(const CompareTable& t);

/// The table for the terminal, with its notes.
std::string compare_table_text(const CompareTable& t);

/// compare.csv: one row per column and metric (the metric as a dotted path).
void write_compare_csv(std::ostream& out, const CompareTable& t);

}  // namespace ratesim::report
