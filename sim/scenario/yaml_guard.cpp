#include "sim/scenario/yaml_guard.hpp"

#include <fmt/format.h>

#include <utility>
#include <vector>

namespace ratesim::scenario {

std::optional<YamlTooBig> measure_yaml(const YAML::Node& root) {
  // Iterative, so that measuring cannot itself overflow the stack.
  std::vector<std::pair<YAML::Node, int>> stack{{root, 0}};
  std::size_t nodes = 0;
  while (!stack.empty()) {
    auto [node, depth] = stack.back();
    stack.pop_back();
    if (++nodes > kMaxYamlNodes)
      return YamlTooBig{fmt::format("the YAML expands to more than {} nodes once its aliases (*name) are "
                                    "followed: an alias bomb? write the values out",
                                    kMaxYamlNodes),
                        node};
    if (depth > kMaxYamlDepth)
      return YamlTooBig{fmt::format("the YAML nests more than {} levels deep: an alias that refers to "
                                    "itself (&a [*a])? write the values out",
                                    kMaxYamlDepth),
                        node};
    if (node.IsSequence()) {
      for (const auto& child : node) stack.emplace_back(child, depth + 1);
    } else if (node.IsMap()) {
      for (const auto& kv : node) {
        stack.emplace_back(kv.first, depth + 1);
        stack.emplace_back(kv.second, depth + 1);
      }
    }
  }
  return std::nullopt;
}

}  // namespace ratesim::scenario
