// Validation against queueing theory. A semaphore of c slots in front of a provider with no
// binding limits and exponential service times (ttft exponential, output instant, no network
// delay) is an M/M/c queue when arrivals are Poisson:
//   - with an unbounded FIFO queue, the mean wait before service is Erlang C's;
//   - with no queue (max_queue: 0), the share of requests shed is Erlang B's;
// and a closed loop of N users with think time Z obeys the interactive response-time law
// R = N / X − Z (X: throughput, R: mean response time).
#include <catch2/catch.hpp>
#include <cmath>

#include "test_support.hpp"

using namespace ratesim;
using namespace ratesim::testing;
using models::RequestOutcome;

namespace {

/// Erlang B blocking probability for c servers and offered load a (by recursion).
double erlang_b(int c, double a) {
  double b = 1.0;
  for (int k = 1; k <= c; ++k) b = a * b / (k + a * b);
  return b;
}

/// Erlang C: probability of waiting, for c servers and offered load a < c.
double erlang_c(int c, double a) {
  const double b = erlang_b(c, a);
  return c * b / (c - a * (1 - b));
}

std::string mmc(const std::string& duration, const std::string& workload) {
  return "name: q\nseed: 17\nduration: " + duration +
         "\nprovider:\n  models:\n    m:\n      limits: {rpm: 1000000000}\n"
         "      price: {input: 1, output: 1}\n"
         "      latency: {ttft: {exponential: {mean: 1s}}, output_tps: 1000000000}\n"
         "workloads:\n" + workload;
}

}  // namespace

TEST_CASE("the Erlang formulas match known values", "[validation]") {
  CHECK(erlang_b(1, 1.0) == Approx(0.5));
  CHECK(erlang_b(4, 3.0) == Approx(0.2061).margin(1e-4));
  CHECK(erlang_c(1, 0.5) == Approx(0.5));  // M/M/1: P(wait) = ρ
}

TEST_CASE("a semaphore with a FIFO queue reproduces Erlang C's mean wait", "[validation]") {
  // c = 4, μ = 1/s, λ = 3/s: a = 3, ρ = 0.75. W_q = C(4, 3) / (cμ − λ) ≈ 0.509 s.
  const auto s = run_yaml(mmc("30h", "  - {name: w, model: m, traffic: [{for: 30h, rate: 3/s}],"
                                     " input_tokens: 1, output_tokens: 1, max_tokens: 1,"
                                     " client: [{semaphore: {limit: 4}}]}\n"));
  const double expected = erlang_c(4, 3.0) / (4 * 1.0 - 3.0);
  INFO("mean wait " << s.total.queue_wait.mean << " s, Erlang C " << expected << " s");
  // About 324,000 requests; successive waits are strongly correlated at ρ = 0.75, so the
  // tolerance is 5% rather than a naive standard error.
  CHECK(s.total.queue_wait.mean == Approx(expected).epsilon(0.05));
  // The mean time in the system adds one mean service time.
  CHECK(s.total.latency.mean == Approx(expected + 1.0).epsilon(0.03));
}

TEST_CASE("a semaphore that sheds reproduces Erlang B's blocking", "[validation]") {
  // c = 4, a = 3, no waiting room: B(4, 3) ≈ 0.206 of requests are dropped.
  const auto s = run_yaml(mmc("20h", "  - {name: w, model: m, traffic: [{for: 20h, rate: 3/s}],"
                                     " input_tokens: 1, output_tokens: 1, max_tokens: 1,"
                                     " client: [{semaphore: {limit: 4, max_queue: 0}}]}\n"));
  const double dropped = static_cast<double>(s.total.requests(RequestOutcome::kDropped));
  const double n = static_cast<double>(s.total.arrived);
  const double b = erlang_b(4, 3.0);
  INFO("dropped share " << dropped / n << ", Erlang B " << b);
  CHECK(std::abs(dropped / n - b) < 5 * std::sqrt(b * (1 - b) / n) + 0.002);
  CHECK(s.total.queue_wait.max == 0.0);  // nobody waits: admitted at once or shed
}

TEST_CASE("a closed loop of users follows the interactive response-time law", "[validation]") {
  // 10 users thinking 5 s on average, sharing 2 slots of 1 s mean service.
  const auto s = run_yaml(mmc("20h", "  - {name: w, model: m, users: {count: 10, think: {exponential: {mean: 5s}}},"
                                     " input_tokens: 1, output_tokens: 1, max_tokens: 1,"
                                     " client: [{semaphore: {limit: 2}}]}\n"));
  const double x = s.total.requests(RequestOutcome::kOk) / (20 * 3600.0);
  const double r = s.total.latency.mean;
  INFO("X " << x << "/s, R " << r << " s, N/X - Z " << 10 / x - 5);
  CHECK(r == Approx(10 / x - 5).epsilon(0.02));
  // The loop never has more than N requests: at most 10 in the system.
  CHECK(s.total.requests(RequestOutcome::kUnfinished) <= 10);
}
