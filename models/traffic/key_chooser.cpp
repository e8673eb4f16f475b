#include "models/traffic/key_chooser.hpp"

#include <algorithm>
#include <cmath>

namespace ratesim::models::traffic {

KeyChooser::KeyChooser(const CacheConfig& config) : keys_(config.keys) {
  if (config.choice != CacheConfig::Choice::kZipf || keys_ <= 1) return;
  double total = 0;
  for (std::uint32_t k = 1; k <= keys_; ++k) {
    total += 1.0 / std::pow(static_cast<double>(k), config.zipf_s);
    cdf_.push_back(total);
  }
  for (double& c : cdf_) c /= total;
}

std::uint32_t KeyChooser::pick(kernel::RandomStream& rng) const {
  if (keys_ <= 1) return 0;
  const double u = rng.uniform01();
  const auto k = cdf_.empty()
                     ? static_cast<std::uint32_t>(u * keys_)
                     : static_cast<std::uint32_t>(std::upper_bound(cdf_.begin(), cdf_.end(), u) -
                                                  cdf_.begin());
  return std::min(k, keys_ - 1);
}

}  // namespace ratesim::models::traffic
