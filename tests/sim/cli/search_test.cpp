// ratesim search against answers known by hand.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>

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

TEST_CASE("search notes when its answer leans on the bucket being full at the start", "[search]") {
  // The knee with a one-minute bucket (600 requests): over the hour evenly spaced arrivals at λ
  // find a token every time while 3,600 λ <= 600 + 10 × 3,600, so the answer is 10 + 1/6. At it,
  // 600 of the 36,600 admitted came from the starting bucket: 1.64%, and the rate that holds for
  // good is (10 + 1/6) × (1 − 600/36,600) = 10.
  auto s = spec("workloads.w.traffic.0.rate", 1, 100, false, true, "total.attempts.r429.total == 0");
  s.precision = 0.00001;  // of the range: within 0.001 of the knee
  const auto r = run_search(s, maker(with(with(kKnee, "RATE", "1"), "burst: 1s", "burst: 60s"), s.path, false), 2, false);
  REQUIRE(r.answer);
  const auto& a = r.evaluations[*r.answer];
  CHECK(a.value <= 10 + 1.0 / 6);
  CHECK(a.value >= 10 + 1.0 / 6 - 0.0015);  // the bisection's step, then six significant digits
  CHECK(a.start_budget == "m's rpm");
  // Mean use is over the time the work ran, from the first arrival at 1/λ to the horizon (the
  // last request is still in service): ⌊3,600 λ⌋ admitted against 10 a second for 3,600 − 1/λ s.
  const double lambda = a.value;
  const double mean = std::floor(3600 * lambda) / (10 * (3600 - 1 / lambda));
  CHECK(a.start_share == Approx(1 - 1 / mean).epsilon(1e-6));
  CHECK(a.start_share == Approx(600.0 / 36600).epsilon(0.01));
  // With the one-second bucket the starting content, 10, is 0.03% of the hour's use: no note.
  const auto knee = run_search(s, maker(with(kKnee, "RATE", "1"), s.path, false), 2, false);
  REQUIRE(knee.answer);
  CHECK(knee.evaluations[*knee.answer].start_share < 0.0005);
}

TEST_CASE("the search table prints the full-bucket note with the rate that holds for good", "[search][cli]") {
  // The case above through the command: 1.6% from the starting bucket, about 10 for good.
  const auto file = std::filesystem::temp_directory_path() / ("ratesim-knee-" + std::to_string(::getpid()) + ".yaml");
  std::ofstream(file) << with(with(kKnee, "RATE", "5"), "burst: 1s", "burst: 60s");
  const auto r = testing::run_ratesim("search " + file.string() +
                                      " --vary workloads.w.traffic.0.rate=1..100 --maximize --precision 0.0001"
                                      " --require 'total.attempts.r429.total == 0'");
  std::filesystem::remove(file);
  CHECK(r.code == 0);
  CHECK(r.out.find("note: at the answer, m's rpm bucket, full at the start, served 1.6% of that budget's use beyond "
                   "its refill.\nThe answer holds for this horizon; over a longer one it is lower, about 10 for a "
                   "rate that holds for good.") != std::string::npos);
}
