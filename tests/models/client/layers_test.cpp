// Client layers inside a running world: nesting order, semaphore bound, retry timing, deadlines.
#include <catch2/catch.hpp>

#include "test_support.hpp"

using namespace ratesim;
using namespace ratesim::testing;
using models::RequestOutcome;

namespace {

// Requests of 1,000 input tokens against an itpm of 100: none can ever pass, so every attempt
// gets an immediate 429 (no network delay) and only the client layers decide the timing.
std::string never_fits(const std::string& client, const std::string& extra = "") {
  return "name: t\nduration: 1h\n" + provider_yaml("{itpm: 100}") +
         "workloads:\n"
         "  - name: w\n"
         "    model: m\n"
         "    traffic: [{at: 0s, burst: 2}]\n"
         "    input_tokens: 1000\n"
         "    output_tokens: 10\n"
         "    max_tokens: 10\n" + extra +
         "    client: " + client + "\n";
}

const char* kRetry =
    "{retry: {backoff: constant, base: 5s, jitter: none, max_retries: 2, honor_retry_after: false}}";

}  // namespace

TEST_CASE("with [semaphore, retry] a sleeping retry keeps its slot", "[client]") {
  Recorder rec;
  run_with(scenario_from(never_fits(std::string("[{semaphore: {limit: 1}}, ") + kRetry + "]")), rec);
  // Request 0 holds the only slot through both retries; request 1 starts when 0 gives up.
  CHECK(rec.send_times(0) == std::vector<double>{0, 5, 10});
  CHECK(rec.send_times(1) == std::vector<double>{10, 15, 20});
}

TEST_CASE("with [retry, semaphore] each attempt queues for a slot again", "[client]") {
  Recorder rec;
  run_with(scenario_from(never_fits(std::string("[") + kRetry + ", {semaphore: {limit: 1}}]")), rec);
  // The slot is released after each attempt, so request 1 goes at once.
  CHECK(rec.send_times(0) == std::vector<double>{0, 5, 10});
  CHECK(rec.send_times(1) == std::vector<double>{0, 5, 10});
}

TEST_CASE("a request that exhausts its retries gives up", "[client]") {
  Recorder rec;
  run_with(scenario_from(never_fits(std::string("[") + kRetry + "]")), rec);
  REQUIRE(rec.done.size() == 2);
  for (const auto& d : rec.done) {
    CHECK(d.outcome == RequestOutcome::kGaveUp);
    CHECK(d.t == 10.0);
  }
  for (const auto& r : rec.results) CHECK(r.never_fits);
}

TEST_CASE("a deadline cancels a sleeping retry", "[client]") {
  Recorder rec;
  run_with(scenario_from(never_fits(
               "[{retry: {backoff: constant, base: 10s, jitter: none, max_retries: 5, "
               "honor_retry_after: false}}]",
               "    deadline: 15s\n")),
           rec);
  CHECK(rec.send_times(0) == std::vector<double>{0, 10});
  REQUIRE(rec.done.size() == 2);
  CHECK(rec.done[0].outcome == RequestOutcome::kTimedOut);
  CHECK(rec.done[0].t == 15.0);
}

TEST_CASE("a retry obeys retry-after when told to", "[client]") {
  Recorder rec;
  run_with(scenario_from(never_fits(
               "[{retry: {backoff: constant, base: 1s, jitter: none, max_retries: 1, "
               "honor_retry_after: true}}]")),
           rec);
  // A never-fitting request is told to come back after 60 s.
  CHECK(rec.send_times(0) == std::vector<double>{0, 60});
}

TEST_CASE("without client layers a request is sent once and never retried", "[client]") {
  const auto s = run_yaml(never_fits("[]"));
  CHECK(s.total.attempts == 2);
  CHECK(s.total.requests(RequestOutcome::kGaveUp) == 2);
  CHECK(s.total.never_fits == 2);
}

TEST_CASE("a semaphore never lets more than its limit through", "[client]") {
  const std::string yaml = "name: t\nduration: 10m\n" + provider_yaml("{rpm: 100000}") +
                           "workloads:\n"
                           "  - name: w\n"
                           "    model: m\n"
                           "    traffic: [{for: 5m, rate: 20/s}]\n"
                           "    input_tokens: 100\n"
                           "    output_tokens: 10\n"
                           "    max_tokens: 10\n"
                           "    client: [{semaphore: {limit: 7}}]\n";
  Recorder rec;
  run_with(scenario_from(yaml), rec);
  // Service takes 1 s and 20 arrive each second: the gate is always full, never over.
  CHECK(rec.max_in_flight == 7);
  const auto s = run_yaml(yaml);
  // Seven at a time, one second each, back to back from each slot's first arrival (in the
  // first second) to the 10-minute horizon: 599 or 600 completions per slot.
  CHECK(s.total.requests(RequestOutcome::kOk) >= 7 * 599);
  CHECK(s.total.requests(RequestOutcome::kOk) <= 7 * 600);
}

TEST_CASE("an attempt timeout ends the wait, retries, and the provider still bills the work", "[client]") {
  // Service takes 10 s; the client waits 3 s per attempt, then retries after 1 s: attempts at 0,
  // 4 and 8 s, each timed out 3 s later, so the request gives up at 11 s. The provider serves
  // all three (at 10, 14 and 18 s) and bills them.
  const std::string yaml =
      "name: t\nduration: 1m\nprovider:\n  models:\n    m:\n      limits: {rpm: 600}\n"
      "      price: {input: 1, output: 5}\n      latency: {ttft: 10s, output_tps: 1000000000}\n"
      "workloads:\n  - {name: w, model: m, backlog: {count: 1}, input_tokens: 1000, output_tokens: 100,"
      " max_tokens: 100, attempt_timeout: 3s, client: [{retry: {on: [timeout], backoff: constant, base: 1s,"
      " jitter: none, max_retries: 2, honor_retry_after: false}}]}\n";
  Recorder rec;
  run_with(scenario_from(yaml), rec);
  CHECK(rec.send_times(0) == std::vector<double>{0, 4, 8});
  REQUIRE(rec.done.size() == 1);
  CHECK(rec.done[0].outcome == RequestOutcome::kGaveUp);
  CHECK(rec.done[0].t == 11.0);
  const auto s = run_yaml(yaml);
  CHECK(s.total.attempt_timeouts == 3);
  CHECK(s.total.attempts_ok == 3);  // served and billed although nobody waited
  CHECK(s.total.cost_total() == Approx(3 * (1000 * 1e-6 + 100 * 5e-6)));
}
