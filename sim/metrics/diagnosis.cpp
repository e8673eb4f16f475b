#include "sim/metrics/diagnosis.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace ratesim::metrics {

std::string cure_for(const std::string& cause) {
  for (const models::CauseSpec& c : models::kCauses)
    if (c.name == cause) return std::string(c.cure);
  if (cause == "529") return "the platform, not you: back off and retry";
  return "";
}

std::string workspace_cure(const std::string& budget, const std::string& workspace) {
  return fmt::format(
      "workspace {}'s own {} cap, not the organization's limit, refused these: raise that cap "
      "(Console, workspace limits) if the organization has the room, or pace this workspace's "
      "work to its cap; the cap is what keeps it from taking the other workspaces' share",
      workspace, budget);
}

namespace {

std::string bound_cure(const std::string& budget) {
  return fmt::format(
      "the {} budget alone would refuse this traffic within a minute (see 'without acceleration "
      "limits'): pace to the headroom {} leaves after other traffic (a pace layer, or fewer "
      "requests in flight); ramping alone will not help",
      budget, budget);
}

}  // namespace

std::pair<std::uint64_t, std::string> budget_bound_acceleration(const GroupSummary& with,
                                                                 const std::vector<const GroupSummary*>& without) {
  std::uint64_t bound = 0;
  std::string top;
  std::uint64_t top_count = 0;
  for (const GroupSummary* w : without) {
    for (std::size_t b = 0; b < models::kBudgetCount; ++b) {
      std::uint64_t n = 0;
      for (const std::uint32_t c : w->r429_per_minute[b]) n += c;
      if (n <= top_count) continue;
      top_count = n;
      const models::Scope scope = w->workspace.empty() ? models::Scope::kOrganization : models::Scope::kWorkspace;
      top = models::refusal_label(models::refusal_index(scope, models::budget_cause(b)), w->workspace);
    }
  }
  auto at = [](const std::vector<std::uint32_t>& v, std::size_t m) -> std::uint64_t {
    return m < v.size() ? v[m] : 0;
  };
  for (std::size_t m = 0; m < with.acceleration_per_minute.size(); ++m) {
    std::uint64_t refused = 0;
    for (const GroupSummary* w : without)
      for (const auto& v : w->r429_per_minute) refused += at(v, m) + at(v, m + 1);
    bound += std::min<std::uint64_t>(with.acceleration_per_minute[m], refused);
  }
  return {bound, top};
}

Diagnosis diagnose(const Summary& s) {
  Diagnosis d;
  for (const GroupSummary& g : s.groups) {
    for (const BudgetSummary& b : g.budgets) {
      if (b.first_429_s >= 0 && (d.first_at_s < 0 || b.first_429_s < d.first_at_s)) {
        d.first_group = g.name;
        d.first_workspace = g.workspace;
        d.first_budget = b.name;
        d.first_at_s = b.first_429_s;
      }
    }
    if (g.first_acceleration_s >= 0 && (d.first_at_s < 0 || g.first_acceleration_s < d.first_at_s)) {
      d.first_group = g.name;
      d.first_workspace.clear();
      d.first_budget = models::name(models::LimitCause::kAcceleration);
      d.first_at_s = g.first_acceleration_s;
    }
  }
  d.spend_limit_reached_s = s.spend_limit_reached_s;
  const WorkloadSummary& t = s.total;
  const double refusals = static_cast<double>(t.r429_total() + t.r529);
  auto add = [&](const std::string& cause, std::uint64_t n) {
    if (n > 0) d.causes.push_back({cause, "", n, static_cast<double>(n) / refusals, cure_for(cause)});
  };
  for (std::size_t b = 0; b < models::kBudgetCount; ++b) add(budget_name(b), t.r429[b]);
  // A workspace's caps are their own cause, per workspace: the cure is the cap, not the budget.
  for (std::size_t i = 0; i < models::kRefusalCount; ++i) {
    if (models::refusal_scope(i) != models::Scope::kWorkspace) continue;
    std::vector<std::pair<std::string, std::uint64_t>> by_workspace;
    for (const WorkloadSummary& w : s.workloads) {
      if (w.r429[i] == 0) continue;
      auto it = std::find_if(by_workspace.begin(), by_workspace.end(), [&](const auto& p) { return p.first == w.workspace; });
      if (it == by_workspace.end()) by_workspace.emplace_back(w.workspace, w.r429[i]);
      else it->second += w.r429[i];
    }
    const std::string budget(models::name(models::refusal_cause(i)));
    for (const auto& [workspace, n] : by_workspace)
      d.causes.push_back({models::refusal_label(i, workspace), "", n, static_cast<double>(n) / refusals,
                          workspace_cure(budget, workspace)});
  }
  // Acceleration 429s split by what the run without acceleration limits shows: those the budgets
  // would have refused anyway are budget problems (their cure differs), the rest are the model's.
  std::uint64_t accel = t.r429_of(models::LimitCause::kAcceleration);
  if (s.without_acceleration && accel > 0) {
    std::vector<std::pair<std::string, std::uint64_t>> bound;  // budget, count
    // Acceleration is the organization's: each of its groups against the same group's budgets
    // and every workspace's caps on it in the run without acceleration.
    for (const GroupSummary& g : s.groups) {
      if (!g.workspace.empty()) continue;
      std::vector<const GroupSummary*> without;
      for (const GroupSummary& w : s.without_acceleration->groups)
        if (w.name == g.name) without.push_back(&w);
      if (without.empty()) continue;
      const auto [n, budget] = budget_bound_acceleration(g, without);
      if (n == 0) continue;
      auto it = std::find_if(bound.begin(), bound.end(), [&](const auto& p) { return p.first == budget; });
      if (it == bound.end()) bound.emplace_back(budget, n);
      else it->second += n;
    }
    for (const auto& [budget, n] : bound) {
      const std::uint64_t k = std::min(n, accel);
      if (k == 0) continue;
      d.causes.push_back({std::string(models::name(models::LimitCause::kAcceleration)), budget, k, static_cast<double>(k) / refusals, bound_cure(budget)});
      accel -= k;
    }
  }
  add(std::string(models::name(models::LimitCause::kAcceleration)), accel);
  add(std::string(models::name(models::LimitCause::kSpend)), t.r429_of(models::LimitCause::kSpend));
  add("529", t.r529);
  std::stable_sort(d.causes.begin(), d.causes.end(),
                   [](const CauseFinding& a, const CauseFinding& b) { return a.count > b.count; });

  d.warnings = s.warnings;  // settings without effect, found before the run
  for (const WorkloadSummary& w : s.workloads) {
    if (w.never_fits > 0)
      d.warnings.push_back(fmt::format(
          "workload '{}': {} requests can never pass: their cost exceeds a whole budget of the "
          "group, so every attempt gets a 429 (raise 'burst' or the limit, or shrink the requests)",
          w.name, w.never_fits));
    // A few requests in flight at the horizon are normal; a backlog left behind is not.
    if (const auto n = w.requests(models::RequestOutcome::kUnfinished); n > 0 && 100 * n > w.arrived)
      d.warnings.push_back(fmt::format(
          "workload '{}': {} requests were still pending when the run ended (see 'unfinished'); a "
          "longer duration shows how the backlog drains",
          w.name, n));
    if (const auto n = w.requests(models::RequestOutcome::kTimedOut); n > 0)
      d.warnings.push_back(fmt::format("workload '{}': {} requests passed their deadline (timed out)",
                                       w.name, n));
  }
  return d;
}

}  // namespace ratesim::metrics
