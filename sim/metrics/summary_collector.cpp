#include "sim/metrics/summary_collector.hpp"

#include <algorithm>

namespace ratesim::metrics {

DurationStats stats(const Histogram& h) {
  return DurationStats{.count = h.count(),
                       .mean = h.mean(),
                       .p50 = h.quantile(0.50),
                       .p90 = h.quantile(0.90),
                       .p95 = h.quantile(0.95),
                       .p99 = h.quantile(0.99),
                       .p999 = h.quantile(0.999),
                       .max = h.max()};
}

SummaryCollector::SummaryCollector(std::vector<std::string> workload_names,
                                   std::vector<GroupInfo> groups, models::Duration interval,
                                   models::Duration horizon, models::Duration warmup)
    : interval_(interval), horizon_(horizon), measured_from_(kernel::kTimeZero + warmup) {
  for (GroupInfo& g : groups) groups_.push_back(GroupAccumulator{.info = std::move(g)});
  for (std::string& n : workload_names) {
    per_workload_.emplace_back();
    per_workload_.back().s.name = std::move(n);
  }
  total_.s.name = "total";
}

void SummaryCollector::on_arrival(models::Time now, const models::Request& r) {
  if (!measured(r)) {
    ++left_out_;
    return;
  }
  both(r, [&](Accumulator& a) {
    ++a.s.arrived;
    a.first_arrival = std::min(a.first_arrival, now);
  });
}

void SummaryCollector::on_attempt_sent(models::Time now, const models::Request& r) {
  if (!measured(r)) return;
  both(r, [&](Accumulator& a) {
    ++a.s.attempts;
    if (r.attempts == 1) a.queue_wait.add(kernel::to_seconds(now - r.arrival));
  });
}

SummaryCollector::GroupAccumulator* SummaryCollector::group(std::uint32_t index) {
  for (GroupAccumulator& g : groups_)
    if (g.info.index == index) return &g;
  return nullptr;
}

void SummaryCollector::use(BudgetUse& u, models::Time now, std::int64_t amount) {
  // Budget use is a matter of time, not of whose request it was: measured from the warm-up's end.
  if (now < measured_from_) return;
  const std::int64_t index = interval_of(now);
  if (index != u.interval_index) {
    u.interval_index = index;
    u.in_interval = 0;
  }
  u.in_interval += amount;
  u.total += amount;
  u.peak_interval = std::max(u.peak_interval, u.in_interval);
}

void SummaryCollector::on_budget_settled(models::Time now, std::uint32_t group_index,
                                         std::size_t budget, std::int64_t amount) {
  if (GroupAccumulator* g = group(group_index); g && budget < models::kBudgetCount)
    use(g->budgets[budget], now, amount);
}

void SummaryCollector::on_attempt_outcome(models::Time now, const models::Request& r,
                                          const models::AttemptDecision& d) {
  const models::AttemptResult& result = d.result;
  GroupAccumulator* workspace = d.workspace_group == models::kNoGroup ? nullptr : group(d.workspace_group);
  if (workspace)
    for (std::size_t b = 0; b < models::kBudgetCount; ++b)
      if (d.debited[b] != 0) use(workspace->budgets[b], now, d.debited[b]);
  if (GroupAccumulator* org = group(d.group)) {
    for (std::size_t b = 0; b < models::kBudgetCount; ++b)
      if (d.debited[b] != 0) use(org->budgets[b], now, d.debited[b]);
    // A workspace's refusal is its caps' (a group of their own); acceleration and never-fitting
    // requests stay with the organization's group.
    GroupAccumulator* g = result.scope == models::Scope::kWorkspace && workspace ? workspace : org;
    if (result.outcome == models::AttemptOutcome::k429 && measured(r)) {
      const auto minute = static_cast<std::size_t>((now - kernel::kTimeZero) / std::chrono::minutes(1));
      auto count_minute = [minute](std::vector<std::uint32_t>& v) {
        if (v.size() <= minute) v.resize(minute + 1, 0);
        ++v[minute];
      };
      if (result.cause == models::LimitCause::kAcceleration) {
        ++g->r429_acceleration;
        g->first_acceleration = std::min(g->first_acceleration, now);
        count_minute(g->acceleration_per_minute);
      } else if (result.cause < models::LimitCause::kAcceleration) {
        BudgetUse& u = g->budgets[static_cast<std::size_t>(result.cause)];
        ++u.r429;
        u.first_429 = std::min(u.first_429, now);
        count_minute(g->r429_per_minute[static_cast<std::size_t>(result.cause)]);
      }
      if (result.never_fits && r.attempts == 1) ++org->never_fits;
    }
  }
  if (!measured(r)) return;
  const models::Charge* charge = d.billed ? &d.charge : nullptr;
  both(r, [&](Accumulator& a) {
    switch (result.outcome) {
      case models::AttemptOutcome::kOk:
        ++a.s.attempts_ok;
        a.s.input_tokens += r.input_tokens;
        a.s.cache_write_tokens += r.cache_write_tokens;
        a.s.cache_read_tokens += r.cache_read_tokens;
        a.s.output_tokens += r.output_tokens;
        if (charge) {
          a.s.cost_input += charge->input;
          a.s.cost_cache_write += charge->cache_write;
          a.s.cost_cache_read += charge->cache_read;
          a.s.cost_output += charge->output;
        }
        break;
      case models::AttemptOutcome::k429:
        if (result.cause < models::LimitCause::kNone)
          ++a.s.r429[models::refusal_index(result.scope, result.cause)];
        // A never-fitting request is counted once, at its first attempt.
        if (result.never_fits && r.attempts == 1) ++a.s.never_fits;
        break;
      case models::AttemptOutcome::k529:
        ++a.s.r529;
        break;
      case models::AttemptOutcome::kTimeout:
        ++a.s.attempt_timeouts;
        break;
    }
  });
}

void SummaryCollector::on_request_done(models::Time now, const models::Request& r,
                                       models::RequestOutcome outcome) {
  if (!measured(r)) return;
  both(r, [&](Accumulator& a) {
    ++a.s.outcomes[static_cast<std::size_t>(outcome)];
    if (outcome == models::RequestOutcome::kUnfinished) return;
    a.last_done = std::max(a.last_done, now);
    if (outcome != models::RequestOutcome::kOk) return;
    a.latency.add(kernel::to_seconds(now - r.arrival));
    const std::int64_t index = interval_of(now);
    if (index != a.interval_index) {
      a.interval_index = index;
      a.interval_ok = 0;
    }
    a.peak_interval_ok = std::max(a.peak_interval_ok, ++a.interval_ok);
  });
}

WorkloadSummary SummaryCollector::finish(const Accumulator& a) const {
  WorkloadSummary s = a.s;
  s.amplification = s.arrived ? static_cast<double>(s.attempts) / s.arrived : 0.0;
  s.latency = stats(a.latency);
  s.queue_wait = stats(a.queue_wait);
  if (a.first_arrival != kernel::kNever && a.last_done > a.first_arrival)
    s.makespan_s = kernel::to_seconds(a.last_done - a.first_arrival);
  const std::uint64_t ok = s.requests(models::RequestOutcome::kOk);
  s.throughput_mean = s.makespan_s > 0 ? ok / s.makespan_s : 0.0;
  s.throughput_peak = a.peak_interval_ok / kernel::to_seconds(interval_);
  return s;
}

Summary SummaryCollector::summary() const {
  Summary out;
  out.total = finish(total_);
  if (per_workload_.size() == 1) {
    out.workloads.push_back(out.total);
    out.workloads.back().name = per_workload_[0].s.name;
  } else {
    for (const Accumulator& a : per_workload_) out.workloads.push_back(finish(a));
  }
  // Budget use is averaged over the time the work ran — from the first measured arrival to the
  // last completion, or to the horizon when work was left unfinished — so that a job's mean use
  // does not depend on how much idle horizon follows it.
  out.warmup_s = kernel::to_seconds(measured_from_ - kernel::kTimeZero);
  out.requests_left_out = left_out_;
  const models::Time horizon = kernel::kTimeZero + horizon_;
  models::Time from = measured_from_, to = measured_from_;
  if (total_.first_arrival != kernel::kNever) {
    from = std::max(from, total_.first_arrival);
    to = total_.s.requests(models::RequestOutcome::kUnfinished) > 0 ? horizon : std::max(from, total_.last_done);
  }
  out.measured_from_s = kernel::to_seconds(from - kernel::kTimeZero);
  out.measured_to_s = kernel::to_seconds(to - kernel::kTimeZero);
  const double minutes = kernel::to_seconds(to - from) / 60.0;
  const double interval_minutes = kernel::to_seconds(interval_) / 60.0;
  for (const GroupAccumulator& g : groups_) {
    GroupSummary gs{.name = g.info.name,
                    .workspace = g.info.workspace,
                    .budgets = {},
                    .r429_acceleration = g.r429_acceleration,
                    .first_acceleration_s = g.first_acceleration == kernel::kNever
                                                ? -1
                                                : kernel::to_seconds(g.first_acceleration),
                    .never_fits = g.never_fits,
                    .acceleration_per_minute = g.acceleration_per_minute,
                    .r429_per_minute = g.r429_per_minute};
    for (std::size_t b = 0; b < models::kBudgetCount; ++b) {
      const std::int64_t limit = g.info.limits[b];
      if (limit == 0) continue;
      const BudgetUse& u = g.budgets[b];
      const auto lim = static_cast<double>(limit);
      const double mean = minutes > 0 ? static_cast<double>(u.total) / (lim * minutes) : 0;
      gs.budgets.push_back(BudgetSummary{
          .name = budget_name(b),
          .limit = limit,
          .mean_util = mean,
          // Refill over the window supplies at most the limit per minute; use beyond it came
          // from what the bucket held when the window opened (full, at the start of a run).
          .start_share = mean > 1 ? 1 - 1 / mean : 0,
          .peak_util = static_cast<double>(u.peak_interval) / (lim * interval_minutes),
          .first_429_s = u.first_429 == kernel::kNever ? -1 : kernel::to_seconds(u.first_429),
          .r429 = u.r429});
    }
    out.groups.push_back(std::move(gs));
  }
  return out;
}

}  // namespace ratesim::metrics
