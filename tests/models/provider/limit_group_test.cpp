#include "models/provider/limit_group.hpp"

#include <catch2/catch.hpp>

using namespace ratesim;
using namespace ratesim::models;
using namespace ratesim::models::provider;
using namespace std::chrono_literals;
using kernel::kTimeZero;

namespace {
Group group(Limits l, Duration burst = 60s, LimiterKind kind = LimiterKind::kTokenBucket) {
  return Group{.name = "g", .limits = l, .limiter = kind, .burst = burst};
}
double used(LimitGroup& g, LimitCause b, kernel::Time t) {
  Limiter* l = g.budget(static_cast<std::size_t>(b));
  return 1.0 - l->remaining(t) / static_cast<double>(l->limit());
}
}  // namespace

TEST_CASE("an admitted attempt is debited from every budget", "[provider]") {
  LimitGroup g(group(Limits{.rpm = 60, .itpm = 6000, .otpm = 600}));
  const Costs c{1, 1000, 100};
  REQUIRE(g.check(kTimeZero, c).admitted);
  g.take(kTimeZero, c);
  CHECK(used(g, LimitCause::kRpm, kTimeZero) == Approx(1.0 / 60));
  CHECK(used(g, LimitCause::kItpm, kTimeZero) == Approx(1000.0 / 6000));
  CHECK(used(g, LimitCause::kOtpm, kTimeZero) == Approx(100.0 / 600));
}

TEST_CASE("a refused attempt debits nothing and blames the longest wait", "[provider]") {
  // itpm 60/min refills 1 token/s; otpm 600/min refills 10/s.
  LimitGroup g(group(Limits{.rpm = 600, .itpm = 60, .otpm = 600}));
  g.take(kTimeZero, Costs{1, 55, 595});
  // Needs 10 input tokens (5 left: wait 5 s) and 10 output tokens (5 left: wait 0.5 s).
  const Admission a = g.check(kTimeZero, Costs{1, 10, 10});
  REQUIRE_FALSE(a.admitted);
  CHECK(a.cause == LimitCause::kItpm);
  CHECK(a.wait == 5s);
  CHECK(retry_after_for(a.wait) == 5s);
  CHECK(used(g, LimitCause::kRpm, kTimeZero) == Approx(1.0 / 600));
}

TEST_CASE("equal waits are blamed on rpm, then itpm, then otpm", "[provider]") {
  LimitGroup g(group(Limits{.rpm = 60, .itpm = 60, .otpm = 60}, 1s));  // each holds 1, 1/s
  g.take(kTimeZero, Costs{1, 1, 1});
  CHECK(g.check(kTimeZero, Costs{1, 1, 1}).cause == LimitCause::kRpm);
  LimitGroup h(group(Limits{.itpm = 60, .otpm = 60}, 1s));
  h.take(kTimeZero, Costs{1, 1, 1});
  CHECK(h.check(kTimeZero, Costs{1, 1, 1}).cause == LimitCause::kItpm);
}

TEST_CASE("retry-after is the wait rounded up to whole seconds, at least one", "[provider]") {
  CHECK(retry_after_for(1us) == 1s);
  CHECK(retry_after_for(1s) == 1s);
  CHECK(retry_after_for(1001ms) == 2s);
  CHECK(retry_after_for(kernel::Duration::max()) == kNeverFitsRetryAfter);
}

TEST_CASE("a request larger than a whole bucket is flagged as never fitting", "[provider]") {
  LimitGroup g(group(Limits{.itpm = 1000}));
  const Admission a = g.check(kTimeZero, Costs{1, 1001, 0});
  CHECK_FALSE(a.admitted);
  CHECK(a.never_fits);
  CHECK(a.cause == LimitCause::kItpm);
}

TEST_CASE("refunded output tokens are usable at once", "[provider]") {
  LimitGroup g(group(Limits{.otpm = 1000}));
  g.take(kTimeZero, Costs{1, 0, 1000});
  REQUIRE_FALSE(g.check(kTimeZero + 1s, Costs{1, 0, 500}).admitted);
  g.budget(2)->give_back(kTimeZero + 1s, kTimeZero, 900);
  CHECK(g.check(kTimeZero + 1s, Costs{1, 0, 500}).admitted);
}

TEST_CASE("a rejected attempt takes a request from rpm only if it has room", "[provider]") {
  LimitGroup g(group(Limits{.rpm = 60, .itpm = 60}, 60s));
  g.take(kTimeZero, Costs{1, 60, 0});  // itpm empty, rpm 59 left
  REQUIRE_FALSE(g.check(kTimeZero, Costs{1, 10, 0}).admitted);
  CHECK(g.consume_rejected(kTimeZero));
  CHECK(g.budget(0)->remaining(kTimeZero) == Approx(58));
  LimitGroup h(group(Limits{.rpm = 60}, 1s));  // holds one request
  h.take(kTimeZero, Costs{1, 0, 0});
  CHECK_FALSE(h.consume_rejected(kTimeZero));
}
