// Warnings about the provider figures a scenario stands on: a superseded preset, unconfirmed
// models; and the ledger names what a current preset only assumes.
#include "sim/scenario/provider_warnings.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

#include "sim/metrics/diagnosis.hpp"
#include "sim/scenario/assumptions.hpp"
#include "test_support.hpp"

using namespace ratesim;
using namespace ratesim::testing;

namespace {

/// A scenario on `preset` with one workload per model in `models` (w0, w1, ...).
std::string on(const std::string& preset, const std::vector<std::string>& models, const std::string& extra = "") {
  std::string y = "name: p\nduration: 10m\nprovider: {preset: " + preset + "}\nworkloads:\n";
  for (std::size_t i = 0; i < models.size(); ++i)
    y += "  - {name: w" + std::to_string(i) + ", model: " + models[i] +
         ", traffic: [{for: 1m, rate: 1/s}], input_tokens: 5000, output_tokens: 100, max_tokens: 200" + extra + "}\n";
  return y;
}

const scenario::LedgerEntry* find(const std::vector<scenario::LedgerEntry>& ledger, const std::string& path) {
  const auto it = std::find_if(ledger.begin(), ledger.end(), [&](const auto& e) { return e.path == path; });
  return it == ledger.end() ? nullptr : &*it;
}

}  // namespace

TEST_CASE("a scenario on a superseded tier is told once which current preset replaces it", "[scenario][presets]") {
  const auto w = scenario::superseded_preset_warning(scenario_from(on("anthropic/tier-3", {"claude-sonnet-4-5"})));
  REQUIRE(w);
  CHECK(w->rfind("preset anthropic/tier-3 (figures of 2026-04) is superseded since 2026-06; the nearest current "
                 "preset is anthropic/build: Anthropic replaced usage tiers 1-4 with Start, Build and Scale in June "
                 "2026; it is the lowest current tier whose every limit and monthly spend cap is at least tier 3's",
                 0) == 0);
  CHECK_FALSE(scenario::superseded_preset_warning(scenario_from(on("anthropic/build", {"claude-sonnet-4-5"}))));
  CHECK_FALSE(scenario::superseded_preset_warning(scenario_from("name: p\nduration: 1m\n" + provider_yaml("{rpm: 60}") +
                                                                "workloads:\n  - {name: w, model: m, backlog: {count: 1}, "
                                                                "input_tokens: 1, output_tokens: 1, max_tokens: 1}\n")));
}

TEST_CASE("sending to an unconfirmed model is warned about once per model, with the reason", "[scenario][presets]") {
  // Two workloads on Opus 5, one on Haiku 5.5, one on a confirmed model: two warnings.
  const auto s = scenario_from(on("anthropic/start", {"claude-opus-5", "claude-haiku-5-5", "claude-opus-5", "claude-haiku-4-5"}));
  const auto w = scenario::unconfirmed_model_warnings(s);
  REQUIRE(w.size() == 2);
  CHECK(w[0] == "model 'claude-opus-5' is unconfirmed: limits seen only in secondary copies of the rate-limits page "
                "(September-October 2026), reported equal to Opus 4.x's; prices from the October 2026 pricing page");
  CHECK(w[1].rfind("model 'claude-haiku-5-5' is unconfirmed: no copy of the rate-limits page reports its limits: Haiku "
                   "4.5's are ASSUMED",
                   0) == 0);
  // A preset's unconfirmed model that no workload sends to is not mentioned.
  CHECK(scenario::unconfirmed_model_warnings(scenario_from(on("anthropic/start", {"claude-sonnet-5"}))).empty());
  // The run's summary carries it, and so its diagnosis (summary.json and the table).
  const auto summary = run_yaml(on("anthropic/start", {"claude-opus-5-5"}));
  REQUIRE_FALSE(summary.warnings.empty());
  CHECK(summary.warnings[0].rfind("model 'claude-opus-5-5' is unconfirmed: ", 0) == 0);
  CHECK(metrics::diagnose(summary).warnings[0] == summary.warnings[0]);
}

TEST_CASE("the ledger names what a current preset only assumes", "[scenario][presets]") {
  const auto ledger = scenario::assumption_ledger(
      scenario_from(on("anthropic/scale", {"claude-opus-4-7", "claude-opus-4-5", "claude-haiku-5-5"},
                       ", cache: {prefix_tokens: 4096}")));
  // Published: Opus 4.5's cache minimum and the Opus 4.x limits.
  CHECK(find(ledger, "provider.models.claude-opus-4-5.cache.min_tokens")->documented);
  CHECK(find(ledger, "provider.groups.opus-4.limits")->documented);
  // Assumed: Opus 4.7's minimum, Haiku 5.5's limits; each with the preset's reason and date.
  const auto* min = find(ledger, "provider.models.claude-opus-4-7.cache.min_tokens");
  REQUIRE(min);
  CHECK_FALSE(min->documented);
  CHECK(min->source == "not published for Opus 4.7; Opus 4.5 / 4.6's 4,096 (preset anthropic/scale, 2026-10)");
  const auto* limits = find(ledger, "provider.groups.haiku-5-5.limits");
  REQUIRE(limits);
  CHECK_FALSE(limits->documented);
  CHECK(limits->source.rfind("no copy of the rate-limits page reports Haiku 5.5's limits", 0) == 0);
  // Its price is on the pricing page, both bands shown.
  const auto* price = find(ledger, "provider.models.claude-haiku-5-5.price");
  REQUIRE(price);
  CHECK(price->documented);
  CHECK(price->value == "input 0.1, output 0.5, cache read 0.01; prompts over 100000 tokens: input 0.5, output 2.5, "
                        "cache read 0.05 USD per million tokens");
}
