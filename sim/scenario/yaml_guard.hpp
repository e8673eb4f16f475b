// YAML aliases let a few bytes stand for an enormous tree (a "billion laughs" bomb) or for a
// tree that contains itself (`&a [*a]`). ratesim walks every tree it reads, so each parsed
// document is measured first, counting an alias as the subtree it stands for: too deep or too
// large is refused as bad input before anything recurses into it.
#pragma once

#include <optional>
#include <string>

#include <yaml-cpp/yaml.h>

namespace ratesim::scenario {

/// Deepest nesting accepted; a self-referential alias is infinitely deep.
inline constexpr int kMaxYamlDepth = 64;
/// Most nodes accepted in one document, aliases expanded.
inline constexpr std::size_t kMaxYamlNodes = 1'000'000;

/// Nullopt when `root` is within both limits; otherwise what is wrong, and the node where the
/// limit was crossed (to report its position).
struct YamlTooBig {
  std::string message;
  YAML::Node at;
};
std::optional<YamlTooBig> measure_yaml(const YAML::Node& root);

}  // namespace ratesim::scenario
