#include "models/provider/prompt_cache.hpp"

namespace ratesim::models::provider {

std::uint32_t PromptCache::add_space(kernel::Duration ttl, std::uint32_t keys) {
  spaces_.push_back(Space{ttl, std::vector<kernel::Time>(keys, kernel::kTimeZero)});
  return static_cast<std::uint32_t>(spaces_.size() - 1);
}

bool PromptCache::live(std::uint32_t space, std::uint32_t key, kernel::Time now) const {
  return spaces_[space].expiry[key] > now;
}

void PromptCache::touch(std::uint32_t space, std::uint32_t key, kernel::Time now) {
  spaces_[space].expiry[key] = now + spaces_[space].ttl;
}

}  // namespace ratesim::models::provider
