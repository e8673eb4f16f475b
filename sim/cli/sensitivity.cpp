#include "sim/cli/sensitivity.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "sim/cli/parallel.hpp"
#include "sim/cli/runner.hpp"
#include "sim/report/csv.hpp"
#include "sim/report/number_format.hpp"
#include "sim/scenario/assumptions.hpp"

namespace ratesim::cli {
namespace {

SensitivityMetrics metrics_of(const metrics::WorkloadSummary& t) {
  return SensitivityMetrics{.ok = static_cast<double>(t.requests(models::RequestOutcome::kOk)),
                            .gave_up = static_cast<double>(t.requests(models::RequestOutcome::kGaveUp)),
                            .r429 = static_cast<double>(t.r429_total()),
                            .latency_p99_s = t.latency.p99,
                            .cost_usd = t.cost_total(),
                            .makespan_s = t.makespan_s,
                            .never_fits = static_cast<double>(t.never_fits)};
}


std::string signed_count(double delta) {
  if (delta == 0) return "0";
  std::string out(1, delta > 0 ? '+' : '-');
  out += report::with_separators(static_cast<std::uint64_t>(std::llround(std::fabs(delta))));
  return out;
}

std::string signed_number(double delta, int decimals) {
  if (delta == 0) return "0";
  std::string out(1, delta > 0 ? '+' : '-');
  out += report::with_separators(std::fabs(delta), decimals);
  return out;
}

}  // namespace

std::vector<SensitivityRow> run_sensitivity(const scenario::Scenario& s, int jobs) {
  std::vector<SensitivityRow> rows{{"base", "base", "", {}}};
  std::vector<scenario::Scenario> runs{s};
  for (const auto& e : scenario::assumption_ledger(s)) {
    if (!e.range) continue;
    for (std::size_t level = 0; level < 2; ++level) {
      scenario::Scenario v = s;
      (*e.range)[level].apply(v);
      runs.push_back(std::move(v));
      rows.push_back({e.path, level == 0 ? "low" : "high", (*e.range)[level].value, {}});
    }
  }
  report::RunProgress progress("sensitivity", runs.size());
  parallel_for(
      runs.size(), jobs,
      [&](std::size_t i) {
        rows[i].metrics = metrics_of(run_scenario(runs[i], RunOptions{.counterfactual = false}).summary.total);
      },
      &progress);
  for (std::size_t i = 1; i < rows.size(); ++i) rows[i].structural = rows[i].metrics.never_fits > rows[0].metrics.never_fits;
  return rows;
}

std::string sensitivity_table(const std::vector<SensitivityRow>& rows) {
  if (rows.empty()) return "";
  const SensitivityMetrics& base = rows[0].metrics;
  // Pairs (low, high) after the base row, ordered by how far apart they put `ok`.
  std::vector<std::size_t> pairs, breaks;
  for (std::size_t i = 1; i + 1 < rows.size(); i += 2)
    (rows[i].structural || rows[i + 1].structural ? breaks : pairs).push_back(i);
  auto swing = [&](std::size_t i) {
    return std::fabs(rows[i + 1].metrics.ok - rows[i].metrics.ok) +
           1e-9 * std::fabs(rows[i + 1].metrics.r429 - rows[i].metrics.r429);
  };
  std::stable_sort(pairs.begin(), pairs.end(), [&](std::size_t a, std::size_t b) { return swing(a) > swing(b); });

  std::vector<std::array<std::string, 9>> cells;
  cells.push_back({"assumption", "level", "value", "ok", "gave up", "429s", "p99, s", "cost, USD", "makespan, s"});
  cells.push_back({"(as written)", "", "", report::with_separators(static_cast<std::uint64_t>(base.ok)),
                   report::with_separators(static_cast<std::uint64_t>(base.gave_up)),
                   report::with_separators(static_cast<std::uint64_t>(base.r429)),
                   report::with_separators(base.latency_p99_s, 3), report::with_separators(base.cost_usd, 2),
                   report::with_separators(base.makespan_s, 1)});
  auto add_pair = [&](std::size_t p) {
    for (std::size_t k = 0; k < 2; ++k) {
      const SensitivityRow& r = rows[p + k];
      const SensitivityMetrics& m = r.metrics;
      const std::string value =
          r.structural ? fmt::format("{} ({} never fit)", r.value,
                                     report::with_separators(static_cast<std::uint64_t>(m.never_fits)))
                       : r.value;
      cells.push_back({k == 0 ? r.assumption : "", r.level, value, signed_count(m.ok - base.ok),
                       signed_count(m.gave_up - base.gave_up), signed_count(m.r429 - base.r429),
                       signed_number(m.latency_p99_s - base.latency_p99_s, 3),
                       signed_number(m.cost_usd - base.cost_usd, 2),
                       signed_number(m.makespan_s - base.makespan_s, 1)});
    }
  };
  for (const std::size_t p : pairs) add_pair(p);
  const std::size_t ranked = cells.size();
  for (const std::size_t p : breaks) add_pair(p);
  std::array<std::size_t, 9> width{};
  for (const auto& row : cells)
    for (std::size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
  std::string out =
      "\nsensitivity: each assumption at the low and high end of its plausible range, one at a time, "
      "same seed\n(all workloads; changes against the scenario as written)\n";
  for (std::size_t i = 0; i < cells.size(); ++i) {
    const auto& row = cells[i];
    if (i == ranked)
      out += "structural breaks, not ranked with the risks above: at one end some requests are larger than a "
             "whole bucket and can never be admitted,\nso the run measures a different system; settle the value "
             "(or the request sizes) before reading its swing\n";
    std::string line = "  " + fmt::format("{:<{}}  {:<{}}  {:<{}}", row[0], width[0], row[1], width[1], row[2], width[2]);
    for (std::size_t c = 3; c < row.size(); ++c) line += fmt::format("  {:>{}}", row[c], width[c]);
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

void write_sensitivity_csv(std::ostream& out, const std::vector<SensitivityRow>& rows) {
  out << "assumption,level,value,ok,gave_up,r429,latency_p99_s,cost_usd,makespan_s,never_fits,structural\n";
  for (const auto& r : rows)
    out << fmt::format("{},{},{},{},{},{},{},{},{},{},{}\n", report::csv_field(r.assumption), r.level, report::csv_field(r.value),
                       r.metrics.ok, r.metrics.gave_up, r.metrics.r429, r.metrics.latency_p99_s,
                       r.metrics.cost_usd, r.metrics.makespan_s, r.metrics.never_fits, r.structural ? "true" : "false");
}

}  // namespace ratesim::cli
