// What calibrate matches a log against: the presets' limits per model, read as the scenario
// loader reads the presets.
#include <catch2/catch.hpp>

#include <algorithm>

#include "sim/calibrate/calibrate.hpp"

using namespace ratesim;

namespace {

const calibrate::PresetLimits* find(const std::string& preset, const std::string& model) {
  const auto& all = calibrate::preset_limits();
  const auto it = std::find_if(all.begin(), all.end(), [&](const auto& p) { return p.preset == preset && p.model == model; });
  return it == all.end() ? nullptr : &*it;
}

}  // namespace

TEST_CASE("the preset limits calibrate matches are each model's group's, as the preset file gives them", "[calibrate]") {
  // presets/anthropic/start.yaml: haiku-4-5 1,000 RPM, 2,000,000 ITPM, 400,000 OTPM; no TPM.
  const auto* start = find("anthropic/start", "claude-haiku-4-5");
  REQUIRE(start);
  CHECK(start->group == "haiku-4-5");
  CHECK_FALSE(start->superseded);
  CHECK(start->limits == std::array<std::int64_t, models::kBudgetCount>{1000, 2'000'000, 400'000, 0});
  // Opus 4.5 draws on the opus-4 pool with its siblings.
  const auto* opus = find("anthropic/start", "claude-opus-4-5");
  REQUIRE(opus);
  CHECK(opus->group == "opus-4");
  // A superseded tier is marked so: tier 2's haiku-4-5 at 1,000 / 450,000 / 90,000.
  const auto* tier2 = find("anthropic/tier-2", "claude-haiku-4-5");
  REQUIRE(tier2);
  CHECK(tier2->superseded);
  CHECK(tier2->limits == std::array<std::int64_t, models::kBudgetCount>{1000, 450'000, 90'000, 0});
  // The ledger's sources are not a preset.
  CHECK(std::none_of(calibrate::preset_limits().begin(), calibrate::preset_limits().end(),
                     [](const auto& p) { return p.preset == "ledger"; }));
}
