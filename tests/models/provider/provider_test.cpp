#include "models/provider/provider.hpp"

#include <catch2/catch.hpp>

#include "models/provider/price.hpp"

using namespace ratesim;
using namespace ratesim::models;
using namespace ratesim::models::provider;
using namespace std::chrono_literals;
using kernel::Distribution;
using kernel::kTimeZero;

namespace {
ProviderConfig one_model(Limits limits) {
  return ProviderConfig{
      .models = {Model{.name = "m",
                       .group = "g",
                       .price = {.input = 1.0, .output = 5.0},
                       .latency = {.ttft = Distribution::constant(0.5),
                                   .output_tps = Distribution::constant(100),
                                   .prefill_tps = Distribution::constant(10000)}}},
      .groups = {Group{.name = "g", .limits = limits}}};
}
}  // namespace

TEST_CASE("service time is ttft + prefill + output / speed", "[provider]") {
  Provider p(one_model(Limits{.rpm = 100}), 1);
  Request r;
  r.input_tokens = 5000;
  r.output_tokens = 200;
  r.max_tokens = 300;
  const Decision d = p.decide(kTimeZero, r);
  REQUIRE(d.result.outcome == AttemptOutcome::kOk);
  CHECK(d.service == 500ms + 500ms + 2s);
  CHECK(d.output_refund == 100);
}

TEST_CASE("a successful attempt is billed per million tokens", "[provider]") {
  Request r;
  r.input_tokens = 2'000'000;
  r.cache_write_tokens = 1'000'000;
  r.cache_read_tokens = 1'000'000;
  r.output_tokens = 100'000;
  const Charge c = charge_for(Price{.input = 3.0, .output = 15.0}, r);
  CHECK(c.input == Approx(6.0));
  CHECK(c.cache_write == Approx(3.75));
  CHECK(c.cache_read == Approx(0.3));
  CHECK(c.output == Approx(1.5));
  CHECK(c.total() == Approx(11.55));
}

TEST_CASE("otpm is reserved at max_tokens and a 429 names the budget", "[provider]") {
  Provider p(one_model(Limits{.otpm = 1000}), 1);
  Request r;
  r.input_tokens = 10;
  r.output_tokens = 100;
  r.max_tokens = 1000;
  REQUIRE(p.decide(kTimeZero, r).result.outcome == AttemptOutcome::kOk);
  const Decision refused = p.decide(kTimeZero + 1s, r);
  CHECK(refused.result.outcome == AttemptOutcome::k429);
  CHECK(refused.result.cause == LimitCause::kOtpm);
  // 1000 tokens refill at 1000/min: 1 s gave back 16.67, so 983.3 more are needed: 59 s.
  CHECK(refused.result.retry_after == 59s);
  // The first request finishes at 2 s having used 100: 900 come back, 933.3 are free.
  p.complete(kTimeZero + 2s, 0, 900);
  r.max_tokens = 934;
  CHECK(p.decide(kTimeZero + 2s, r).result.outcome == AttemptOutcome::k429);
  r.max_tokens = 933;
  CHECK(p.decide(kTimeZero + 2s, r).result.outcome == AttemptOutcome::kOk);
}
