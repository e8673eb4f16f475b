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
                                   .prefill_tps = Distribution::constant(10000)},
                       .cache = {.min_tokens = 1024}}},
      .groups = {Group{.name = "g", .limits = limits}}};
}
Request request(std::uint32_t prompt, std::uint32_t output, std::uint32_t max_tokens) {
  Request r;
  r.prompt = prompt;
  r.output_tokens = output;
  r.max_tokens = max_tokens;
  return r;
}
}  // namespace

TEST_CASE("service time is ttft + prefill + output / speed", "[provider]") {
  Provider p(one_model(Limits{.rpm = 100}), 1);
  Request r = request(5000, 200, 300);
  const Decision d = p.decide(kTimeZero, r);
  REQUIRE(d.attempt.result.outcome == AttemptOutcome::kOk);
  CHECK(d.service == 500ms + 500ms + 2s);
  CHECK(d.settle_output == 100);
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
  CHECK(charge_for(Price{.input = 3.0, .output = 15.0}, r, kCacheWrite1hMultiplier).cache_write ==
        Approx(6.0));
}

TEST_CASE("otpm is reserved at max_tokens and a 429 names the budget", "[provider]") {
  Provider p(one_model(Limits{.otpm = 1000}), 1);
  Request r = request(10, 100, 1000);
  const Decision first = p.decide(kTimeZero, r);
  REQUIRE(first.attempt.result.outcome == AttemptOutcome::kOk);
  const Decision refused = p.decide(kTimeZero + 1s, r);
  CHECK(refused.attempt.result.outcome == AttemptOutcome::k429);
  CHECK(refused.attempt.result.cause == LimitCause::kOtpm);
  // 1000 tokens refill at 1000/min: 1 s gave back 16.67, so 983.3 more are needed: 59 s.
  CHECK(refused.attempt.result.retry_after == 59s);
  // The first request finishes at 2 s having used 100: 900 come back, 933.3 are free.
  CHECK(p.complete(kTimeZero + 2s, first.settle_group, kTimeZero, first.settle_output) == -900);
  r.max_tokens = 934;
  CHECK(p.decide(kTimeZero + 2s, r).attempt.result.outcome == AttemptOutcome::k429);
  r.max_tokens = 933;
  CHECK(p.decide(kTimeZero + 2s, r).attempt.result.outcome == AttemptOutcome::kOk);
}

TEST_CASE("actual accounting needs one token of room and debits output at completion", "[provider]") {
  ProviderConfig c = one_model(Limits{.otpm = 600});  // 10 per second, holds 600
  c.otpm_accounting = OtpmAccounting::kActual;
  Provider p(c, 1);
  Request big = request(10, 900, 4096);  // max_tokens far above the whole budget: still admitted
  const Decision d = p.decide(kTimeZero, big);
  REQUIRE(d.attempt.result.outcome == AttemptOutcome::kOk);
  CHECK(d.settle_output == 900);
  CHECK(p.complete(kTimeZero + 10s, d.settle_group, kTimeZero, d.settle_output) == 900);
  // 600 − 900 = −300 at 10 s: blocked until 31 s (one token of room).
  Request small = request(10, 1, 1);
  CHECK(p.decide(kTimeZero + 10s, small).attempt.result.retry_after == 31s);
}

TEST_CASE("responses carry remaining and reset per budget", "[provider]") {
  Provider p(one_model(Limits{.rpm = 60, .itpm = 6000}), 1);
  Request r = request(1000, 10, 10);
  RateLimitHeaders h;
  p.decide(kTimeZero, r, &h);
  CHECK(h[0].limit == 60);
  CHECK(h[0].remaining == 59);
  CHECK(h[0].reset == 1s);
  CHECK(h[1].remaining == 5000);
  CHECK(h[1].reset == 10s);
  CHECK(h[2].limit == 0);  // no otpm budget
  // A 429 carries them too: five more requests of 1000 empty itpm, the sixth is refused.
  for (int i = 0; i < 5; ++i) p.decide(kTimeZero, r);
  REQUIRE(p.decide(kTimeZero, r, &h).attempt.result.outcome == AttemptOutcome::k429);
  CHECK(h[1].remaining == 0);
  CHECK(h[1].reset == 60s);
}

TEST_CASE("a cached prefix is written once, then read while it lives", "[provider]") {
  Provider p(one_model(Limits{.itpm = 100000}), 1);
  p.add_cache(0, 5min, 1);
  Request r = request(5000, 10, 10);
  r.cache_prefix = 4000;
  REQUIRE(p.decide(kTimeZero, r).attempt.billed);
  CHECK(r.input_tokens == 1000);
  CHECK(r.cache_write_tokens == 4000);
  const Decision read = p.decide(kTimeZero + 4min, r);
  CHECK(r.cache_read_tokens == 4000);
  CHECK(r.cache_write_tokens == 0);
  // Reads do not count toward itpm: only the 1000 uncached tokens were debited.
  CHECK(read.attempt.debited[1] == 1000);
  // The read at 4 min refreshed the entry until 9 min.
  p.decide(kTimeZero + 8min + 59s, r);
  CHECK(r.cache_read_tokens == 4000);
  p.decide(kTimeZero + 14min, r);
  CHECK(r.cache_write_tokens == 4000);
}

TEST_CASE("a prefix below the model's minimum is not cached", "[provider]") {
  Provider p(one_model(Limits{.itpm = 100000}), 1);
  p.add_cache(0, 5min, 1);
  Request r = request(5000, 10, 10);
  r.cache_prefix = 1000;  // the model's minimum is 1024
  p.decide(kTimeZero, r);
  CHECK(r.input_tokens == 5000);
  CHECK(r.cache_write_tokens == 0);
}

TEST_CASE("a tpm budget counts input plus max_tokens, or the larger of the two", "[provider]") {
  // tpm 6000 holds 6000 tokens at the start. Each request: 1000 input, max_tokens 500.
  for (const auto& [rule, passes] : {std::pair{TpmCost::kSum, 4}, std::pair{TpmCost::kMax, 6}}) {
    ProviderConfig c = one_model(Limits{.tpm = 6000});
    c.tpm_cost = rule;
    Provider p(c, 1);
    int admitted = 0;
    AttemptResult last;
    for (int i = 0; i < 10; ++i) {
      Request r = request(1000, 100, 500);
      last = p.decide(kTimeZero, r).attempt.result;
      admitted += last.outcome == AttemptOutcome::kOk;
    }
    CHECK(admitted == passes);  // 6000 / 1500 = 4, or 6000 / 1000 = 6
    CHECK(last.cause == LimitCause::kTpm);
  }
}

TEST_CASE("with rejected_consume a request refused for tokens still spends a request", "[provider]") {
  ProviderConfig c = one_model(Limits{.rpm = 10, .tpm = 1000});
  c.rejected_consume = true;
  Provider p(c, 1);
  Request r = request(1000, 1, 1);  // 1001 tokens: never fits a 1000-token budget
  for (int i = 0; i < 4; ++i) {
    const Decision d = p.decide(kTimeZero, r);
    CHECK(d.attempt.result.cause == LimitCause::kTpm);
    CHECK(d.attempt.debited[index(LimitCause::kRpm)] == 1);
  }
  CHECK(p.group(0).budget(LimitCause::kRpm)->remaining(kTimeZero) == 6);
}
