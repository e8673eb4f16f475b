// The wait queue the gating layers share: first in first out, skipping requests that ended while
// they waited — also when their slot already holds a newer request.
#include "models/client/wait_queue.hpp"

#include <catch2/catch.hpp>

#include "test_support.hpp"

using namespace ratesim;
using models::client::WaitQueue;

TEST_CASE("a wait queue hands out waiting requests in order and skips those that ended", "[client]") {
  testing::FakeHost host;
  WaitQueue q;
  for (models::client::Slot s = 0; s < 4; ++s) q.push(s, host.arrive(s));
  host.requests[1].finished = true;  // its deadline passed while it waited
  host.arrive(2);                    // request 2 ended and its slot was reused: the entry is stale
  CHECK(q.size() == 4);
  CHECK(q.pop(host) == 0u);
  CHECK(q.pop(host) == 3u);
  CHECK_FALSE(q.pop(host).has_value());
  CHECK(q.empty());
}

TEST_CASE("drop_ended clears only the ended entries at the front", "[client]") {
  testing::FakeHost host;
  WaitQueue q;
  for (models::client::Slot s = 0; s < 3; ++s) q.push(s, host.arrive(s));
  host.requests[0].finished = true;
  host.requests[2].finished = true;  // behind a live one: stays until it reaches the front
  q.drop_ended(host);
  REQUIRE_FALSE(q.empty());
  CHECK(q.front() == 1u);
  CHECK(q.size() == 2);
  q.pop_front();
  q.drop_ended(host);
  CHECK(q.empty());
}
