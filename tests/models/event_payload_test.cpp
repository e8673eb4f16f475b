// The world's event payloads survive packing into kernel::Event's two words.
#include "models/event_payload.hpp"

#include <catch2/catch.hpp>

using namespace ratesim;
using namespace ratesim::models;

namespace {
kernel::Event event_of(std::uint32_t a, std::uint64_t b) {
  kernel::Event e;
  e.a = a;
  e.b = b;
  return e;
}
}  // namespace

TEST_CASE("event payloads round-trip at the edges of their widths", "[models]") {
  const RequestRef r{0xffffffffu, 0xfffffffeu, 0x7u};
  const RequestRef r2 = RequestRef::of(event_of(r.a(), r.b()));
  CHECK(r2.slot == r.slot);
  CHECK(r2.generation == r.generation);
  CHECK(r2.number == r.number);

  const LayerTimerRef t{65535, 199, 0xffffffffu};
  const LayerTimerRef t2 = LayerTimerRef::of(event_of(t.a(), t.b()));
  CHECK(t2.workload == t.workload);
  CHECK(t2.layer == t.layer);
  CHECK(t2.token == t.token);

  const SettlementRef s{4'000'000'000u, (std::uint64_t{1} << 48) - 1, 65535};
  const SettlementRef s2 = SettlementRef::of(event_of(s.a(), s.b()));
  CHECK(s2.tokens == s.tokens);
  CHECK(s2.taken_at == s.taken_at);
  CHECK(s2.group == s.group);
}
