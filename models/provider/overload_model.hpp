// Platform overload: each attempt gets a 529 with probability p(t) = base rate + the rates of
// the incidents active at t (at most 1), whatever the client's own traffic. It uses no budget.
#pragma once

#include "models/provider/provider_config.hpp"
#include "sim/kernel/random_stream.hpp"

namespace ratesim::models::provider {

class OverloadModel {
 public:
  OverloadModel(Overload config, kernel::RandomStream rng);

  /// The probability of a 529 at `now`.
  double probability(kernel::Time now) const;
  /// Draws whether the attempt reaching the provider at `now` is refused with a 529. Consumes
  /// no randomness while the probability is zero.
  bool overloaded(kernel::Time now);

 private:
  Overload config_;
  kernel::RandomStream rng_;
};

}  // namespace ratesim::models::provider
