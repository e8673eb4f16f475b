#include "sim/report/summary_table.hpp"

#include <fmt/format.h>

#include <cmath>
#include <algorithm>
#include <functional>
#include <vector>

#include "sim/metrics/diagnosis.hpp"
#include "sim/report/number_format.hpp"

namespace ratesim::report {
namespace {

using metrics::WorkloadSummary;
using models::RequestOutcome;

struct Row {
  std::string label;          ///< "" for a blank line; a heading has no values
  std::vector<std::string> cells;
};

class Table {
 public:
  Table(const metrics::Summary& s, bool colour) : colour_(colour) {
    for (const auto& w : s.workloads) columns_.push_back(&w);
    if (s.workloads.size() != 1) columns_.push_back(&s.total);
  }

  void heading(std::string title) { rows_.push_back({std::move(title), {}}); }

  /// A row of counts; `optional` rows are left out when every value is zero.
  void count(std::string label, const std::function<std::uint64_t(const WorkloadSummary&)>& f,
             bool optional = false) {
    bool any = false;
    Row row{"  " + std::move(label), {}};
    for (const auto* w : columns_) {
      const std::uint64_t v = f(*w);
      any = any || v != 0;
      row.cells.push_back(with_separators(v));
    }
    if (any || !optional) rows_.push_back(std::move(row));
  }

  void number(std::string label, const std::function<double(const WorkloadSummary&)>& f,
              int decimals, bool optional = false) {
    bool any = false;
    Row row{"  " + std::move(label), {}};
    for (const auto* w : columns_) {
      const double v = f(*w);
      any = any || v != 0;
      row.cells.push_back(with_separators(v, decimals));
    }
    if (any || !optional) rows_.push_back(std::move(row));
  }

  std::string render() const {
    std::size_t label_width = 0;
    for (const Row& r : rows_) label_width = std::max(label_width, r.label.size());
    std::vector<std::size_t> widths;
    for (const auto* w : columns_) widths.push_back(std::max<std::size_t>(w->name.size(), 8));
    for (const Row& r : rows_)
      for (std::size_t i = 0; i < r.cells.size(); ++i) widths[i] = std::max(widths[i], r.cells[i].size());
    std::string out = fmt::format("{:<{}}", "", label_width);
    for (std::size_t i = 0; i < columns_.size(); ++i)
      out += fmt::format("  {:>{}}", columns_[i]->name, widths[i]);
    out += '\n';
    for (const Row& r : rows_) {
      // Headings (rows without cells) in bold on a terminal.
      if (colour_ && r.cells.empty()) {
        out += "\033[1m" + r.label + "\033[0m\n";
        continue;
      }
      out += fmt::format("{:<{}}", r.label, label_width);
      for (std::size_t i = 0; i < r.cells.size(); ++i)
        out += fmt::format("  {:>{}}", r.cells[i], widths[i]);
      // Headings carry no cells; trim trailing padding.
      while (!out.empty() && out.back() == ' ') out.pop_back();
      out += '\n';
    }
    return out;
  }

 private:
  std::vector<const WorkloadSummary*> columns_;
  std::vector<Row> rows_;
  bool colour_;
};

/// Per limit group: one column per budget, and what a use above 100% means.
std::string group_table(const metrics::GroupSummary& g, const metrics::Summary& s) {
  std::vector<std::pair<std::string, std::vector<std::string>>> rows{
      {"limit per minute", {}}, {"mean use", {}}, {"peak use", {}}, {"429s", {}}, {"first 429, s", {}}};
  for (const auto& b : g.budgets) {
    rows[0].second.push_back(with_separators(static_cast<std::uint64_t>(b.limit)));
    rows[1].second.push_back(fmt::format("{:.0f}%", 100 * b.mean_util));
    rows[2].second.push_back(fmt::format("{:.0f}%", 100 * b.peak_util));
    rows[3].second.push_back(with_separators(b.r429));
    rows[4].second.push_back(b.first_429_s < 0 ? "-" : with_separators(b.first_429_s, 1));
  }
  const std::string title = g.workspace.empty() ? "limit group " + g.name
                                                : fmt::format("limit group {}, workspace {}'s caps", g.name, g.workspace);
  std::size_t label = title.size();
  for (const auto& r : rows) label = std::max(label, r.first.size() + 2);
  std::vector<std::size_t> widths;
  for (std::size_t i = 0; i < g.budgets.size(); ++i) {
    std::size_t w = std::max<std::size_t>(g.budgets[i].name.size(), 8);
    for (const auto& r : rows) w = std::max(w, r.second[i].size());
    widths.push_back(w);
  }
  std::string out = fmt::format("\n{:<{}}", title, label);
  for (std::size_t i = 0; i < g.budgets.size(); ++i)
    out += fmt::format("  {:>{}}", g.budgets[i].name, widths[i]);
  out += '\n';
  for (const auto& r : rows) {
    out += fmt::format("{:<{}}", "  " + r.first, label);
    for (std::size_t i = 0; i < r.second.size(); ++i) out += fmt::format("  {:>{}}", r.second[i], widths[i]);
    out += '\n';
  }
  // A use above 100% is not a contradiction: the bucket holds an allowance (the burst) on top
  // of its refill, so the numbers say where it came from rather than leave a reader to doubt them.
  std::string full_start, peaks;
  double share = 0;
  for (const auto& b : g.budgets) {
    if (b.start_share >= 0.0005 && b.start_share > share) {
      share = b.start_share;
      full_start = b.name;
    }
    if (b.peak_util > 1) peaks += (peaks.empty() ? "" : ", ") + b.name;
  }
  if (!full_start.empty())
    out += fmt::format("  mean use above 100%: what the {} bucket held when measuring began (full at a run's start) "
                       "served {:.1f}% of its use, beyond the refill at the limit; a longer duration or a "
                       "`warmup:` measures the rate it sustains\n",
                       full_start, 100 * share);
  if (!peaks.empty())
    out += fmt::format("  peak use above 100% ({}): the busiest interval drew on what the bucket held, which "
                       "refills at the limit per minute; use above the rate is not by itself a 429\n",
                       peaks);
  const double window = s.measured_to_s - s.measured_from_s;
  if (!g.budgets.empty() && window > 0 && std::abs(window - s.duration_s) > 0.01 * s.duration_s)
    out += fmt::format("  mean use is over the {} s the work ran ({} s to {} s), not the {} s horizon\n",
                       with_separators(window, 0), with_separators(s.measured_from_s, 0),
                       with_separators(s.measured_to_s, 0), with_separators(s.duration_s, 0));
  if (g.r429_acceleration > 0)
    out += fmt::format("  429 acceleration (an assumed model, not a published budget): {}\n",
                       with_separators(g.r429_acceleration));
  if (g.never_fits > 0)
    out += fmt::format("  requests that never fit: {}\n", with_separators(g.never_fits));
  return out;
}

std::string diagnosis_text(const metrics::Diagnosis& d) {
  std::string out = "\ndiagnosis\n";
  if (d.spend_limit_reached_s >= 0)
    out += fmt::format("  monthly spend limit reached at {} s: every attempt after it is refused\n",
                       with_separators(d.spend_limit_reached_s, 1));
  if (d.first_at_s < 0 && d.causes.empty()) return out + "  no request was refused\n";
  if (d.first_at_s >= 0)
    out += fmt::format("  first limit hit: {} {}{} at {} s\n", d.first_group, d.first_budget,
                       d.first_workspace.empty() ? "" : " (workspace " + d.first_workspace + ")",
                       with_separators(d.first_at_s, 1));
  auto label = [](const metrics::CauseFinding& c) {
    if (c.cause == "529") return std::string("529");
    return "429 " + c.cause + (c.bound_by.empty() ? "" : ", " + c.bound_by + "-bound");
  };
  std::size_t width = 13;
  for (const auto& c : d.causes) width = std::max(width, label(c).size() + 1);
  for (const auto& c : d.causes)
    out += fmt::format("  {:<{}}{:>9} ({:>3.0f}%)  cure: {}\n", label(c), width,
                       with_separators(c.count), 100 * c.share, c.cure);
  return out;
}

/// One row per 429 cause and scope, in the tables' order: a budget's row whenever a group of
/// that scope has the budget (`all_optional`: only when a count is not zero), the rest only
/// when not zero. A workspace's row names the workspace when the workloads it refused all run in
/// one.
void refusal_rows(Table& t, const metrics::Summary& s, bool all_optional) {
  for (std::size_t i = 0; i < models::kRefusalCount; ++i) {
    std::vector<std::string> workspaces;
    for (const auto& w : s.workloads)
      if (w.r429[i] > 0 && std::find(workspaces.begin(), workspaces.end(), w.workspace) == workspaces.end())
        workspaces.push_back(w.workspace);
    const models::LimitCause cause = models::refusal_cause(i);
    const bool workspace = models::refusal_scope(i) == models::Scope::kWorkspace;
    bool has_budget = false;
    for (const auto& g : s.groups)
      for (const auto& b : g.budgets)
        has_budget = has_budget || (b.name == models::name(cause) && g.workspace.empty() != workspace);
    std::string label = "429 " + models::refusal_label(i, workspaces.size() == 1 ? workspaces[0] : "");
    // The one cause that comes from an assumed model rather than a published budget says so.
    if (cause == models::LimitCause::kAcceleration) label += " (assumed)";
    t.count(label, [i](const WorkloadSummary& w) { return w.r429[i]; }, all_optional || !has_budget);
  }
}

/// The run again without acceleration limits: what the documented budgets alone do.
std::string counterfactual_table(const metrics::Summary& without, bool colour) {
  Table t(without, colour);
  auto req = [](RequestOutcome o) { return [o](const WorkloadSummary& w) { return w.requests(o); }; };
  t.count("ok", req(RequestOutcome::kOk));
  t.count("gave up", req(RequestOutcome::kGaveUp));
  t.count("timed out", req(RequestOutcome::kTimedOut), true);
  t.count("dropped", req(RequestOutcome::kDropped), true);
  t.count("unfinished", req(RequestOutcome::kUnfinished), true);
  t.count("429 total", [](const WorkloadSummary& w) { return w.r429_total(); });
  refusal_rows(t, without, true);
  t.number("latency p99, s", [](const WorkloadSummary& w) { return w.latency.p99; }, 3);
  t.number("makespan, s", [](const WorkloadSummary& w) { return w.makespan_s; }, 1);
  t.number("cost, USD", [](const WorkloadSummary& w) { return w.cost_total(); }, 2);
  const std::string title = "without acceleration limits (same scenario and seed; budgets only)";
  return "\n" + (colour ? "\033[1m" + title + "\033[0m" : title) + "\n" + t.render();
}

/// One line naming the assumed values that shaped the run: the path without "provider.", and
/// the value when it is short.
std::string assumptions_line(const metrics::Summary& s) {
  std::vector<std::string> names;
  for (const auto& a : s.assumptions) {
    if (a.documented) continue;
    std::string name = a.path.rfind("provider.", 0) == 0 ? a.path.substr(9) : a.path;
    if (a.value.size() <= 12) name += " " + a.value;
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  }
  if (names.empty()) return "";
  std::string out = "\nassumed, not published: ";
  for (std::size_t i = 0; i < names.size(); ++i) out += (i ? "; " : "") + names[i];
  return out + " (summary.json 'assumptions'; how much they matter: ratesim run --sensitivity)\n";
}

}  // namespace

std::string summary_table(const metrics::Summary& s, bool colour) {
  std::string warmup;
  if (s.warmup_s > 0)
    warmup = fmt::format("warm-up: the {} requests that arrived in the first {} s are left out of every figure; "
                         "budget use is measured from {} s\n\n",
                         with_separators(s.requests_left_out), with_separators(s.warmup_s, 0),
                         with_separators(s.warmup_s, 0));
  Table t(s, colour);
  auto req = [](RequestOutcome o) { return [o](const WorkloadSummary& w) { return w.requests(o); }; };
  t.heading("requests");
  t.count("arrived", [](const WorkloadSummary& w) { return w.arrived; });
  t.count("ok", req(RequestOutcome::kOk));
  t.count("gave up", req(RequestOutcome::kGaveUp));
  t.count("timed out", req(RequestOutcome::kTimedOut));
  t.count("dropped", req(RequestOutcome::kDropped), true);
  t.count("expired", req(RequestOutcome::kExpired), true);
  t.count("unfinished", req(RequestOutcome::kUnfinished));
  t.heading("attempts");
  t.count("total", [](const WorkloadSummary& w) { return w.attempts; });
  t.count("ok", [](const WorkloadSummary& w) { return w.attempts_ok; });
  t.count("429 total", [](const WorkloadSummary& w) { return w.r429_total(); });
  refusal_rows(t, s, false);
  t.count("529", [](const WorkloadSummary& w) { return w.r529; }, true);
  t.count("timeout", [](const WorkloadSummary& w) { return w.attempt_timeouts; }, true);
  t.number("attempts per request", [](const WorkloadSummary& w) { return w.amplification; }, 2);
  t.heading("latency, s (arrival to success)");
  t.number("mean", [](const WorkloadSummary& w) { return w.latency.mean; }, 3);
  t.number("p50", [](const WorkloadSummary& w) { return w.latency.p50; }, 3);
  t.number("p90", [](const WorkloadSummary& w) { return w.latency.p90; }, 3);
  t.number("p99", [](const WorkloadSummary& w) { return w.latency.p99; }, 3);
  t.number("max", [](const WorkloadSummary& w) { return w.latency.max; }, 3);
  t.heading("queue wait, s (arrival to first attempt)");
  t.number("p50", [](const WorkloadSummary& w) { return w.queue_wait.p50; }, 3);
  t.number("p99", [](const WorkloadSummary& w) { return w.queue_wait.p99; }, 3);
  t.heading("throughput, requests/s");
  t.number("mean", [](const WorkloadSummary& w) { return w.throughput_mean; }, 2);
  t.number("peak", [](const WorkloadSummary& w) { return w.throughput_peak; }, 2);
  t.number("makespan, s", [](const WorkloadSummary& w) { return w.makespan_s; }, 1);
  t.heading("tokens");
  t.count("input", [](const WorkloadSummary& w) { return w.input_tokens; });
  t.count("cache write", [](const WorkloadSummary& w) { return w.cache_write_tokens; }, true);
  t.count("cache read", [](const WorkloadSummary& w) { return w.cache_read_tokens; }, true);
  t.count("output", [](const WorkloadSummary& w) { return w.output_tokens; });
  t.heading("cost, USD");
  t.number("input", [](const WorkloadSummary& w) { return w.cost_input; }, 2);
  t.number("cache write", [](const WorkloadSummary& w) { return w.cost_cache_write; }, 2, true);
  t.number("cache read", [](const WorkloadSummary& w) { return w.cost_cache_read; }, 2, true);
  t.number("output", [](const WorkloadSummary& w) { return w.cost_output; }, 2);
  t.number("total", [](const WorkloadSummary& w) { return w.cost_total(); }, 2);
  t.number("per ok request", [](const WorkloadSummary& w) { return w.cost_per_ok(); }, 4);
  std::string out = warmup + t.render();
  if (s.spend_limit_reached_s >= 0)
    out += fmt::format("spend limit reached at {} s\n", with_separators(s.spend_limit_reached_s, 1));
  for (const auto& g : s.groups) out += group_table(g, s);
  if (s.without_acceleration) out += counterfactual_table(*s.without_acceleration, colour);
  const std::string diagnosis = diagnosis_text(metrics::diagnose(s));
  out += colour ? "\n\033[1mdiagnosis\033[0m" + diagnosis.substr(std::string("\ndiagnosis").size()) : diagnosis;
  for (const auto& w : metrics::diagnose(s).warnings) out += "  warning: " + w + "\n";
  out += assumptions_line(s);
  return out;
}

}  // namespace ratesim::report
