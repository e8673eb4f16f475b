#include "sim/report/sweep_csv.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "sim/metrics/confidence.hpp"
#include "sim/report/csv.hpp"
#include "sim/report/number_format.hpp"

namespace ratesim::report {
namespace {

/// A value for a CSV cell: nine significant digits; empty for NaN (no value).
std::string csv_number(double v) { return std::isnan(v) ? std::string() : fmt::format("{}", round_significant(v)); }

/// Every bit of a value, for parts: a double printed with 17 significant digits reads back exactly.
std::string exact_number(double v) { return std::isnan(v) ? std::string() : fmt::format("{:.17g}", v); }

std::string point_prefix(const SweepData& d, std::size_t p) {
  std::string s = std::to_string(p);
  for (const std::string& v : d.points[p]) {
    s += ',';
    s += csv_field(v);
  }
  return s;
}

/// The metrics the table on stdout shows (the CSV has them all).
const char* const kTableMetrics[] = {"total.requests.ok", "total.requests.gave_up", "total.attempts.r429.total",
                                     "total.latency_s.p99", "total.makespan_s", "total.cost_usd.per_ok_request"};
const char* const kTableLabels[] = {"ok", "gave up", "429s", "p99, s", "makespan, s", "USD per ok"};

}  // namespace


std::string sweep_csv_header(const SweepData& d) {
  std::string h = "point";
  for (const std::string& a : d.axes) {
    h += ',';
    h += csv_field(a);
  }
  h += ",replication,seed";
  for (const std::string& m : d.metrics) {
    h += ',';
    h += m;
  }
  return h;
}

void write_sweep_csv(std::ostream& out, const SweepData& d) {
  out << sweep_csv_header(d) << "\n";
  const auto reps = static_cast<std::size_t>(d.replications);
  for (std::size_t p = 0; p < d.points.size(); ++p) {
    const std::string prefix = point_prefix(d, p);
    std::vector<std::vector<double>> by_metric(d.metrics.size());
    for (std::size_t r = 0; r < reps; ++r) {
      const auto& row = d.values[p * reps + r];
      out << prefix << "," << r << "," << d.seed + r;
      for (std::size_t m = 0; m < d.metrics.size(); ++m) {
        out << "," << csv_number(row[m]);
        by_metric[m].push_back(row[m]);
      }
      out << "\n";
    }
    std::vector<metrics::Estimate> est;
    for (const auto& v : by_metric) est.push_back(metrics::estimate(v));
    for (const char* kind : {"mean", "ci_low", "ci_high"}) {
      out << prefix << "," << kind << ",";
      for (const auto& e : est) out << "," << csv_number(kind[0] == 'm' ? e.mean : kind[3] == 'l' ? e.low : e.high);
      out << "\n";
    }
  }
}

std::string sweep_table_text(const SweepData& d) {
  std::vector<std::size_t> picked;
  for (const char* m : kTableMetrics)
    for (std::size_t i = 0; i < d.metrics.size(); ++i)
      if (d.metrics[i] == m) picked.push_back(i);
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> head;
  for (const std::string& a : d.axes) head.push_back(a.substr(a.rfind('.') + 1));
  for (const char* l : kTableLabels) head.push_back(l);
  rows.push_back(head);
  const auto reps = static_cast<std::size_t>(d.replications);
  for (std::size_t p = 0; p < d.points.size(); ++p) {
    std::vector<std::string> row = d.points[p];
    for (const std::size_t m : picked) {
      std::vector<double> v;
      for (std::size_t r = 0; r < reps; ++r) v.push_back(d.values[p * reps + r][m]);
      const metrics::Estimate e = metrics::estimate(v);
      row.push_back(readable(e.mean, e.high, d.replications));
    }
    rows.push_back(row);
  }
  std::vector<std::size_t> width(head.size(), 0);
  for (const auto& row : rows)
    for (std::size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t c = 0; c < row.size(); ++c) line += fmt::format("  {:>{}}", row[c], width[c]);
    out += line + "\n";
  }
  if (d.replications > 1) out += "(means over the replications ± half their 95% interval)\n";
  return out;
}

std::string sweep_part_line(const SweepData& d, const SweepShard& shard) {
  return fmt::format("# ratesim sweep part {}/{} of sweep {}: {} points x {} replications, seed {}", shard.index, shard.count,
                     shard.sweep, d.points.size(), d.replications, d.seed);
}

void write_sweep_part(std::ostream& out, const SweepData& d, const SweepShard& shard) {
  out << sweep_part_line(d, shard) << "\n" << sweep_csv_header(d) << "\n";
  const auto reps = static_cast<std::size_t>(d.replications);
  for (std::size_t run = 0; run < d.values.size(); ++run) {
    if (!in_shard(run, shard)) continue;
    const std::size_t p = run / reps, r = run % reps;
    out << point_prefix(d, p) << "," << r << "," << d.seed + r;
    for (const double v : d.values[run]) out << "," << exact_number(v);
    out << "\n";
  }
}

}  // namespace ratesim::report
