#include "sim/report/summary_json.hpp"

#include <algorithm>

#include "sim/metrics/diagnosis.hpp"
#include "sim/report/number_format.hpp"

namespace ratesim::report {
namespace {

using nlohmann::ordered_json;
using models::RequestOutcome;

double r(double x) { return round_significant(x); }

ordered_json durations(const metrics::DurationStats& d) {
  return ordered_json{{"count", d.count}, {"mean", r(d.mean)}, {"p50", r(d.p50)},
                      {"p90", r(d.p90)},   {"p95", r(d.p95)},   {"p99", r(d.p99)},
                      {"p999", r(d.p999)}, {"max", r(d.max)}};
}

/// 429s by cause in kCauses order, then the workspaces' by budget.
ordered_json r429_json(const metrics::WorkloadSummary& w) {
  ordered_json j{{"total", w.r429_total()}};
  ordered_json workspace = ordered_json::object();
  for (std::size_t i = 0; i < models::kRefusalCount; ++i) {
    const std::string_view cause = models::name(models::refusal_cause(i));
    if (models::refusal_scope(i) == models::Scope::kWorkspace) workspace[std::string(cause)] = w.r429[i];
    else j[std::string(cause)] = w.r429[i];
  }
  j["workspace"] = std::move(workspace);
  return j;
}

ordered_json group_json(const metrics::GroupSummary& g) {
  ordered_json budgets = ordered_json::object();
  for (const auto& b : g.budgets)
    budgets[b.name] = ordered_json{{"limit", b.limit},
                                   {"mean_util", r(b.mean_util)},
                                   {"peak_util", r(b.peak_util)},
                                   {"start_share", r(b.start_share)},
                                   {"first_429_s", b.first_429_s < 0 ? ordered_json(nullptr)
                                                                     : ordered_json(r(b.first_429_s))},
                                   {"r429", b.r429}};
  ordered_json j{{"budgets", std::move(budgets)}};
  if (!g.workspace.empty()) return j;  // acceleration and never-fitting requests are the organization's
  j["r429_acceleration"] = g.r429_acceleration;
  j["first_acceleration_s"] = g.first_acceleration_s < 0 ? ordered_json(nullptr) : ordered_json(r(g.first_acceleration_s));
  j["never_fits"] = g.never_fits;
  return j;
}

ordered_json workload_json(const metrics::WorkloadSummary& w) {
  ordered_json j;
  if (!w.workspace.empty()) j["workspace"] = w.workspace;
  // Shares of the requests that arrived (of attempts for r429_share): a bound that holds across
  // seeds and scales ("at most 1% give up"), where counts vary with the arrivals. null when
  // nothing arrived (nothing was sent).
  const auto share = [](std::uint64_t part, std::uint64_t whole) {
    return whole ? ordered_json(r(static_cast<double>(part) / static_cast<double>(whole))) : ordered_json(nullptr);
  };
  j["requests"] = ordered_json{{"arrived", w.arrived},
                               {"ok", w.requests(RequestOutcome::kOk)},
                               {"gave_up", w.requests(RequestOutcome::kGaveUp)},
                               {"timed_out", w.requests(RequestOutcome::kTimedOut)},
                               {"dropped", w.requests(RequestOutcome::kDropped)},
                               {"expired", w.requests(RequestOutcome::kExpired)},
                               {"unfinished", w.requests(RequestOutcome::kUnfinished)},
                               {"ok_share", share(w.requests(RequestOutcome::kOk), w.arrived)},
                               {"gave_up_share", share(w.requests(RequestOutcome::kGaveUp), w.arrived)},
                               {"timed_out_share", share(w.requests(RequestOutcome::kTimedOut), w.arrived)}};
  j["attempts"] = ordered_json{{"total", w.attempts},
                               {"ok", w.attempts_ok},
                               {"r429", r429_json(w)},
                               {"r429_share", share(w.r429_total(), w.attempts)},
                               {"r529", w.r529},
                               {"timeout", w.attempt_timeouts}};
  j["amplification"] = r(w.amplification);
  j["latency_s"] = durations(w.latency);
  j["queue_wait_s"] = durations(w.queue_wait);
  j["throughput_rps"] = ordered_json{{"mean", r(w.throughput_mean)}, {"peak", r(w.throughput_peak)}};
  j["makespan_s"] = r(w.makespan_s);
  j["tokens"] = ordered_json{{"input", w.input_tokens},
                             {"cache_write", w.cache_write_tokens},
                             {"cache_read", w.cache_read_tokens},
                             {"output", w.output_tokens}};
  j["cost_usd"] = ordered_json{{"total", r(w.cost_total())},
                               {"input", r(w.cost_input)},
                               {"cache_write", r(w.cost_cache_write)},
                               {"cache_read", r(w.cost_cache_read)},
                               {"output", r(w.cost_output)},
                               {"per_ok_request", w.requests(RequestOutcome::kOk) ? ordered_json(r(w.cost_per_ok()))
                                                                                   : ordered_json(nullptr)}};
  return j;
}

}  // namespace

nlohmann::ordered_json workload_to_json(const metrics::WorkloadSummary& w) { return workload_json(w); }

nlohmann::ordered_json summary_to_json(const metrics::Summary& s) {
  ordered_json j;
  j["schema"] = kSummarySchema;
  j["scenario"] = s.scenario;
  j["seed"] = s.seed;
  j["version"] = s.version;
  j["duration_s"] = r(s.duration_s);
  j["warmup"] = ordered_json{{"seconds", r(s.warmup_s)}, {"requests_left_out", s.requests_left_out}};
  j["measured_s"] = ordered_json{{"from", r(s.measured_from_s)}, {"to", r(s.measured_to_s)}};
  j["total"] = workload_json(s.total);
  ordered_json ws = ordered_json::object();
  for (const auto& w : s.workloads) ws[w.name] = workload_json(w);
  j["workloads"] = std::move(ws);
  ordered_json gs = ordered_json::object();
  ordered_json spaces = ordered_json::object();
  for (const auto& g : s.groups) {
    if (g.workspace.empty()) gs[g.name] = group_json(g);
    else spaces[g.workspace]["groups"][g.name] = group_json(g);
  }
  j["groups"] = std::move(gs);
  j["workspaces"] = std::move(spaces);
  j["spend"] = ordered_json{{"limit_reached_s", s.spend_limit_reached_s < 0 ? ordered_json(nullptr)
                                                                           : ordered_json(r(s.spend_limit_reached_s))}};
  if (s.without_acceleration)
    j["counterfactual"] = ordered_json{{"without_acceleration", workload_json(s.without_acceleration->total)}};
  ordered_json assumptions = ordered_json::array();
  for (const auto& a : s.assumptions)
    assumptions.push_back(ordered_json{{"path", a.path},
                                       {"value", a.value},
                                       {"basis", a.documented ? "documented" : "assumed"},
                                       {"source", a.source}});
  j["assumptions"] = std::move(assumptions);
  const metrics::Diagnosis d = metrics::diagnose(s);
  ordered_json diagnosis;
  diagnosis["first_limit"] =
      d.first_at_s < 0 ? ordered_json(nullptr)
                       : ordered_json{{"group", d.first_group},
                                      {"workspace", d.first_workspace.empty() ? ordered_json(nullptr) : ordered_json(d.first_workspace)},
                                      {"budget", d.first_budget},
                                      {"at_s", r(d.first_at_s)}};
  ordered_json causes = ordered_json::array();
  for (const auto& c : d.causes)
    causes.push_back(ordered_json{{"cause", c.cause},
                                  {"bound_by", c.bound_by.empty() ? ordered_json(nullptr) : ordered_json(c.bound_by)},
                                  {"count", c.count},
                                  {"share", r(c.share)},
                                  {"cure", c.cure}});
  diagnosis["causes"] = std::move(causes);
  diagnosis["warnings"] = d.warnings;
  j["diagnosis"] = std::move(diagnosis);
  return j;
}

std::optional<double> summary_metric(const nlohmann::ordered_json& summary, const std::string& path) {
  const nlohmann::ordered_json* node = &summary;
  std::size_t start = 0;
  for (;;) {
    const std::size_t dot = path.find('.', start);
    const std::string key = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (!node->is_object() || !node->contains(key)) return std::nullopt;
    node = &(*node)[key];
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  if (node->is_number()) return node->get<double>();
  if (node->is_null()) return std::nullopt;
  return std::nullopt;
}

std::vector<std::string> summary_metric_paths(const nlohmann::ordered_json& summary) {
  std::vector<std::string> out;
  std::vector<std::pair<const nlohmann::ordered_json*, std::string>> stack{{&summary, ""}};
  while (!stack.empty()) {
    const auto [node, prefix] = stack.back();
    stack.pop_back();
    for (auto it = node->begin(); it != node->end(); ++it) {
      if (!node->is_object()) break;
      const std::string path = prefix.empty() ? it.key() : prefix + "." + it.key();
      if (it->is_object()) stack.emplace_back(&*it, path);
      else if (it->is_number() || it->is_null()) out.push_back(path);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string summary_json_text(const metrics::Summary& s) {
  return summary_to_json(s).dump(2) + "\n";
}

}  // namespace ratesim::report
