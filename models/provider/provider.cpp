#include "models/provider/provider.hpp"

#include <algorithm>
#include <cassert>

#include "models/provider/price.hpp"

namespace ratesim::models::provider {

Provider::Provider(const ProviderConfig& config, std::uint64_t seed) : config_(config) {
  groups_.reserve(config_.groups.size());
  for (const Group& g : config_.groups) groups_.emplace_back(g.limits, config_.burst);
  for (const Model& m : config_.models) {
    const auto it = std::find_if(config_.groups.begin(), config_.groups.end(),
                                 [&](const Group& g) { return g.name == m.group; });
    assert(it != config_.groups.end());
    model_group_.push_back(static_cast<std::uint32_t>(it - config_.groups.begin()));
    latency_.emplace_back(m.latency, kernel::RandomStream(seed, "provider.latency." + m.name));
  }
}

int Provider::model_index(const std::string& name) const {
  for (std::size_t i = 0; i < config_.models.size(); ++i)
    if (config_.models[i].name == name) return static_cast<int>(i);
  return -1;
}

Decision Provider::decide(Time now, const Request& r) {
  Decision d;
  d.group = model_group_[r.model];
  // Reserve accounting: max_tokens is held from admission until completion.
  const Costs costs{.requests = 1,
                    .input_tokens = r.input_tokens + r.cache_write_tokens,
                    .output_tokens = r.max_tokens};
  const Admission a = groups_[d.group].admit(now, costs);
  if (!a.admitted) {
    d.result = AttemptResult{.outcome = AttemptOutcome::k429,
                             .cause = a.cause,
                             .never_fits = a.never_fits,
                             .retry_after = retry_after_for(a.wait)};
    return d;
  }
  d.result = AttemptResult{.outcome = AttemptOutcome::kOk};
  d.service = latency_[r.model].service_time(r);
  d.charge = charge_for(config_.models[r.model].price, r);
  d.output_refund = static_cast<std::int64_t>(r.max_tokens) - r.output_tokens;
  return d;
}

void Provider::complete(Time now, std::uint32_t group, std::int64_t output_refund) {
  groups_[group].refund_output(now, output_refund);
}

}  // namespace ratesim::models::provider
