// Scenario files (docs/scenarios.md): YAML → validated Scenario. Nothing is simulated until the whole
// file validates; the first problem found is thrown as an InputError with its position.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/scenario/scenario.hpp"

namespace ratesim::scenario {

/// Reads and validates the file at `path`, after applying each `--set PATH=VALUE`.
Scenario load_scenario_file(const std::string& path, const std::vector<std::string>& sets = {});

/// The scenario at `path` as YAML, with its preset expanded and the overrides applied (after
/// validating it). For `ratesim validate --resolved`.
std::string resolved_scenario_yaml(const std::string& path,
                                   const std::vector<std::string>& sets = {});

/// The scenario at `path` with the overrides of its variant `variant` applied (the
/// scenario's `variants:`). Throws InputError for an unknown variant.
///
/// The order, for the base and every variant, is the order a user reads them in: the file is
/// parsed; a `--set provider.preset=…` chooses the preset; the preset's provider is laid under
/// the file's; the variant's overrides are applied in file order (each may replace a value, a
/// whole workload or a whole list); then the other `--set` overrides in the order given (they
/// may reach into what the variant brought); then the result is validated. Loading the base does not validate the variants:
/// a variant's mistake is reported when that variant is loaded (run, compared or validated).
Scenario load_scenario_variant(const std::string& path, const std::string& variant,
                               const std::vector<std::string>& sets = {});

/// The base scenario from text; `label` stands for the file name in messages.
Scenario load_scenario_text(const std::string& text, const std::string& label,
                            const std::vector<std::string>& sets = {});
/// A variant from text.
Scenario load_variant_text(const std::string& text, const std::string& label, const std::string& variant,
                           const std::vector<std::string>& sets = {});

/// A preset replaced by the provider (`superseded:` in the preset file).
struct Superseded {
  std::string since;  ///< when the provider replaced it, e.g. 2026-06
  std::string by;     ///< the nearest current preset, e.g. anthropic/start
  std::string note;   ///< why that one is the nearest
};

/// A preset's provider as the preset alone gives it, with the date and source of its numbers.
struct PresetProvider {
  models::provider::ProviderConfig config;
  std::string date;    ///< e.g. 2026-04
  std::string source;  ///< where its numbers come from
  std::optional<Superseded> superseded;  ///< absent: current
  /// Figures of the preset that no public page gives (`assumed:`): the assumption ledger's path
  /// of each (e.g. provider.models.claude-opus-4-7.cache.min_tokens), with the reason.
  std::map<std::string, std::string> assumed;
};
/// The preset named `name`, read alone; nullopt for an unknown name. Throws InputError (with the
/// preset file's position) when the preset itself is malformed: a bug the tests catch.
std::optional<PresetProvider> preset_provider(const std::string& name);

}  // namespace ratesim::scenario
