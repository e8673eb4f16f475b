#include "sim/scenario/overrides.hpp"

#include <fmt/format.h>

#include <vector>

#include "sim/scenario/did_you_mean.hpp"
#include "sim/scenario/input_error.hpp"
#include "sim/scenario/yaml_guard.hpp"
#include "sim/scenario/units.hpp"

namespace ratesim::scenario {
namespace {

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t dot = path.find('.', start);
    out.push_back(path.substr(start, dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return out;
}

/// The item of `list` that `segment` selects, or an undefined node.
YAML::Node select_item(const YAML::Node& list, const std::string& segment) {
  if (const auto index = parse_number(segment); index && *index >= 0 && *index == static_cast<std::size_t>(*index)) {
    const auto i = static_cast<std::size_t>(*index);
    if (i < list.size()) return list[i];
    return YAML::Node(YAML::NodeType::Undefined);
  }
  for (const auto& item : list) {
    if (!item.IsMap()) continue;
    if (item["name"] && item["name"].IsScalar() && item["name"].Scalar() == segment) return item;
    if (item.size() == 1 && item.begin()->first.Scalar() == segment) return item.begin()->second;
  }
  return YAML::Node(YAML::NodeType::Undefined);
}

std::vector<std::string> names_in(const YAML::Node& n) {
  std::vector<std::string> out;
  if (n.IsMap()) {
    for (const auto& kv : n) out.push_back(kv.first.Scalar());
  } else if (n.IsSequence()) {
    for (const auto& item : n) {
      if (item.IsMap() && item["name"] && item["name"].IsScalar()) out.push_back(item["name"].Scalar());
      else if (item.IsMap() && item.size() == 1) out.push_back(item.begin()->first.Scalar());
    }
  }
  return out;
}

}  // namespace

std::string apply_path(YAML::Node root, const std::string& path, const YAML::Node& value,
                       std::vector<AddedKey>* added) {
  const std::vector<std::string> segments = split_path(path);
  YAML::Node node = root;
  std::string walked;
  std::size_t offset = 0;  // of the segment in the path
  for (std::size_t i = 0; i < segments.size(); offset += segments[i].size() + 1, ++i) {
    const std::string& seg = segments[i];
    const bool last = i + 1 == segments.size();
    const std::string here = walked.empty() ? seg : walked + "." + seg;
    if (seg.empty()) return fmt::format("empty segment in path '{}'", path);
    if (node.IsSequence()) {
      YAML::Node item = select_item(node, seg);
      if (!item.IsDefined())
        return fmt::format("no item '{}' in '{}'{}", seg, walked, did_you_mean(seg, names_in(node)));
      if (last) {
        item = value;
        break;
      }
      node.reset(item);
    } else if (node.IsMap() || node.IsNull()) {
      if (last) {
        const bool is_new = !node.IsMap() || !node[seg].IsDefined();
        node[seg] = value;
        if (is_new && added) added->push_back(AddedKey{.map = node, .key = seg, .offset = offset});
        break;
      }
      YAML::Node child = node[seg];
      if (!child.IsDefined() || child.IsNull())
        return fmt::format("no key '{}' in the scenario{}", here, did_you_mean(seg, names_in(node)));
      node.reset(child);
    } else {
      return fmt::format("'{}' is a single value; it has no '{}'", walked, seg);
    }
    walked = here;
  }
  return "";
}

void check_set_argument(const std::string& assignment) {
  const std::size_t eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0)
    throw InputError("--set " + assignment, 0, 0, "expected PATH=VALUE, e.g. --set workloads.chat.deadline=30s");
}

void apply_set(YAML::Node root, const std::string& assignment, Source& src) {
  check_set_argument(assignment);
  const std::string label = "--set " + assignment;
  const std::size_t eq = assignment.find('=');
  const std::string path = assignment.substr(0, eq);
  const std::string text = assignment.substr(eq + 1);
  const int value_column = static_cast<int>(std::string("--set ").size() + eq + 1);

  YAML::Node value;
  try {
    value = YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    throw InputError(label, 1, value_column + e.mark.column + 1,
                     fmt::format("invalid YAML value '{}': {}", text, e.msg));
  }
  if (!value.IsDefined() || value.IsNull()) value = YAML::Node(text.empty() ? "" : text);
  if (const auto too_big = measure_yaml(value)) {
    const YAML::Mark m = too_big->at.Mark();
    throw InputError(label, 1, value_column + (m.is_null() ? 0 : m.column) + 1, too_big->message);
  }

  std::vector<AddedKey> added;
  if (const std::string problem = apply_path(root, path, value, &added); !problem.empty())
    throw InputError(label, 0, 0, problem);
  src.add_override(value, label, value_column);
  // A key the argument added is reported at its column in the argument.
  const int path_column = static_cast<int>(std::string("--set ").size());
  for (const AddedKey& k : added)
    src.remember_key(k.map, k.key, Source::KeyOrigin{.key = std::nullopt, .label = label, .line = 1,
                                                       .column = path_column + static_cast<int>(k.offset) + 1});
}

}  // namespace ratesim::scenario
