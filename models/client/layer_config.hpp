// Client strategy layers as a scenario describes them. A workload's client is a list of these,
// outermost first.
#pragma once

#include <chrono>
#include <cstdint>
#include <variant>
#include <vector>

#include "sim/kernel/time.hpp"

namespace ratesim::models::client {

using kernel::Duration;
using namespace std::chrono_literals;

/// At most `limit` requests inside the layer at once; the rest wait in FIFO order.
struct SemaphoreConfig {
  std::uint32_t limit = 1;
};

enum class Backoff {
  kConstant,      ///< base every time
  kExponential,   ///< min(cap, base · 2^k) before retry k (k = 0, 1, ...)
  kDecorrelated,  ///< min(cap, U(base, 3 · previous delay)), AWS "decorrelated jitter"
};

enum class Jitter {
  kNone,   ///< the delay as computed
  kFull,   ///< U(0, d)
  kEqual,  ///< d/2 + U(0, d/2)
  kSdk,    ///< d · (1 − 0.25 U): the Anthropic and OpenAI SDKs' jitter, which only shortens
};

enum class RetryAfterPolicy {
  kIgnore,   ///< always use the backoff
  kObey,     ///< wait exactly retry-after when the response has one
  kObeyUpTo, ///< wait exactly retry-after when it is at most `retry_after_max`, else the backoff
};

struct RetryConfig {
  bool on_429 = true;      ///< retry rate-limit errors
  bool on_529 = true;      ///< retry overload errors
  bool on_timeout = true;  ///< retry attempts that timed out
  std::uint32_t max_retries = 3;
  Backoff backoff = Backoff::kExponential;
  Duration base = 1s;
  Duration cap = 60s;
  Jitter jitter = Jitter::kFull;
  RetryAfterPolicy retry_after = RetryAfterPolicy::kObey;
  Duration retry_after_max = 60s;  ///< kObeyUpTo only
};

using LayerConfig = std::variant<SemaphoreConfig, RetryConfig>;

}  // namespace ratesim::models::client
