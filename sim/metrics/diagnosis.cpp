#include "sim/metrics/diagnosis.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace ratesim::metrics {

std::string cure_for(const std::string& cause) {
  if (cause == "rpm") return "fewer, bundled calls (several items per request, or the Batch API)";
  if (cause == "itpm") return "shorter prompts, or prompt caching (cache reads do not count toward ITPM)";
  if (cause == "otpm") return "a tighter max_tokens (it is reserved up front), or shorter answers";
  if (cause == "tpm") return "shorter prompts and a tighter max_tokens (both are charged up front)";
  if (cause == "acceleration") return "ramp up gradually (a ramp or adaptive layer) and keep usage steady";
  if (cause == "529") return "the platform, not you: back off and retry";
  return "";
}

Diagnosis diagnose(const Summary& s) {
  Diagnosis d;
  for (const GroupSummary& g : s.groups) {
    for (const BudgetSummary& b : g.budgets) {
      if (b.first_429_s >= 0 && (d.first_at_s < 0 || b.first_429_s < d.first_at_s)) {
        d.first_group = g.name;
        d.first_budget = b.name;
        d.first_at_s = b.first_429_s;
      }
    }
    if (g.first_acceleration_s >= 0 && (d.first_at_s < 0 || g.first_acceleration_s < d.first_at_s)) {
      d.first_group = g.name;
      d.first_budget = "acceleration";
      d.first_at_s = g.first_acceleration_s;
    }
  }
  const WorkloadSummary& t = s.total;
  const double refusals = static_cast<double>(t.r429_total() + t.r529);
  auto add = [&](const std::string& cause, std::uint64_t n) {
    if (n > 0) d.causes.push_back({cause, n, static_cast<double>(n) / refusals, cure_for(cause)});
  };
  add("rpm", t.r429_of(models::LimitCause::kRpm));
  add("itpm", t.r429_of(models::LimitCause::kItpm));
  add("otpm", t.r429_of(models::LimitCause::kOtpm));
  add("tpm", t.r429_of(models::LimitCause::kTpm));
  add("acceleration", t.r429_of(models::LimitCause::kAcceleration));
  add("529", t.r529);
  std::stable_sort(d.causes.begin(), d.causes.end(),
                   [](const CauseFinding& a, const CauseFinding& b) { return a.count > b.count; });

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
