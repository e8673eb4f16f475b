#include "sim/metrics/check.hpp"

namespace ratesim::metrics {

const std::vector<WatchedMetric>& watched_metrics() {
  static const std::vector<WatchedMetric> kWatched{
      {"requests.ok", false},       {"requests.gave_up", true},       {"requests.timed_out", true},
      {"requests.dropped", true},   {"attempts.r429.total", true},    {"latency_s.p50", true},
      {"latency_s.p99", true},      {"cost_usd.total", true},         {"makespan_s", true},
      {"throughput_rps.mean", false},
  };
  return kWatched;
}

std::vector<CheckOutcome> check_bounds(const std::vector<Bound>& bounds, const Lookup& value) {
  std::vector<CheckOutcome> out;
  for (const Bound& b : bounds) {
    CheckOutcome o{.name = "expect " + b.metric, .metric = b.metric, .min = b.min, .max = b.max, .seconds = b.seconds,
                   .min_text = b.min_text, .max_text = b.max_text};
    const auto v = value(b.metric);
    if (!v) {
      o.failure = CheckOutcome::Failure::kNoValue;
      out.push_back(o);
      continue;
    }
    o.value = *v;
    if (b.min && v->mean < *b.min) o.failure = CheckOutcome::Failure::kBelowMin;
    if (b.max && v->mean > *b.max) o.failure = CheckOutcome::Failure::kAboveMax;
    out.push_back(o);
  }
  return out;
}

std::vector<CheckOutcome> check_baseline(const std::vector<std::string>& scopes, const Lookup& value,
                                         const BaselineLookup& baseline,
                                         const std::function<double(const std::string& path)>& tolerance) {
  std::vector<CheckOutcome> out;
  for (const std::string& scope : scopes) {
    for (const WatchedMetric& w : watched_metrics()) {
      const std::string path = scope + "." + w.tail;
      const auto base = baseline(path);
      const auto v = value(path);
      if (!base || !v) continue;  // absent in one of them (a new workload, a null latency)
      const double tol = tolerance(path);
      const double bound = w.lower_is_better ? *base * (1 + tol) : *base * (1 - tol);
      CheckOutcome o{.name = "baseline " + path, .metric = path, .value = *v, .baseline = *base, .tolerance = tol};
      if (w.lower_is_better) o.max = bound;
      else o.min = bound;
      // A regression only when even the favourable end of the interval is worse than allowed.
      const bool worse = w.lower_is_better ? v->low > bound + 1e-12 : v->high < bound - 1e-12;
      if (worse) o.failure = CheckOutcome::Failure::kWorse;
      out.push_back(o);
    }
  }
  return out;
}

}  // namespace ratesim::metrics
