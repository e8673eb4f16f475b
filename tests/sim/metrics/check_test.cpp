// check's rules, apart from where the numbers come from, and how their outcomes read.
#include "sim/metrics/check.hpp"

#include <catch2/catch.hpp>
#include <map>

#include "sim/report/check_report.hpp"

using namespace ratesim;
using metrics::CheckOutcome;
using metrics::Estimate;

TEST_CASE("a bound passes inside and fails outside or without a value", "[check]") {
  const std::map<std::string, Estimate> runs{{"total.requests.ok", {90, 90, 90}}, {"total.latency_s.p99", {31, 31, 31}}};
  const metrics::Lookup value = [&](const std::string& p) -> std::optional<Estimate> {
    const auto it = runs.find(p);
    return it == runs.end() ? std::nullopt : std::optional<Estimate>(it->second);
  };
  const auto out = metrics::check_bounds({{"total.requests.ok", 80, 100}, {"total.latency_s.p99", std::nullopt, 30},
                                          {"total.cost_usd.per_ok_request", std::nullopt, 1}},
                                         value);
  REQUIRE(out.size() == 3);
  CHECK(out[0].passed());
  CHECK(report::check_bound(out[0]) == "in [80, 100]");
  CHECK(out[1].failure == CheckOutcome::Failure::kAboveMax);
  CHECK(report::check_failure(out[1]) == "31 is above the maximum 30");
  CHECK(out[2].failure == CheckOutcome::Failure::kNoValue);
}

TEST_CASE("a baseline check fails only when the whole interval is worse than the tolerance allows", "[check]") {
  // Baseline p99 latency 10 s and ok 100, 10% tolerance: latency may reach 11, ok may drop to 90.
  const std::map<std::string, double> base{{"total.latency_s.p99", 10}, {"total.requests.ok", 100}};
  std::map<std::string, Estimate> runs{{"total.latency_s.p99", {12, 10.9, 13.1}}, {"total.requests.ok", {85, 80, 90}}};
  const metrics::Lookup value = [&](const std::string& p) -> std::optional<Estimate> {
    const auto it = runs.find(p);
    return it == runs.end() ? std::nullopt : std::optional<Estimate>(it->second);
  };
  const metrics::BaselineLookup baseline = [&](const std::string& p) -> std::optional<double> {
    const auto it = base.find(p);
    return it == base.end() ? std::nullopt : std::optional<double>(it->second);
  };
  const auto tolerance = [](const std::string&) { return 0.1; };
  // Both intervals reach back within the allowance: 10.9 <= 11 and 90 >= 90.
  auto out = metrics::check_baseline({"total"}, value, baseline, tolerance);
  REQUIRE(out.size() == 2);  // only the metrics both sides have
  CHECK(out[0].metric == "total.requests.ok");
  CHECK(out[0].passed());
  CHECK(out[1].passed());
  CHECK(report::check_bound(out[1]) == "<= 11 (baseline 10, 10%)");
  // Now all of the latency interval is above 11, and all of ok below 90.
  runs["total.latency_s.p99"] = {12, 11.5, 12.5};
  runs["total.requests.ok"] = {85, 80, 89};
  out = metrics::check_baseline({"total"}, value, baseline, tolerance);
  CHECK(out[0].failure == CheckOutcome::Failure::kWorse);
  CHECK(report::check_failure(out[0]) == "85 is lower than the baseline 100 allows (-15.0%)");
  CHECK(out[1].failure == CheckOutcome::Failure::kWorse);
  CHECK(report::check_failure(out[1]) == "12 is higher than the baseline 10 allows (+20.0%)");
}
