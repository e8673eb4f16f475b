#include "sim/report/timeseries_csv.hpp"

#include <fmt/compile.h>
#include <fmt/format.h>

#include <cstdint>

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

/// seconds(t) appended to `b`, without a string: a time of whole microseconds (every time the
/// simulation reports) is printed from its integer; anything else as seconds() does.
void append_seconds(fmt::memory_buffer& b, double t) {
  if (t >= 0 && t < 1e9) {
    const auto us = static_cast<std::int64_t>(t * 1e6 + 0.5);
    // Below 10^9 s a double is within 6e-8 of the microseconds it was made from, so {:.6f}
    // prints exactly those: the same digits as below.
    if (static_cast<double>(us) / 1e6 == t) {
      fmt::format_to(fmt::appender(b), FMT_COMPILE("{}"), us / 1'000'000);
      if (std::int64_t frac = us % 1'000'000; frac != 0) {
        char digits[7] = {'.', '0', '0', '0', '0', '0', '0'};
        for (int i = 6; i > 0; --i, frac /= 10) digits[i] = static_cast<char>('0' + frac % 10);
        int end = 7;
        while (digits[end - 1] == '0') --end;
        b.append(digits, digits + end);
      }
      return;
    }
  }
  const std::string s = seconds(t);
  b.append(s.data(), s.data() + s.size());
}
}  // namespace

const std::string& timeseries_header() {
  static const std::string header = [] {
    std::string h = "t_s,workload,arrivals,attempts,ok";
    for (std::size_t i = 0; i < models::kRefusalCount; ++i) h += ",r429_" + models::refusal_key(i);
    return h + ",r529,gave_up,timed_out,dropped,in_flight,queued,latency_p50_s,latency_p99_s,input_tokens,"
               "output_tokens,cost_usd";
  }();
  return header;
}

LimitsCsv::LimitsCsv(std::ostream& out) : out_(out) { out_ << kLimitsHeader << '\n'; }

void LimitsCsv::write(const metrics::LimitsRow& r) {
  const bool org = !r.workspace || r.workspace->empty();
  out_ << fmt::format("{},{},{}{},{},{:.6f},{}\n", seconds(r.t_s), *r.group, org ? "organization" : "workspace:",
                      org ? "" : *r.workspace, r.budget, r.used_frac, r.limit);
}

RequestsCsv::RequestsCsv(std::ostream& out) : out_(out) { out_ << kRequestsHeader << '\n'; }

void RequestsCsv::write(const metrics::RequestRow& r) {
  // A row per request, so this is the hot path of `run --requests`: the format strings are
  // compiled, times printed from their whole microseconds, and the row built in one buffer.
  fmt::memory_buffer b;
  const auto out = fmt::appender(b);
  fmt::format_to(out, FMT_COMPILE("{},{},{},"), r.id, *r.workload, *r.model);
  append_seconds(b, r.arrival_s);
  b.push_back(',');
  if (r.first_send_s >= 0) append_seconds(b, r.first_send_s);
  b.push_back(',');
  append_seconds(b, r.done_s);
  fmt::format_to(out, FMT_COMPILE(",{},{},{},{},{},{},{},{},{:.6f}\n"), models::name(r.outcome), r.attempts, r.r429,
                 r.r529, r.input_tokens, r.cache_write_tokens, r.cache_read_tokens, r.output_tokens, r.cost_usd);
  out_.write(b.data(), static_cast<std::streamsize>(b.size()));
}

TimeSeriesCsv::TimeSeriesCsv(std::ostream& out) : out_(out) { out_ << timeseries_header() << '\n'; }

void TimeSeriesCsv::write(const metrics::TimeSeriesRow& r) {
  fmt::memory_buffer b;
  auto it = std::back_inserter(b);
  const std::string t = seconds(r.t_s);
  fmt::format_to(it, "{},{},{},{},{},", t, *r.workload, r.arrivals, r.attempts, r.ok);
  for (const std::uint64_t n : r.r429) fmt::format_to(it, "{},", n);
  fmt::format_to(it, "{},{},{},{},{},{},", r.r529, r.gave_up, r.timed_out, r.dropped, r.in_flight, r.queued);
  // An interval with no successful request has no latency: the fields stay empty (NaN in pandas).
  if (r.has_latency) fmt::format_to(it, "{:.6f},{:.6f}", r.latency_p50_s, r.latency_p99_s);
  else fmt::format_to(it, ",");
  fmt::format_to(it, ",{},{},{:.6f}\n", r.input_tokens, r.output_tokens, r.cost_usd);
  out_.write(b.data(), static_cast<std::streamsize>(b.size()));
}

}  // namespace ratesim::report
