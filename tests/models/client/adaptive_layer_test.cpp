#include "models/client/adaptive_layer.hpp"
#include "models/client/aws_rate_layer.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

using namespace ratesim;
using namespace ratesim::models;
using namespace ratesim::models::client;
using namespace std::chrono_literals;
using Algorithm = AdaptiveConfig::Algorithm;

namespace {

using ClockHost = ratesim::testing::FakeHost;

/// Sends `n` requests in at time 0 through `layer`.
void fill(AdaptiveLayer& layer, ClockHost& host, int n) {
  for (int i = 0; i < n; ++i) {
    host.requests[i].live = true;
    layer.enter(static_cast<Slot>(i), host.requests[i]);
  }
}

void result(AdaptiveLayer& layer, ClockHost& host, Slot s, AttemptOutcome o, kernel::Duration rtt) {
  host.requests[s].last_send = host.t - rtt;
  host.requests[s].last.outcome = o;
  layer.on_result(s, host.requests[s]);
}

}  // namespace

TEST_CASE("aimd adds one when busy and backs off by the ratio on a drop", "[client]") {
  ClockHost host;
  AdaptiveLayer layer({.algorithm = Algorithm::kAimd, .initial = 10, .min = 1, .max = 200}, host, 0,
                      kernel::RandomStream(1));
  fill(layer, host, 10);  // 10 in use of 10: busy
  result(layer, host, 0, AttemptOutcome::kOk, 1s);
  CHECK(layer.estimate() == 11);
  result(layer, host, 1, AttemptOutcome::k429, 1s);
  CHECK(layer.estimate() == Approx(9.9));
  CHECK(layer.limit() == 9);
}

TEST_CASE("aimd stays within its bounds", "[client]") {
  ClockHost host;
  AdaptiveLayer layer({.algorithm = Algorithm::kAimd}, host, 0, kernel::RandomStream(1));  // 20..200
  fill(layer, host, 20);
  for (Slot s = 0; s < 10; ++s) result(layer, host, s, AttemptOutcome::k429, 1s);
  CHECK(layer.estimate() == 20);
}

TEST_CASE("cubic returns to the window before the drop K seconds later", "[client]") {
  ClockHost host;
  AdaptiveLayer layer({.algorithm = Algorithm::kCubic, .initial = 100, .min = 1, .max = 1000}, host, 0,
                      kernel::RandomStream(1));
  fill(layer, host, 100);
  result(layer, host, 0, AttemptOutcome::k529, 1s);
  CHECK(layer.estimate() == Approx(70));  // × 0.7
  const double k = std::cbrt(100 * 0.3 / 0.4);  // ≈ 4.22 s
  host.t = kernel::kTimeZero + kernel::from_seconds(k);
  result(layer, host, 1, AttemptOutcome::kOk, 1s);
  CHECK(layer.estimate() == Approx(100).margin(1e-3));
  host.t = kernel::kTimeZero + kernel::from_seconds(k + 2);
  result(layer, host, 2, AttemptOutcome::kOk, 1s);
  CHECK(layer.estimate() == Approx(100 + 0.4 * 8));  // C · 2^3 past the plateau
}

TEST_CASE("vegas grows without queueing and shrinks when the RTT shows a queue", "[client]") {
  ClockHost host;
  AdaptiveLayer layer({.algorithm = Algorithm::kVegas, .initial = 20, .min = 1, .max = 1000,
                       .probe_multiplier = 1'000'000},
                      host, 0, kernel::RandomStream(1));
  fill(layer, host, 20);
  result(layer, host, 0, AttemptOutcome::kOk, 100ms);  // the first sample sets rtt_noload
  CHECK(layer.estimate() == 20);
  // RTT equal to the no-load RTT: queue 0 ≤ log10(20) = 1, so + 6·1.
  result(layer, host, 1, AttemptOutcome::kOk, 100ms);
  CHECK(layer.estimate() == 26);
  // Twice the no-load RTT: queue ⌈26 · 0.5⌉ = 13 > 6: − 1.
  fill(layer, host, 26);
  result(layer, host, 2, AttemptOutcome::kOk, 200ms);
  CHECK(layer.estimate() == 25);
}

TEST_CASE("gradient2 shrinks when the RTT rises above its long-term average", "[client]") {
  ClockHost host;
  AdaptiveLayer layer({.algorithm = Algorithm::kGradient2}, host, 0, kernel::RandomStream(1));
  fill(layer, host, 20);
  // Ten samples of 1 s set the long-term RTT; each, with the gradient 1, grows the limit by
  // smoothing × queue_size = 0.8 (limit · 0.8 + (limit + 4) · 0.2).
  for (Slot s = 0; s < 10; ++s) {
    result(layer, host, s, AttemptOutcome::kOk, 1s);
    fill(layer, host, 40);
  }
  const double before = layer.estimate();
  CHECK(before == Approx(20 + 10 * 0.8));
  // A sample of 2 s: long RTT ≈ 1.0033, gradient ≈ 0.5017.
  result(layer, host, 10, AttemptOutcome::kOk, 2s);
  const double lng = 1 + (2 - 1) * 2.0 / 601;
  const double next = before * (lng / 2) + 4;
  CHECK(layer.estimate() == Approx(before * 0.8 + next * 0.2));
}

TEST_CASE("AWS adaptive mode measures responses, keeps its tokens when it switches on, and follows CUBIC",
          "[client]") {
  ClockHost host;
  AwsRateLayer layer({}, host, 0, 0);
  // Sends do not move the measured rate (botocore measures in its needs-retry hook).
  for (int i = 0; i < 5; ++i) {
    host.requests[i].live = true;
    layer.enter(static_cast<Slot>(i), host.requests[i]);
  }
  CHECK(layer.measured_rate() == 0);
  // Ten successes at 0, 0.05, ..., 0.45 s fall in the first 0.5 s bucket. Until a rate is
  // measured, each caps the rate at 2 × 0 → the bucket fills at the 0.5/s floor, holding at most
  // one token: 0.45 s × 0.5/s = 0.225 tokens.
  for (int i = 0; i < 10; ++i) {
    host.t = kernel::kTimeZero + 50ms * i;
    host.requests[i].live = true;
    host.requests[i].last.outcome = AttemptOutcome::kOk;
    layer.on_result(static_cast<Slot>(i), host.requests[i]);
  }
  CHECK_FALSE(layer.enabled());
  CHECK(layer.tokens() == Approx(0.225));
  // A throttle at 0.5 s opens the second bucket: 11 responses / 0.5 s = 22/s, × 0.8 = 17.6/s
  // measured. W_max = 17.6, the rate 17.6 × 0.7 = 12.32/s; the 0.25 tokens earned are kept.
  host.t = kernel::kTimeZero + 500ms;
  host.requests[0].last.outcome = AttemptOutcome::k429;
  layer.on_result(0, host.requests[0]);
  CHECK(layer.enabled());
  CHECK(layer.measured_rate() == Approx(17.6));
  CHECK(layer.fill_rate() == Approx(12.32));
  CHECK(layer.tokens() == Approx(0.25));
  // K = (17.6 · 0.3 / 0.4)^(1/3) later the curve is back at W_max = 17.6, but the response rate
  // has fallen: one response over the 2 s since the last bucket, 0.5/s × 0.8 + 17.6 × 0.2 =
  // 3.92/s, and the rate may not exceed twice that: 7.84/s.
  const double k = std::cbrt(17.6 * 0.3 / 0.4);
  host.t = kernel::kTimeZero + 500ms + kernel::from_seconds(k);
  REQUIRE(kernel::to_seconds(host.t - kernel::kTimeZero) == Approx(2.863).margin(1e-3));
  host.requests[1].last.outcome = AttemptOutcome::kOk;
  layer.on_result(1, host.requests[1]);
  CHECK(layer.measured_rate() == Approx(3.92));
  CHECK(layer.fill_rate() == Approx(7.84));
}

TEST_CASE("AWS adaptive mode sends fewer doomed attempts than standard mode", "[client]") {
  auto run = [](const char* preset) {
    return testing::run_yaml(
        "name: a\nduration: 5m\n" + testing::provider_yaml("{rpm: 300}", "  burst: 1s\n") +
        "workloads:\n  - {name: w, model: m, arrivals: uniform, traffic: [{for: 5m, rate: 10/s}],"
        " input_tokens: 1, output_tokens: 1, max_tokens: 1, client: [{retry: {preset: " +
        std::string(preset) + "}}]}\n");
  };
  const auto standard = run("aws-standard");
  const auto adaptive = run("aws-adaptive");
  CHECK(adaptive.total.r429_total() < standard.total.r429_total() / 2);
}
