// Provider presets: data files under presets/ compiled into the binary. Each records the date
// and source of its numbers; a scenario names one with `provider.preset` and overrides any
// field on top of it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ratesim::scenario {

struct Preset {
  std::string_view name;  ///< e.g. "anthropic/tier-2"
  std::string_view text;  ///< the YAML file as written
};

/// Every preset, sorted by name.
const std::vector<Preset>& presets();
/// The preset named `name`, or nullopt.
std::optional<Preset> find_preset(std::string_view name);
/// presets/ledger.yaml as written: the public sources of values every scenario rests on,
/// whichever preset it names (read by the assumption ledger).
std::string_view ledger_text();
/// The first comment line of a preset, without "# ".
std::string preset_title(const Preset& p);

}  // namespace ratesim::scenario
