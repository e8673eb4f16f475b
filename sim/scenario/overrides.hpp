// --set PATH=VALUE: changes one value of a scenario before it is validated.
//
// PATH is dot-separated. A segment names a key of a mapping, or selects an item of a list by
// index or by name: the item whose `name` is that segment (workloads.chat), or the single-key
// item with that key, whose value is then entered (client.retry). A missing last key is added.
// VALUE is YAML (`3`, `30s`, `[429, 529]`, `{limit: 8}`).
#pragma once

#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "sim/scenario/node_reader.hpp"

namespace ratesim::scenario {

/// Throws InputError (labelled "--set") unless `assignment` has the shape PATH=VALUE: an `=`
/// after a non-empty path. A command checks every --set with it before it reads any file.
void check_set_argument(const std::string& assignment);

/// Applies one `PATH=VALUE` to `root` and registers the value's nodes with `src`, so errors in
/// them point into the argument. Throws InputError (labelled "--set") on a bad path or value.
void apply_set(YAML::Node root, const std::string& assignment, Source& src);

/// A mapping key an override created (it was not in the scenario before).
struct AddedKey {
  YAML::Node map;
  std::string key;
  std::size_t offset = 0;  ///< where its segment starts in the path
};

/// Sets the node at `path` in `root` to `value`. Returns "" or what is wrong with the path
/// ("no key 'x' in the scenario (did you mean ...)"). With `added`, reports the keys it created.
std::string apply_path(YAML::Node root, const std::string& path, const YAML::Node& value,
                       std::vector<AddedKey>* added = nullptr);

}  // namespace ratesim::scenario
