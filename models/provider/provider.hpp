// The simulated provider: decides each attempt at the moment it arrives, and knows how long an
// admitted attempt takes and what it costs.
//
// Decision order: the monthly spend limit (429 `spend`, no retry-after), overload (529, no
// budget used), budgets (the group's limiters; 429 blamed on the longest wait), acceleration
// (429 `acceleration`), admission (budgets debited, service time drawn, charge computed and
// added to the month's spend). Each refusal carries the x-should-retry header the config gives.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "models/observer.hpp"
#include "models/provider/acceleration_model.hpp"
#include "models/provider/latency_model.hpp"
#include "models/provider/limit_group.hpp"
#include "models/provider/overload_model.hpp"
#include "models/provider/prompt_cache.hpp"
#include "models/provider/provider_config.hpp"

namespace ratesim::models::provider {

struct Decision {
  AttemptDecision attempt;
  Duration service{0};              ///< admitted: time to the last output token
  std::uint64_t otpm_ticket = 0;    ///< admitted: names the otpm debit for the settlement
  std::int64_t settle_output = 0;   ///< admitted: output tokens to settle at completion
};

class Provider {
 public:
  /// REQUIRES: every model's group names an entry of config.groups.
  Provider(const ProviderConfig& config, std::uint64_t seed);
  ~Provider();

  /// Gives workload `workload` a cache space of `keys` prefixes living `ttl` past their last use.
  void add_cache(std::uint16_t workload, Duration ttl, std::uint32_t keys);

  /// Decides the attempt of `r` reaching the provider at `now`. Splits its prompt into uncached,
  /// cache-write and cache-read tokens first (r's token fields describe this attempt after).
  /// When `headers` is given, fills it with the response's rate-limit headers (ok and 429).
  Decision decide(Time now, Request& r, RateLimitHeaders* headers = nullptr);
  /// A batch request processed at `now`: splits its prompt against the cache and returns its
  /// charge at the batch discount. Uses no Messages budget.
  Charge batch_charge(Time now, Request& r);
  /// Draws a batch request's processing time.
  Duration batch_processing_time();
  std::uint64_t batch_queue_limit() const { return config_.batch_queue_limit; }

  /// An admitted attempt's work is done: settles its output tokens (a refund of the unused
  /// reservation, or the actual output as produced). Returns the signed change in usage.
  std::int64_t complete(Time now, std::uint32_t group, std::uint64_t otpm_ticket,
                        std::int64_t settle_output);

  /// USD charged so far in the run (Messages and batch); with the spend limit's spent_usd it
  /// decides when the monthly limit is reached.
  double spent() const { return spent_; }
  /// Whether the monthly spend limit has been reached.
  bool spend_exhausted() const;

  /// Index of the model named `name`, or -1.
  int model_index(const std::string& name) const;
  const Model& model(std::size_t i) const { return config_.models[i]; }
  std::uint32_t group_of(std::size_t model) const { return model_group_[model]; }
  std::size_t group_count() const { return groups_.size(); }
  LimitGroup& group(std::size_t i) { return groups_[i]; }
  const ProviderConfig& config() const { return config_; }
  Duration network_delay() const { return config_.network_delay; }

 private:
  static void fill_headers(Time now, LimitGroup& g, RateLimitHeaders* headers);
  /// Sets r's uncached / cache-write / cache-read tokens; returns the cache space or -1.
  int split_prompt(Time now, Request& r) const;

  ProviderConfig config_;
  std::vector<LimitGroup> groups_;
  std::vector<std::unique_ptr<AccelerationModel>> acceleration_;  ///< per group; null when off
  std::vector<std::uint32_t> model_group_;
  std::vector<LatencyModel> latency_;
  OverloadModel overload_;
  PromptCache cache_;
  kernel::RandomStream batch_rng_;
  std::vector<int> workload_cache_;  ///< cache space of each workload, -1 for none
  double spent_ = 0;                 ///< USD charged in this run
};

}  // namespace ratesim::models::provider
