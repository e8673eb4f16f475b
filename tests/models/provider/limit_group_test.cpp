#include "models/provider/limit_group.hpp"

#include <catch2/catch.hpp>

using namespace ratesim;
using namespace ratesim::models;
using namespace ratesim::models::provider;
using namespace std::chrono_literals;
using kernel::kTimeZero;

TEST_CASE("an admitted attempt is debited from every budget", "[provider]") {
  LimitGroup g(Limits{.rpm = 60, .itpm = 6000, .otpm = 600}, 60s);
  const Admission a = g.admit(kTimeZero, Costs{.requests = 1, .input_tokens = 1000, .output_tokens = 100});
  REQUIRE(a.admitted);
  CHECK(g.budget(LimitCause::kRpm)->used_fraction(kTimeZero) == Approx(1.0 / 60));
  CHECK(g.budget(LimitCause::kItpm)->used_fraction(kTimeZero) == Approx(1000.0 / 6000));
  CHECK(g.budget(LimitCause::kOtpm)->used_fraction(kTimeZero) == Approx(100.0 / 600));
}

TEST_CASE("a refused attempt debits nothing and blames the longest wait", "[provider]") {
  // itpm 60/min refills 1 token/s; otpm 600/min refills 10/s.
  LimitGroup g(Limits{.rpm = 600, .itpm = 60, .otpm = 600}, 60s);
  REQUIRE(g.admit(kTimeZero, Costs{.input_tokens = 55, .output_tokens = 595}).admitted);
  // Needs 10 input tokens (5 left: wait 5 s) and 10 output tokens (5 left: wait 0.5 s).
  const Admission a = g.admit(kTimeZero, Costs{.input_tokens = 10, .output_tokens = 10});
  REQUIRE_FALSE(a.admitted);
  CHECK(a.cause == LimitCause::kItpm);
  CHECK(a.wait == 5s);
  CHECK(retry_after_for(a.wait) == 5s);
  CHECK(g.budget(LimitCause::kRpm)->used_fraction(kTimeZero) == Approx(1.0 / 600));
}

TEST_CASE("equal waits are blamed on rpm, then itpm, then otpm", "[provider]") {
  LimitGroup g(Limits{.rpm = 60, .itpm = 60, .otpm = 60}, 1s);  // each holds 1, refills 1/s
  REQUIRE(g.admit(kTimeZero, Costs{.requests = 1, .input_tokens = 1, .output_tokens = 1}).admitted);
  const Admission a = g.admit(kTimeZero, Costs{.requests = 1, .input_tokens = 1, .output_tokens = 1});
  CHECK(a.cause == LimitCause::kRpm);
  LimitGroup h(Limits{.itpm = 60, .otpm = 60}, 1s);
  REQUIRE(h.admit(kTimeZero, Costs{.input_tokens = 1, .output_tokens = 1}).admitted);
  CHECK(h.admit(kTimeZero, Costs{.input_tokens = 1, .output_tokens = 1}).cause == LimitCause::kItpm);
}

TEST_CASE("retry-after is the wait rounded up to whole seconds, at least one", "[provider]") {
  CHECK(retry_after_for(1us) == 1s);
  CHECK(retry_after_for(1s) == 1s);
  CHECK(retry_after_for(1001ms) == 2s);
  CHECK(retry_after_for(kernel::Duration::max()) == kNeverFitsRetryAfter);
}

TEST_CASE("a request larger than a whole bucket is flagged as never fitting", "[provider]") {
  LimitGroup g(Limits{.itpm = 1000}, 60s);
  const Admission a = g.admit(kTimeZero, Costs{.input_tokens = 1001});
  CHECK_FALSE(a.admitted);
  CHECK(a.never_fits);
  CHECK(a.cause == LimitCause::kItpm);
}

TEST_CASE("refunded output tokens are usable at once", "[provider]") {
  LimitGroup g(Limits{.otpm = 1000}, 60s);
  REQUIRE(g.admit(kTimeZero, Costs{.output_tokens = 1000}).admitted);
  REQUIRE_FALSE(g.admit(kTimeZero + 1s, Costs{.output_tokens = 500}).admitted);
  g.refund_output(kTimeZero + 1s, 900);
  CHECK(g.admit(kTimeZero + 1s, Costs{.output_tokens = 500}).admitted);
}
