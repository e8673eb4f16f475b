#include "sim/scenario/provider_warnings.hpp"

#include <fmt/format.h>

#include "sim/scenario/assumptions.hpp"
#include "sim/scenario/scenario_loader.hpp"

namespace ratesim::scenario {

std::optional<std::string> superseded_preset_warning(const Scenario& s) {
  if (s.preset.empty()) return std::nullopt;
  const auto preset = preset_provider(s.preset);
  if (!preset || !preset->superseded) return std::nullopt;
  const Superseded& by = *preset->superseded;
  return fmt::format("preset {} (figures of {}) is superseded since {}; the nearest current preset is {}: {}",
                     s.preset, preset->date, by.since, by.by, by.note);
}

std::vector<std::string> unconfirmed_model_warnings(const Scenario& s) {
  const auto used = used_models(s);
  std::vector<std::string> out;
  for (const auto& m : s.world.provider.models)
    if (!m.unconfirmed.empty() && used.count(m.name))
      out.push_back(fmt::format("model '{}' is unconfirmed: {}", m.name, m.unconfirmed));
  return out;
}

}  // namespace ratesim::scenario
