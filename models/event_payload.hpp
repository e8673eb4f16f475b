// What the world's events carry in kernel::Event's two payload words (a: 32 bits, b: 64 bits),
// packed and unpacked here and nowhere else.
#pragma once

#include <cassert>
#include <cstdint>

#include "models/client/layer.hpp"
#include "sim/kernel/event_queue.hpp"

namespace ratesim::models {

static_assert(sizeof(kernel::Event::a) == 4 && sizeof(kernel::Event::b) == 8,
              "the payloads below pack into a 32-bit and a 64-bit word");
static_assert(sizeof(client::Slot) == 4, "a request slot fills the 32-bit word");

/// An event about one request: its slot; the generation the slot had (slots are reused, and an
/// event for an earlier occupant must be told apart); and a number, the attempt the event is
/// about or the layer to wake the request from.
struct RequestRef {
  client::Slot slot = 0;
  std::uint32_t generation = 0;
  std::uint32_t number = 0;

  std::uint32_t a() const { return slot; }
  std::uint64_t b() const { return std::uint64_t{generation} << 32 | number; }
  static RequestRef of(const kernel::Event& e) {
    return {e.a, static_cast<std::uint32_t>(e.b >> 32), static_cast<std::uint32_t>(e.b)};
  }
};

/// A client layer's timer: the workload, the layer's place in its stack, the layer's own token.
struct LayerTimerRef {
  std::uint16_t workload = 0;
  std::uint32_t layer = 0;
  std::uint32_t token = 0;

  std::uint32_t a() const { return workload; }
  std::uint64_t b() const { return std::uint64_t{layer} << 32 | token; }
  static LayerTimerRef of(const kernel::Event& e) {
    return {static_cast<std::uint16_t>(e.a), static_cast<std::uint32_t>(e.b >> 32), static_cast<std::uint32_t>(e.b)};
  }
};

/// Output tokens to settle when the provider finishes an attempt: how many, when their OTPM
/// debit was taken (microseconds from time zero, 48 bits: almost nine years) and the limit group
/// (16 bits).
struct SettlementRef {
  std::uint32_t tokens = 0;
  std::uint64_t taken_at = 0;
  std::uint16_t group = 0;

  std::uint32_t a() const { return tokens; }
  std::uint64_t b() const {
    assert(taken_at < (std::uint64_t{1} << 48));
    return taken_at << 16 | group;
  }
  static SettlementRef of(const kernel::Event& e) {
    return {e.a, e.b >> 16, static_cast<std::uint16_t>(e.b & 0xffff)};
  }
};

}  // namespace ratesim::models
