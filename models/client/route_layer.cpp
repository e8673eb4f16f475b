#include "models/client/route_layer.hpp"

#include <algorithm>

namespace ratesim::models::client {

RouteLayer::RouteLayer(const RouteConfig& config, LayerHost& host, std::size_t index,
                       kernel::RandomStream rng)
    : config_(config), host_(host), index_(index), rng_(rng) {
  double total = 0;
  for (const auto& [model, weight] : config_.weights) {
    total += weight;
    cumulative_.push_back(total);
  }
  for (double& c : cumulative_) c /= total;
}

void RouteLayer::enter(Slot s, Request& r) {
  const auto rule = std::find_if(config_.rules.begin(), config_.rules.end(),
                                 [&](const RouteConfig::Rule& x) { return r.prompt <= x.max_input_tokens; });
  if (rule != config_.rules.end()) {
    r.model = rule->model;
  } else if (!cumulative_.empty()) {
    const double u = rng_.uniform01();
    const auto i = static_cast<std::size_t>(
        std::upper_bound(cumulative_.begin(), cumulative_.end(), u) - cumulative_.begin());
    r.model = config_.weights[std::min(i, config_.weights.size() - 1)].first;
  }
  host_.pass_inward(s, index_);
}

Verdict RouteLayer::on_result(Slot s, Request& r) {
  if (r.last.outcome != AttemptOutcome::k429 || !config_.fallback || r.model == *config_.fallback)
    return Verdict::kPassOut;
  r.model = *config_.fallback;
  r.parked = true;
  host_.wake_at(host_.now(), s, index_);  // resend at once, through the layers after this one
  return Verdict::kKeep;
}

}  // namespace ratesim::models::client
