#include "sim/calibrate/log_summary.hpp"

#include <algorithm>

#include "sim/metrics/histogram.hpp"
#include "sim/metrics/summary_collector.hpp"

namespace ratesim::calibrate {

void MinuteSeries::resize(std::size_t n) {
  attempts.resize(n);
  ok.resize(n);
  r429.resize(n);
  r529.resize(n);
}

std::vector<LoggedRequest> logical_requests(const AttemptsLog& log) {
  std::vector<LoggedRequest> out;
  std::uint32_t ids = 0;
  for (const LoggedAttempt& a : log.attempts) ids = std::max(ids, a.request + 1);
  std::vector<std::uint32_t> slot(ids, UINT32_MAX);
  for (std::uint32_t i = 0; i < log.attempts.size(); ++i) {
    const LoggedAttempt& a = log.attempts[i];
    if (slot[a.request] == UINT32_MAX) {
      slot[a.request] = static_cast<std::uint32_t>(out.size());
      LoggedRequest r;
      r.arrival = a.time;
      if (!std::isnan(a.arrival) && a.arrival <= a.time) {
        r.arrival = a.arrival;
        r.queued = a.time - a.arrival;
      }
      r.model = a.model;
      r.workload = a.workload;
      out.push_back(std::move(r));
    }
    LoggedRequest& r = out[slot[a.request]];
    r.attempt_index.push_back(i);
    if (r.prompt < 0) r.prompt = a.prompt();
    if (r.max_tokens < 0) r.max_tokens = a.max_tokens;
    r.end = std::max(r.end, a.end());
    if (a.ok() && !r.ok) {
      r.ok = true;
      r.end = a.end();
      if (a.has_usage) {
        r.output = a.output_tokens;
        r.cached = a.cache_read_tokens + a.cache_write_tokens;
      }
    }
  }
  const auto by_arrival = [](const LoggedRequest& x, const LoggedRequest& y) { return x.arrival < y.arrival; };
  if (!std::is_sorted(out.begin(), out.end(), by_arrival)) std::stable_sort(out.begin(), out.end(), by_arrival);
  return out;
}

std::vector<models::LimitCause> named_causes(const AttemptsLog& log) {
  std::vector<models::LimitCause> out(log.attempts.size(), models::LimitCause::kNone);
  for (std::size_t i = 0; i < log.attempts.size(); ++i)
    if (log.attempts[i].status == 429) out[i] = log.attempts[i].named_cause;
  return out;
}

LogTotals log_totals(const AttemptsLog& log, const std::vector<LoggedRequest>& requests,
                     const std::vector<models::LimitCause>& causes) {
  LogTotals t;
  metrics::WorkloadSummary& s = t.total;
  s.name = "total";
  s.arrived = requests.size();
  t.minutes.resize(static_cast<std::size_t>(log.span() / 60) + 1);
  for (std::size_t i = 0; i < log.attempts.size(); ++i) {
    const LoggedAttempt& a = log.attempts[i];
    const auto minute = static_cast<std::size_t>(a.time / 60);
    ++s.attempts;
    ++t.minutes.attempts[minute];
    if (a.ok()) {
      ++s.attempts_ok;
      ++t.minutes.ok[minute];
      s.input_tokens += static_cast<std::uint64_t>(a.input_tokens);
      s.cache_write_tokens += static_cast<std::uint64_t>(a.cache_write_tokens);
      s.cache_read_tokens += static_cast<std::uint64_t>(a.cache_read_tokens);
      s.output_tokens += static_cast<std::uint64_t>(a.output_tokens);
    } else if (a.status == 429) {
      ++t.minutes.r429[minute];
      const models::LimitCause c = causes[i];
      if (c == models::LimitCause::kNone) ++t.r429_unknown;
      else ++s.r429[models::index(c)];
    } else if (a.status == 529) {
      ++s.r529;
      ++t.minutes.r529[minute];
    } else if (a.status == 0) {
      ++s.attempt_timeouts;
    }
  }
  metrics::Histogram latency;
  double first = 0, last = 0;
  std::uint64_t ok = 0;
  std::vector<std::uint64_t> ok_per_minute(t.minutes.attempts.size());
  for (const LoggedRequest& r : requests) {
    if (!r.ok) {
      ++s.outcomes[static_cast<std::size_t>(models::RequestOutcome::kGaveUp)];
      continue;
    }
    ++s.outcomes[static_cast<std::size_t>(models::RequestOutcome::kOk)];
    latency.add(r.end - r.arrival);
    if (ok++ == 0) first = r.arrival;
    first = std::min(first, r.arrival);
    last = std::max(last, r.end);
    const auto minute = std::min(ok_per_minute.size() - 1, static_cast<std::size_t>(r.end / 60));
    ++ok_per_minute[minute];
  }
  s.latency = metrics::stats(latency);
  s.amplification = s.arrived ? static_cast<double>(s.attempts) / static_cast<double>(s.arrived) : 0;
  s.makespan_s = ok ? last - first : 0;
  s.throughput_mean = s.makespan_s > 0 ? static_cast<double>(ok) / s.makespan_s : 0;
  s.throughput_peak = static_cast<double>(*std::max_element(ok_per_minute.begin(), ok_per_minute.end())) / 60.0;
  return t;
}

}  // namespace ratesim::calibrate
