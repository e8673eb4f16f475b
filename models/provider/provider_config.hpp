// The simulated provider as a scenario describes it: models, the limit groups they share,
// the limiter algorithm and the network between client and provider.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/kernel/distribution.hpp"
#include "sim/kernel/time.hpp"

namespace ratesim::models::provider {

using kernel::Distribution;
using kernel::Duration;

/// Per-minute budgets of a limit group. An absent budget never limits.
struct Limits {
  std::optional<std::int64_t> rpm;   ///< requests per minute
  std::optional<std::int64_t> itpm;  ///< input tokens per minute (uncached + cache writes)
  std::optional<std::int64_t> otpm;  ///< output tokens per minute
};

/// USD per million tokens.
struct Price {
  double input = 0;
  double output = 0;
};

struct Latency {
  Distribution ttft = Distribution::constant(0.5);  ///< seconds to the first token
  Distribution output_tps = Distribution::constant(100);  ///< output tokens per second
  std::optional<Distribution> prefill_tps;  ///< input tokens per second; absent: prefill is free
};

struct Model {
  std::string name;   ///< the API id, e.g. claude-haiku-4-5
  std::string group;  ///< the limit group whose budgets it draws on
  Price price;
  Latency latency;
};

struct Group {
  std::string name;
  Limits limits;
};

enum class LimiterKind { kTokenBucket };

struct ProviderConfig {
  LimiterKind limiter = LimiterKind::kTokenBucket;
  Duration burst = std::chrono::seconds(60);  ///< bucket capacity as time at the limit's rate
  std::vector<Model> models;
  std::vector<Group> groups;
  Duration network_delay{0};  ///< one way, client to provider and back
};

}  // namespace ratesim::models::provider
