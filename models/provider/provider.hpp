// The simulated provider: decides each attempt at the moment it arrives, and knows how long an
// admitted attempt takes and what it costs.
//
// Decision order: the monthly spend limit (429 `spend`, no retry-after), overload (529, no
// budget used), budgets (the group's limiters and, when the request's workload is in a
// workspace that caps the group, the workspace's; 429 blamed on the longest wait), acceleration
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
  std::int64_t settle_output = 0;   ///< admitted: output tokens to settle at completion
  /// admitted: the group complete() settles (the workspace's caps when there are, which settle
  /// the organization's group with them)
  std::uint32_t settle_group = 0;
};

class Provider {
 public:
  /// REQUIRES: every model's group names an entry of config.groups.
  Provider(const ProviderConfig& config, std::uint64_t seed);
  ~Provider();

  /// Puts workload `workload` in workspace `workspace` (an index of config.workspaces): its
  /// requests must also fit that workspace's caps.
  void set_workspace(std::uint16_t workload, std::size_t workspace);

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
  /// reservation taken at `taken_at`, or the actual output as produced) in `group` and, when
  /// that is a workspace's caps, in the organization's group under them. Returns the signed
  /// change in usage.
  std::int64_t complete(Time now, std::uint32_t group, Time taken_at, std::int64_t settle_output);

  /// USD charged so far in the run (Messages and batch); with the spend limit's spent_usd it
  /// decides when the monthly limit is reached.
  double spent() const { return spent_; }
  /// Whether the monthly spend limit has been reached.
  bool spend_exhausted() const;
  /// When the monthly spend limit was reached: the time of the charge that reached it, the start
  /// when spent_usd alone reaches it, kernel::kNever when it was not reached (or there is none).
  kernel::Time spend_limit_reached_at() const;

  /// Index of the model named `name`, or -1.
  int model_index(const std::string& name) const;
  const Model& model(std::size_t i) const { return config_.models[i]; }
  std::uint32_t group_of(std::size_t model) const { return model_group_[model]; }
  /// Limit groups: the organization's (config.groups, in order), then each workspace's caps.
  std::size_t group_count() const { return groups_.size(); }
  LimitGroup& group(std::size_t i) { return groups_[i]; }
  const std::string& group_name(std::size_t i) const { return config_.groups[parent_[i]].name; }
  /// The organization's group a group caps (itself for the organization's own).
  std::uint32_t group_parent(std::size_t i) const { return parent_[i]; }
  /// The workspace whose caps group `i` holds; empty for the organization's groups.
  const std::string& group_workspace(std::size_t i) const;
  /// The workspace caps on `group` that requests of workload `workload` must also fit, or kNoGroup.
  std::uint32_t workspace_group(std::uint16_t workload, std::uint32_t group) const;
  const ProviderConfig& config() const { return config_; }
  Duration network_delay() const { return config_.network_delay; }

 private:
  void fill_headers(Time now, std::uint32_t group, std::uint32_t workspace_group,
                    RateLimitHeaders* headers);
  /// Sets r's uncached / cache-write / cache-read tokens; returns the cache space or -1.
  int split_prompt(Time now, Request& r) const;
  /// Adds a charge of `usd` made at `now` to the run's spend.
  void add_spend(Time now, double usd);

  ProviderConfig config_;
  std::vector<LimitGroup> groups_;
  std::vector<std::uint32_t> parent_;     ///< per group: the organization's group it caps
  std::vector<int> group_workspace_;      ///< per group: index of its workspace, -1 for none
  /// per workspace, per organization group: the group holding that workspace's caps, or kNoGroup
  std::vector<std::vector<std::uint32_t>> workspace_groups_;
  std::vector<int> workload_workspace_;   ///< per workload: its workspace, -1 for none
  std::vector<std::unique_ptr<AccelerationModel>> acceleration_;  ///< per group; null when off
  std::vector<std::uint32_t> model_group_;
  std::vector<LatencyModel> latency_;
  OverloadModel overload_;
  PromptCache cache_;
  kernel::RandomStream batch_rng_;
  std::vector<int> workload_cache_;  ///< cache space of each workload, -1 for none
  double spent_ = 0;                 ///< USD charged in this run
  Time spend_reached_ = kernel::kNever;  ///< when spent_ made the spend limit reached
};

}  // namespace ratesim::models::provider
