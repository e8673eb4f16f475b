#include <catch2/catch.hpp>

#include "models/provider/fixed_window.hpp"
#include "models/provider/sliding_window.hpp"

using namespace ratesim;
using namespace ratesim::models::provider;
using namespace std::chrono_literals;
using kernel::kTimeZero;

TEST_CASE("a sliding window counts exactly the last 60 seconds", "[provider]") {
  SlidingWindow w(10);
  w.take(kTimeZero + 0s, 4);
  w.take(kTimeZero + 20s, 3);
  w.take(kTimeZero + 40s, 3);
  // Full: 10 in the window. One more fits when the debit of 0 s leaves, at 60 s.
  CHECK(w.wait(kTimeZero + 50s, 1) == 10s);
  // Five more need the first two debits gone (4 + 3 ≥ 5): at 80 s.
  CHECK(w.wait(kTimeZero + 50s, 5) == 30s);
  CHECK(w.wait(kTimeZero + 60s, 4) == 0s);
  CHECK(w.remaining(kTimeZero + 60s) == 4);
  CHECK(w.wait(kTimeZero, 11) == kernel::Duration::max());
}

TEST_CASE("a sliding window refund applies to its own debit while it is in the window", "[provider]") {
  SlidingWindow w(100);
  w.take(kTimeZero, 80);
  w.take(kTimeZero + 30s, 10);
  w.give_back(kTimeZero + 31s, kTimeZero, 50);  // the first debit now counts 30
  CHECK(w.remaining(kTimeZero + 31s) == 60);
  // At 60 s the first debit leaves with what is left of it: 30.
  CHECK(w.remaining(kTimeZero + 60s) == 90);
  w.give_back(kTimeZero + 95s, kTimeZero, 10);  // long gone: ignored
  CHECK(w.remaining(kTimeZero + 95s) == 100);
}

TEST_CASE("a fixed window resets at each whole minute", "[provider]") {
  FixedWindow w(10);
  w.take(kTimeZero + 50s, 10);
  CHECK(w.wait(kTimeZero + 55s, 1) == 5s);
  // The classic boundary burst: 10 more pass right after the reset.
  CHECK(w.wait(kTimeZero + 60s, 10) == 0s);
  w.take(kTimeZero + 60s, 10);
  w.give_back(kTimeZero + 70s, kTimeZero + 60s, 4);
  CHECK(w.remaining(kTimeZero + 70s) == 4);
  CHECK(w.until_full(kTimeZero + 70s) == 50s);
}

TEST_CASE("a sliding window refund names its debit by time, across debits of one instant", "[provider]") {
  SlidingWindow w(100);
  w.take(kTimeZero, 30);
  w.take(kTimeZero, 30);  // two debits at the same instant
  w.take(kTimeZero + 10s, 20);
  // Refunds of 25 and 20 for the two debits at 0 s: 45 of their 60 come back, however split.
  w.give_back(kTimeZero + 5s, kTimeZero, 25);
  w.give_back(kTimeZero + 6s, kTimeZero, 20);
  CHECK(w.remaining(kTimeZero + 6s) == 100 - 15 - 20);
  // At 60 s both leave with what is left of them (15); the debit of 10 s stays until 70 s.
  CHECK(w.remaining(kTimeZero + 60s) == 80);
  CHECK(w.until_full(kTimeZero + 60s) == 10s);
  // A refund for an instant with no debit (or one that has left) changes nothing.
  w.give_back(kTimeZero + 61s, kTimeZero + 3s, 20);
  CHECK(w.remaining(kTimeZero + 61s) == 80);
}
