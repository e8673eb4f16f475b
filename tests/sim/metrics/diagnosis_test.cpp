// The diagnosis reads the run and its counterfactual: acceleration 429s that the budgets alone
// would have produced within a minute are budget problems; the rest are acceleration's own.
#include <catch2/catch.hpp>

#include "sim/cli/runner.hpp"
#include "sim/metrics/diagnosis.hpp"
#include "test_support.hpp"

using namespace ratesim;
using namespace ratesim::testing;
using models::LimitCause;

namespace {

// rpm 600 with a one-minute bucket (600 at once); the moderate profile lets 0.25 × 600 = 150
// requests into one minute from a standstill. N requests arrive at t = 0 and are never retried.
metrics::Summary backlog(int n) {
  return cli::run_scenario(scenario_from(
                               "name: d\nduration: 5m\nprovider:\n  acceleration: moderate\n  models:\n    m:\n"
                               "      limits: {rpm: 600}\n      price: {input: 1, output: 1}\n"
                               "      latency: {ttft: 1s, output_tps: 1000}\n"
                               "workloads:\n  - {name: w, model: m, backlog: {count: " +
                               std::to_string(n) + "}, input_tokens: 10, output_tokens: 1, max_tokens: 1}\n"))
      .summary;
}

}  // namespace

TEST_CASE("a run that acceleration refused carries the same run without it", "[diagnosis]") {
  const auto s = backlog(1000);
  // With acceleration: 150 admitted, 850 refused. Without: the bucket's 600 admitted, 400 rpm.
  CHECK(s.total.r429_of(LimitCause::kAcceleration) == 850);
  REQUIRE(s.without_acceleration);
  CHECK(s.without_acceleration->total.requests(models::RequestOutcome::kOk) == 600);
  CHECK(s.without_acceleration->total.r429_of(LimitCause::kRpm) == 400);
  CHECK(s.without_acceleration->total.r429_of(LimitCause::kAcceleration) == 0);
  CHECK_FALSE(s.without_acceleration->without_acceleration);
  // A run that acceleration did not touch has none.
  CHECK_FALSE(backlog(100).without_acceleration);
}

TEST_CASE("acceleration 429s the budgets would have produced are diagnosed as budget problems", "[diagnosis]") {
  // Minute 0: 850 acceleration 429s, against 400 rpm 429s without acceleration: 400 are
  // rpm-bound, 450 acceleration's own.
  const metrics::Diagnosis d = metrics::diagnose(backlog(1000));
  REQUIRE(d.causes.size() == 2);
  CHECK(d.causes[0].cause == "acceleration");
  CHECK(d.causes[0].bound_by == "");
  CHECK(d.causes[0].count == 450);
  CHECK(d.causes[0].cure.find("initial_load") != std::string::npos);
  CHECK(d.causes[1].cause == "acceleration");
  CHECK(d.causes[1].bound_by == "rpm");
  CHECK(d.causes[1].count == 400);
  CHECK(d.causes[1].cure.find("pace") != std::string::npos);
}

TEST_CASE("acceleration 429s the budgets would not have produced are acceleration's own", "[diagnosis]") {
  // 500 at once: 150 admitted, 350 refused; without acceleration all 500 fit in the bucket.
  const auto s = backlog(500);
  REQUIRE(s.without_acceleration);
  CHECK(s.without_acceleration->total.r429_total() == 0);
  const metrics::Diagnosis d = metrics::diagnose(s);
  REQUIRE(d.causes.size() == 1);
  CHECK(d.causes[0].bound_by == "");
  CHECK(d.causes[0].count == 350);
}

TEST_CASE("budget-bound refusals are matched minute by minute", "[diagnosis]") {
  // Acceleration 429s in minutes 0 and 3; without acceleration, budget 429s in minutes 1 and 9.
  metrics::GroupSummary with, without;
  with.acceleration_per_minute = {10, 0, 0, 7};
  without.r429_per_minute[1] = {0, 4, 0, 0, 0, 0, 0, 0, 0, 2};
  // Minute 0 matches minute 1's 4 (the minute after); minute 3 matches nothing.
  const auto [bound, budget] = metrics::budget_bound_acceleration(with, {&without});
  CHECK(bound == 4);
  CHECK(budget == "itpm");
}

TEST_CASE("a workspace's cap refusing the same traffic makes acceleration 429s budget-bound", "[diagnosis][workspace]") {
  // The organization's itpm refused 1 in minute 0; a workspace's itpm cap on the same group 6 in
  // minute 3: acceleration's 10 in minute 0 match 1 (minutes 0 and 1), its 7 in minute 3 match 6.
  // The cap refused most: it is what the acceleration 429s are bound by.
  metrics::GroupSummary with, org, cap;
  with.acceleration_per_minute = {10, 0, 0, 7};
  org.r429_per_minute[1] = {1};
  cap.workspace = "batch-team";
  cap.r429_per_minute[1] = {0, 0, 0, 6};
  const auto [bound, budget] = metrics::budget_bound_acceleration(with, {&org, &cap});
  CHECK(bound == 1 + 6);
  CHECK(budget == "itpm (workspace batch-team)");
}
