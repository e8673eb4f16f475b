#include "sim/report/compare_table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

#include "sim/report/number_format.hpp"

namespace ratesim::report {

std::vector<std::string> incomparable_columns(const CompareTable& t) {
  double most_ok = 0, least_unfinished = std::numeric_limits<double>::infinity();
  for (const CompareColumn& c : t.columns) {
    most_ok = std::max(most_ok, c.estimates[t.ok_row].mean);
    least_unfinished = std::min(least_unfinished, c.estimates[t.unfinished_row].mean);
  }
  std::vector<std::string> flags(t.columns.size());
  for (std::size_t c = 0; c < t.columns.size(); ++c) {
    const double ok = t.columns[c].estimates[t.ok_row].mean, unfinished = t.columns[c].estimates[t.unfinished_row].mean;
    if (ok < most_ok * (1 - 0.005))
      flags[c] = fmt::format("completes {} fewer requests ({:.0f}%)", readable(most_ok - ok), 100 * (most_ok - ok) / most_ok);
    else if (unfinished > least_unfinished + 0.005 * most_ok)
      flags[c] = fmt::format("leaves {} more requests unfinished", readable(unfinished - least_unfinished));
  }
  return flags;
}

std::string compare_table_text(const CompareTable& t) {
  const std::vector<std::string> flags = incomparable_columns(t);
  const auto eligible = [&](std::size_t c) { return flags[c].empty(); };
  const auto& columns = t.columns;
  std::vector<std::vector<std::string>> cells(t.rows.size());
  for (std::size_t m = 0; m < t.rows.size(); ++m) {
    std::optional<double> best;
    for (std::size_t c = 0; c < columns.size(); ++c) {
      const double v = columns[c].estimates[m].mean;
      if (!eligible(c) || std::isnan(v)) continue;
      best = !best ? v : t.rows[m].lower_is_better ? std::min(*best, v) : std::max(*best, v);
    }
    for (std::size_t ci = 0; ci < columns.size(); ++ci) {
      const metrics::Estimate& e = columns[ci].estimates[m];
      std::string cell = readable(e.mean);
      if (t.replications > 1 && !std::isnan(e.mean)) cell += " ± " + readable(e.high - e.mean);
      if (ci != 0) {
        const double base = columns[0].estimates[m].mean;
        if (base != 0 && !std::isnan(base) && !std::isnan(e.mean)) cell += fmt::format(" ({:+.0f}%)", 100 * (e.mean - base) / base);
        else if (e.mean != 0 && !std::isnan(e.mean)) cell += " (new)";
      }
      const bool differs = std::any_of(columns.begin(), columns.end(), [&](const CompareColumn& o) {
        return o.estimates[m].mean != columns[0].estimates[m].mean;
      });
      cell += differs && eligible(ci) && best && e.mean == *best ? " *" : "  ";
      cells[m].push_back(cell);
    }
  }
  std::size_t label_width = 0;
  for (const auto& row : t.rows) label_width = std::max(label_width, row.label.size());
  std::vector<std::size_t> widths;
  for (std::size_t c = 0; c < columns.size(); ++c) {
    std::size_t w = columns[c].name.size() + (eligible(c) ? 0 : 4);
    for (const auto& row : cells) w = std::max(w, row[c].size());
    widths.push_back(w);
  }
  std::string out = t.heading + "\n\n";
  out += fmt::format("{:<{}}", "", label_width);
  for (std::size_t c = 0; c < columns.size(); ++c)
    out += fmt::format("  {:>{}}", columns[c].name + (eligible(c) ? "" : " (!)"), widths[c]);
  out += "\n";
  for (std::size_t m = 0; m < t.rows.size(); ++m) {
    if (m == t.first_counterfactual) out += "\n";
    // Rows that are zero everywhere (a cause that never occurred) say nothing.
    if (std::all_of(columns.begin(), columns.end(), [&](const CompareColumn& c) {
          return c.estimates[m].mean == 0 && c.estimates[m].high == 0;
        }))
      continue;
    out += fmt::format("{:<{}}", t.rows[m].label, label_width);
    for (std::size_t c = 0; c < columns.size(); ++c) out += fmt::format("  {:>{}}", cells[m][c], widths[c]);
    out += "\n";
  }
  out += "\n(change against base in brackets; * marks the best value of a row among the columns that get "
         "as much done)\n";
  for (std::size_t c = 0; c < columns.size(); ++c)
    if (!eligible(c))
      out += fmt::format("(!) {} {}: its cost and latency are not comparable, and it is never marked best\n",
                         columns[c].name, flags[c]);
  return out;
}

void write_compare_csv(std::ostream& out, const CompareTable& t) {
  out << "variant,metric,value,ci_low,ci_high\n";
  for (const CompareColumn& c : t.columns)
    for (std::size_t m = 0; m < t.rows.size(); ++m) {
      const metrics::Estimate& e = c.estimates[m];
      std::string metric = t.rows[m].path.substr(1);
      std::replace(metric.begin(), metric.end(), '/', '.');
      out << fmt::format("{},{},{},{},{}\n", c.name, metric, round_significant(e.mean), round_significant(e.low),
                         round_significant(e.high));
    }
}

}  // namespace ratesim::report
