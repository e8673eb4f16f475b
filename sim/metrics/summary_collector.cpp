#include "sim/metrics/summary_collector.hpp"

#include <algorithm>

namespace ratesim::metrics {
namespace {

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

}  // namespace

SummaryCollector::SummaryCollector(std::vector<std::string> workload_names,
                                   models::Duration interval)
    : interval_(interval) {
  for (std::string& n : workload_names) {
    per_workload_.emplace_back();
    per_workload_.back().s.name = std::move(n);
  }
  total_.s.name = "total";
}

void SummaryCollector::on_arrival(models::Time now, const models::Request& r) {
  both(r, [&](Accumulator& a) {
    ++a.s.arrived;
    a.first_arrival = std::min(a.first_arrival, now);
  });
}

void SummaryCollector::on_attempt_sent(models::Time now, const models::Request& r) {
  both(r, [&](Accumulator& a) {
    ++a.s.attempts;
    if (r.attempts == 1) a.queue_wait.add(kernel::to_seconds(now - r.arrival));
  });
}

void SummaryCollector::on_attempt_decided(models::Time, const models::Request& r,
                                          const models::AttemptDecision& d) {
  const models::AttemptResult& result = d.result;
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
          ++a.s.r429[static_cast<std::size_t>(result.cause)];
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
  both(r, [&](Accumulator& a) {
    ++a.s.outcomes[static_cast<std::size_t>(outcome)];
    if (outcome == models::RequestOutcome::kUnfinished) return;
    a.last_done = std::max(a.last_done, now);
    if (outcome != models::RequestOutcome::kOk) return;
    a.latency.add(kernel::to_seconds(now - r.arrival));
    const std::int64_t index = (now - kernel::kTimeZero) / interval_;
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
  for (const Accumulator& a : per_workload_) out.workloads.push_back(finish(a));
  return out;
}

}  // namespace ratesim::metrics
