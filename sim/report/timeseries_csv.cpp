#include "sim/report/timeseries_csv.hpp"

#include <fmt/format.h>

#include <iterator>
#include <string>

namespace ratesim::report {

namespace {
/// Interval starts are whole microseconds: fixed notation, trailing zeros trimmed.
std::string seconds(double t) {
  std::string s = fmt::format("{:.6f}", t);
  s.erase(s.find_last_not_of('0') + 1);
  if (s.back() == '.') s.pop_back();
  return s;
}
}  // namespace

LimitsCsv::LimitsCsv(std::ostream& out) : out_(out) { out_ << kLimitsHeader << '\n'; }

void LimitsCsv::write(const metrics::LimitsRow& r) {
  out_ << fmt::format("{},{},{},{:.6f},{}\n", seconds(r.t_s), *r.group, r.budget, r.used_frac, r.limit);
}

RequestsCsv::RequestsCsv(std::ostream& out) : out_(out) { out_ << kRequestsHeader << '\n'; }

void RequestsCsv::write(const metrics::RequestRow& r) {
  fmt::memory_buffer b;
  auto it = std::back_inserter(b);
  fmt::format_to(it, "{},{},{},{},", r.id, *r.workload, *r.model, seconds(r.arrival_s));
  if (r.first_send_s >= 0) fmt::format_to(it, "{}", seconds(r.first_send_s));
  fmt::format_to(it, ",{},{},{},{},{},{},{},{},{},{:.6f}\n", seconds(r.done_s), models::name(r.outcome),
                 r.attempts, r.r429, r.r529, r.input_tokens, r.cache_write_tokens, r.cache_read_tokens,
                 r.output_tokens, r.cost_usd);
  out_.write(b.data(), static_cast<std::streamsize>(b.size()));
}

TimeSeriesCsv::TimeSeriesCsv(std::ostream& out) : out_(out) { out_ << kTimeSeriesHeader << '\n'; }

void TimeSeriesCsv::write(const metrics::TimeSeriesRow& r) {
  fmt::memory_buffer b;
  auto it = std::back_inserter(b);
  const std::string t = seconds(r.t_s);
  fmt::format_to(it, "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},", t, *r.workload,
                 r.arrivals, r.attempts, r.ok, r.r429[0], r.r429[1], r.r429[2], r.r429[4], r.r529,
                 r.gave_up, r.timed_out, r.dropped, r.in_flight, r.queued);
  // An interval with no successful request has no latency: the fields stay empty (NaN in pandas).
  if (r.has_latency) fmt::format_to(it, "{:.6f},{:.6f}", r.latency_p50_s, r.latency_p99_s);
  else fmt::format_to(it, ",");
  fmt::format_to(it, ",{},{},{:.6f},{},{}\n", r.input_tokens, r.output_tokens, r.cost_usd, r.r429[3],
                 r.r429[5]);
  out_.write(b.data(), static_cast<std::streamsize>(b.size()));
}

}  // namespace ratesim::report
