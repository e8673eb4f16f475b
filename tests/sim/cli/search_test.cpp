// ratesim search against answers known by hand.
#include <catch2/catch.hpp>

#include <cmath>

#include "sim/cli/search.hpp"
#include "sim/cli/usage.hpp"
#include "test_support.hpp"

using namespace ratesim;
using namespace ratesim::cli;

namespace {

// rpm 600 with a one-second bucket: 10 tokens, refilled at 10 per second. Evenly spaced arrivals
// at λ per second find a token every time iff λ <= 10: above it the bucket loses 1 − 10/λ per
// arrival and is empty within the hour. The knee is exactly 10.
const std::string kKnee =
    "name: knee\nduration: 1h\nprovider:\n  burst: 1s\n  models:\n    m:\n      limits: {rpm: 600}\n"
    "      price: {input: 1, output: 1}\n      latency: {ttft: 1s, output_tps: 1000}\n"
    "workloads:\n  - {name: w, model: m, arrivals: uniform, traffic: [{for: 1h, rate: RATE}], input_tokens: 10,"
    " output_tokens: 1, max_tokens: 1}\n";

// 100 requests at once through W workers, 10 s each, nothing limiting: makespan = ⌈100 / W⌉ × 10 s.
const std::string kWorkers =
    "name: workers\nduration: 1h\nprovider:\n  models:\n    m:\n      limits: {rpm: 100000}\n"
    "      price: {input: 1, output: 1}\n      latency: {ttft: 10s, output_tps: 1000000000}\n"
    "workloads:\n  - {name: w, model: m, backlog: {count: 100}, input_tokens: 10, output_tokens: 1, max_tokens: 1,"
    " client: [{semaphore: {limit: WORKERS}}]}\n";

std::function<scenario::Scenario(double)> maker(const std::string& yaml, const std::string& path, bool integer) {
  return [=](double v) { return scenario::load_scenario_text(yaml, "t.yaml", {path + "=" + format_value(v, integer)}); };
}

SearchSpec spec(const std::string& path, double lo, double hi, bool integer, bool maximize, const std::string& req) {
  SearchSpec s{.path = path, .low = lo, .high = hi, .integer = integer, .maximize = maximize};
  s.requirements.push_back(parse_requirement(req));
  s.shown.push_back(s.requirements[0].metric);
  return s;
}

std::string with(std::string yaml, const std::string& key, const std::string& value) {
  return yaml.replace(yaml.find(key), key.size(), value);
}

}  // namespace

TEST_CASE("search finds a token bucket's rate knee exactly in whole numbers", "[search]") {
  const auto s = spec("workloads.w.traffic.0.rate", 1, 100, true, true, "total.attempts.r429.total == 0");
  const auto r = run_search(s, maker(with(kKnee, "RATE", "1"), s.path, true), 2, false);
  REQUIRE(r.answer);
  CHECK(r.evaluations[*r.answer].value == 10);
  REQUIRE(r.beyond);
  CHECK(r.evaluations[*r.beyond].value == 11);
  CHECK_FALSE(r.evaluations[*r.beyond].feasible);
  CHECK(r.non_monotone.empty());
}

TEST_CASE("search brackets a real knee to its precision", "[search]") {
  auto s = spec("workloads.w.traffic.0.rate", 1, 100, false, true, "total.attempts.r429.total == 0");
  s.precision = 0.005;
  const auto r = run_search(s, maker(with(kKnee, "RATE", "1"), s.path, false), 3, false);
  REQUIRE(r.answer);
  REQUIRE(r.beyond);
  const double answer = r.evaluations[*r.answer].value, beyond = r.evaluations[*r.beyond].value;
  CHECK(answer <= 10);
  CHECK(beyond > 10);
  CHECK(beyond - answer <= 0.005 * 99);
}

TEST_CASE("search finds the fewest workers for a backlog's makespan", "[search]") {
  // ⌈100 / W⌉ × 10 <= 60 needs ⌈100 / W⌉ <= 6: W = 17 (5.9 rounds up to 6); W = 16 needs 7 waves.
  const auto s = spec("workloads.w.client.semaphore.limit", 1, 100, true, false, "total.makespan_s <= 60s");
  const auto r = run_search(s, maker(with(kWorkers, "WORKERS", "1"), s.path, true), 1, false);
  REQUIRE(r.answer);
  CHECK(r.evaluations[*r.answer].value == 17);
  CHECK(r.evaluations[*r.answer].metrics[0].mean == 60);
  REQUIRE(r.beyond);
  CHECK(r.evaluations[*r.beyond].value == 16);
  CHECK(r.evaluations[*r.beyond].metrics[0].mean == 70);
}

TEST_CASE("search reports the same evaluations whatever the number of threads", "[search][determinism]") {
  const auto s = spec("workloads.w.traffic.0.rate", 1, 100, false, true, "total.attempts.r429.total == 0");
  const auto make = maker(with(kKnee, "RATE", "1"), s.path, false);
  const auto one = run_search(s, make, 1, false);
  for (const int jobs : {2, 3, 7}) {
    const auto many = run_search(s, make, jobs, false);
    REQUIRE(many.evaluations.size() == one.evaluations.size());
    for (std::size_t i = 0; i < one.evaluations.size(); ++i) {
      CHECK(many.evaluations[i].value == one.evaluations[i].value);
      CHECK(many.evaluations[i].feasible == one.evaluations[i].feasible);
    }
  }
}

TEST_CASE("search says when no value qualifies, and when feasibility is not monotone", "[search]") {
  const auto none = spec("workloads.w.client.semaphore.limit", 1, 100, true, false, "total.makespan_s <= 5s");
  CHECK_FALSE(run_search(none, maker(with(kWorkers, "WORKERS", "1"), none.path, true), 1, false).answer);
  // Makespan exactly 20 s holds for W in [50, 99] only: the grid sees 51 and 75 meet it, 100 not.
  const auto s = spec("workloads.w.client.semaphore.limit", 1, 100, true, false, "total.makespan_s == 20s");
  const auto r = run_search(s, maker(with(kWorkers, "WORKERS", "1"), s.path, true), 1, false);
  REQUIRE(r.answer);
  CHECK(r.evaluations[*r.answer].value == 50);
  REQUIRE(r.non_monotone.size() == 1);
  CHECK(r.non_monotone[0] == "workloads.w.client.semaphore.limit = 100 fails while "
                             "workloads.w.client.semaphore.limit = 51 meets the requirements");
}

TEST_CASE("requirements read METRIC OP VALUE and hold by their whole interval", "[search]") {
  const auto r = parse_requirement("workloads.chat.latency_s.p99 < 30s");
  CHECK(r.metric == "workloads.chat.latency_s.p99");
  CHECK(r.op == Requirement::Op::kLt);
  CHECK(r.value == 30);
  CHECK(parse_requirement("total.requests.gave_up<=0").op == Requirement::Op::kLe);
  CHECK(parse_requirement("total.makespan_s >= 2m").value == 120);
  CHECK_THROWS_AS(parse_requirement("total.requests.ok = 5"), UsageError);
  CHECK_THROWS_AS(parse_requirement("total.latency_s.p99 <= 3x"), UsageError);
  // With replications the interval decides: [8, 12] is not <= 10 although its mean is.
  const Requirement le{.metric = "m", .op = Requirement::Op::kLe, .value = 10};
  CHECK_FALSE(holds(le, metrics::Estimate{.mean = 10, .low = 8, .high = 12}));
  CHECK(holds(le, metrics::Estimate{.mean = 9, .low = 8, .high = 10}));
  const Requirement ge{.metric = "m", .op = Requirement::Op::kGe, .value = 10};
  CHECK(holds(ge, metrics::Estimate{.mean = 11, .low = 10, .high = 12}));
  CHECK_FALSE(holds(ge, metrics::Estimate{.mean = std::nan(""), .low = std::nan(""), .high = std::nan("")}));
}
