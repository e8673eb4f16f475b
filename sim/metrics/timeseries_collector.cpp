#include "sim/metrics/timeseries_collector.hpp"

namespace ratesim::metrics {

TimeSeriesCollector::TimeSeriesCollector(std::vector<std::string> workload_names,
                                         models::Duration interval, models::Time horizon,
                                         Sink sink)
    : interval_(interval), horizon_(horizon), sink_(std::move(sink)) {
  for (std::string& n : workload_names) series_.push_back(Series{.name = std::move(n)});
  series_.push_back(Series{.name = "all"});
}

void TimeSeriesCollector::advance(models::Time now) {
  while (now >= interval_start_ + interval_ && interval_start_ + interval_ < horizon_) {
    emit();
    interval_start_ += interval_;
  }
}

void TimeSeriesCollector::emit() {
  for (Series& s : series_) {
    TimeSeriesRow& row = s.row;
    row.t_s = kernel::to_seconds(interval_start_);
    row.workload = &s.name;
    row.queued = s.active - row.in_flight;
    row.has_latency = s.latency.count() > 0;
    row.latency_p50_s = s.latency.quantile(0.50);
    row.latency_p99_s = s.latency.quantile(0.99);
    sink_(row);
    // Counters restart; gauges carry over.
    row = TimeSeriesRow{.in_flight = row.in_flight};
    s.latency.clear();
  }
}

void TimeSeriesCollector::on_arrival(models::Time now, const models::Request& r) {
  advance(now);
  both(r, [](Series& s) {
    ++s.row.arrivals;
    ++s.active;
  });
}

void TimeSeriesCollector::on_attempt_sent(models::Time now, const models::Request& r) {
  advance(now);
  both(r, [](Series& s) {
    ++s.row.attempts;
    ++s.row.in_flight;
  });
}

void TimeSeriesCollector::on_attempt_outcome(models::Time now, const models::Request& r,
                                             const models::AttemptDecision& d) {
  const models::AttemptResult& result = d.result;
  const models::Charge* charge = d.billed ? &d.charge : nullptr;
  advance(now);
  both(r, [&](Series& s) {
    switch (result.outcome) {
      case models::AttemptOutcome::kOk:
        s.row.input_tokens += r.prompt_tokens();
        s.row.output_tokens += r.output_tokens;
        if (charge) s.row.cost_usd += charge->total();
        break;
      case models::AttemptOutcome::k429:
        if (result.cause < models::LimitCause::kNone)
          ++s.row.r429[models::refusal_index(result.scope, result.cause)];
        break;
      case models::AttemptOutcome::k529:
        ++s.row.r529;
        break;
      case models::AttemptOutcome::kTimeout:
        break;
    }
  });
}

void TimeSeriesCollector::on_attempt_returned(models::Time now, const models::Request& r) {
  advance(now);
  both(r, [](Series& s) { --s.row.in_flight; });
}

void TimeSeriesCollector::on_request_done(models::Time now, const models::Request& r,
                                          models::RequestOutcome outcome) {
  if (ended_) return;  // unfinished requests at the horizon: the last row already shows them
  advance(now);
  both(r, [&](Series& s) {
    --s.active;
    switch (outcome) {
      case models::RequestOutcome::kOk:
        ++s.row.ok;
        s.latency.add(kernel::to_seconds(now - r.arrival));
        break;
      case models::RequestOutcome::kGaveUp: ++s.row.gave_up; break;
      case models::RequestOutcome::kTimedOut: ++s.row.timed_out; break;
      case models::RequestOutcome::kDropped: ++s.row.dropped; break;
      default: break;
    }
  });
}

void TimeSeriesCollector::on_horizon(models::Time now) {
  advance(now);
  if (interval_start_ < horizon_) emit();
  ended_ = true;
}

}  // namespace ratesim::metrics
