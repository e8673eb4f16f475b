// The provider's prompt cache. Each workload that declares a cached prefix gets a space of
// `keys` entries; an entry is live until its last use + ttl, counted from the start of the
// request that used it (each read refreshes it for free: Anthropic prompt-caching docs). A write is usable by
// the next request at once (an assumption: the real cache is ready when the first response
// begins).
#pragma once

#include <cstdint>
#include <vector>

#include "sim/kernel/time.hpp"

namespace ratesim::models::provider {

class PromptCache {
 public:
  /// Opens a space of `keys` prefixes whose entries live `ttl` past their last use.
  /// Returns its id.
  std::uint32_t add_space(kernel::Duration ttl, std::uint32_t keys);
  /// Whether entry `key` of `space` is live at `now`.
  bool live(std::uint32_t space, std::uint32_t key, kernel::Time now) const;
  /// Records a use (a write or a read) at `now`.
  void touch(std::uint32_t space, std::uint32_t key, kernel::Time now);
  kernel::Duration ttl(std::uint32_t space) const { return spaces_[space].ttl; }

 private:
  struct Space {
    kernel::Duration ttl;
    std::vector<kernel::Time> expiry;  ///< by key; kTimeZero: never written
  };
  std::vector<Space> spaces_;
};

}  // namespace ratesim::models::provider
