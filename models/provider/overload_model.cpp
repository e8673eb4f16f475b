#include "models/provider/overload_model.hpp"

#include <algorithm>

namespace ratesim::models::provider {

OverloadModel::OverloadModel(Overload config, kernel::RandomStream rng)
    : config_(std::move(config)), rng_(rng) {}

double OverloadModel::probability(kernel::Time now) const {
  double p = config_.rate;
  for (const Incident& i : config_.incidents) {
    const kernel::Time start = kernel::kTimeZero + i.at;
    if (now >= start && now < start + i.length) p += i.rate;
  }
  return std::min(p, 1.0);
}

bool OverloadModel::overloaded(kernel::Time now) {
  const double p = probability(now);
  return p > 0 && rng_.uniform01() < p;
}

}  // namespace ratesim::models::provider
