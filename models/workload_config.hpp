// A workload: a stream of requests of one shape, sent to one model through one client stack.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "models/client/layer_config.hpp"
#include "models/traffic/traffic_config.hpp"
#include "sim/kernel/distribution.hpp"

namespace ratesim::models {

/// A cached prompt prefix shared by a workload's requests (a system prompt, a document).
struct CacheConfig {
  enum class Choice { kUniform, kZipf };
  std::uint32_t prefix_tokens = 0;  ///< the first tokens of every prompt that may be cached
  kernel::Duration ttl = std::chrono::minutes(5);  ///< 5 minutes or 1 hour
  std::uint32_t keys = 1;           ///< how many distinct prefixes
  Choice choice = Choice::kUniform; ///< how a request picks its prefix
  double zipf_s = 1.0;              ///< Zipf exponent: P(key k) ∝ 1 / k^s
};
inline constexpr Named<CacheConfig::Choice> kCacheChoices[] = {{"uniform", CacheConfig::Choice::kUniform},
                                                              {"zipf", CacheConfig::Choice::kZipf}};

/// How a batch workload submits to the Message Batches API.
struct BatchConfig {
  std::uint64_t size = 10'000;  ///< a batch is submitted once this many requests are pending...
  kernel::Duration every = std::chrono::minutes(5);  ///< ...or this long after the oldest arrived
};

struct WorkloadConfig {
  enum class Kind {
    kOpen,     ///< arrivals follow `traffic` whatever the provider does
    kBacklog,  ///< `backlog.count` requests ready at once
    kUsers,    ///< a closed loop of `users.count` users
    kTrace,    ///< recorded requests replayed
  };

  std::string name;
  std::string model;  ///< a model of the provider
  std::string workspace;  ///< the workspace it runs in ("" for none): its caps apply too
  Kind kind = Kind::kOpen;
  traffic::OpenTraffic traffic;  ///< kOpen
  traffic::Backlog backlog;      ///< kBacklog
  traffic::Users users;          ///< kUsers
  traffic::Trace trace;          ///< kTrace
  kernel::Distribution input_tokens = kernel::Distribution::constant(1000);  ///< whole prompt
  kernel::Distribution output_tokens = kernel::Distribution::constant(200);  ///< before clipping
  kernel::Distribution max_tokens = kernel::Distribution::constant(1024);
  std::optional<CacheConfig> cache;          ///< a cached prompt prefix
  std::optional<BatchConfig> batch;          ///< set: sent through the Batch API, not Messages
  std::optional<kernel::Duration> deadline;  ///< abandon requests not done this long after arrival
  /// End an attempt with no response this long after it was sent (outcome timeout); the
  /// provider still finishes, bills and uses budget for it.
  std::optional<kernel::Duration> attempt_timeout;
  std::vector<client::LayerConfig> client;   ///< outermost first; empty: send once, never retry
};

}  // namespace ratesim::models
