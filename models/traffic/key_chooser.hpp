// Which of a workload's cached prefixes a request uses: uniformly, or by Zipf's law
// (P(key k) ∝ 1 / k^s for k = 1..N, so a few prefixes are hot and many are rare).
#pragma once

#include <cstdint>
#include <vector>

#include "models/workload_config.hpp"
#include "sim/kernel/random_stream.hpp"

namespace ratesim::models::traffic {

class KeyChooser {
 public:
  explicit KeyChooser(const CacheConfig& config);
  /// A key in [0, keys). Draws once from `rng` (nothing when there is a single key).
  std::uint32_t pick(kernel::RandomStream& rng) const;

 private:
  std::uint32_t keys_;
  std::vector<double> cdf_;  ///< Zipf only: cumulative probabilities of keys 0..N-1
};

}  // namespace ratesim::models::traffic
