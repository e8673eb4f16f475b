// The simulated provider: decides each attempt at the moment it arrives, and knows how long an
// admitted attempt takes and what it costs.
//
// Decision order per DESIGN §2.1: budgets (the group's limiters), then admission. Overload (529)
// and acceleration limits slot in before and after the budget check.
#pragma once

#include <string>
#include <vector>

#include "models/observer.hpp"
#include "models/provider/latency_model.hpp"
#include "models/provider/limit_group.hpp"
#include "models/provider/provider_config.hpp"

namespace ratesim::models::provider {

struct Decision {
  AttemptResult result;
  Duration service{0};              ///< admitted: time to the last output token
  Charge charge;                    ///< admitted: what it is billed
  std::uint32_t group = 0;          ///< the limit group the model draws on
  std::int64_t output_refund = 0;   ///< admitted: reserved output tokens to give back at completion
};

class Provider {
 public:
  /// REQUIRES: every model's group names an entry of config.groups.
  Provider(const ProviderConfig& config, std::uint64_t seed);

  /// Decides the attempt of `r` reaching the provider at `now`.
  Decision decide(Time now, const Request& r);
  /// The work of an admitted attempt is done: unused reservations go back to the group.
  void complete(Time now, std::uint32_t group, std::int64_t output_refund);

  /// Index of the model named `name`, or -1.
  int model_index(const std::string& name) const;
  const Model& model(std::size_t i) const { return config_.models[i]; }
  std::size_t group_count() const { return groups_.size(); }
  LimitGroup& group(std::size_t i) { return groups_[i]; }
  Duration network_delay() const { return config_.network_delay; }

 private:
  ProviderConfig config_;
  std::vector<LimitGroup> groups_;
  std::vector<std::uint32_t> model_group_;
  std::vector<LatencyModel> latency_;
};

}  // namespace ratesim::models::provider
