// The assumption ledger: what a run rests on, documented or assumed, and the settings that have
// no effect.
#include <catch2/catch.hpp>

#include <algorithm>

#include "sim/metrics/diagnosis.hpp"
#include "sim/scenario/assumptions.hpp"
#include "test_support.hpp"

using namespace ratesim;
using namespace ratesim::testing;

namespace {

const scenario::LedgerEntry* find(const std::vector<scenario::LedgerEntry>& ledger, const std::string& path) {
  const auto it = std::find_if(ledger.begin(), ledger.end(), [&](const auto& e) { return e.path == path; });
  return it == ledger.end() ? nullptr : &*it;
}

std::string tier2(const std::string& provider_extra, const std::string& workload_extra = "") {
  return "name: l\nduration: 10m\nprovider:\n  preset: anthropic/tier-2\n" + provider_extra +
         "workloads:\n  - {name: w, model: claude-haiku-4-5, traffic: [{for: 10m, rate: 1/s}],"
         " input_tokens: 1000, output_tokens: 100, max_tokens: 200" + workload_extra + "}\n";
}

}  // namespace

TEST_CASE("the ledger marks preset figures documented, with their source and date", "[scenario]") {
  const auto ledger = scenario::assumption_ledger(scenario_from(tier2("")));
  const auto* limits = find(ledger, "provider.groups.haiku-4-5.limits");
  REQUIRE(limits);
  CHECK(limits->documented);
  CHECK(limits->value == "rpm 1000, itpm 450000, otpm 90000");
  CHECK(limits->source.find("anthropic/tier-2") != std::string::npos);
  CHECK(limits->source.find("2026-04") != std::string::npos);
  const auto* otpm = find(ledger, "provider.otpm_accounting");
  REQUIRE(otpm);
  CHECK(otpm->value == "actual");
  CHECK(otpm->documented);
  const auto* price = find(ledger, "provider.models.claude-haiku-4-5.price");
  REQUIRE(price);
  CHECK(price->documented);
  const auto* spend = find(ledger, "provider.spend_limit.monthly_usd");
  REQUIRE(spend);
  CHECK(spend->value == "500");
  CHECK(spend->documented);
}

TEST_CASE("the ledger marks what no document fixes as assumed, with a range to vary", "[scenario]") {
  const auto ledger = scenario::assumption_ledger(scenario_from(tier2("  acceleration: {initial_load: 0.3}\n")));
  for (const char* path : {"provider.burst", "provider.acceleration", "provider.acceleration.initial_load",
                           "provider.models.claude-haiku-4-5.latency", "provider.overload",
                           "provider.rejected_consume"}) {
    INFO(path);
    const auto* e = find(ledger, path);
    REQUIRE(e);
    CHECK_FALSE(e->documented);
    CHECK(e->range.has_value());
  }
  CHECK(find(ledger, "provider.acceleration")->value == "moderate");
  CHECK(find(ledger, "provider.acceleration.initial_load")->value == "0.3");
  CHECK(find(ledger, "provider.burst")->value == "1m");
  // The levels set what they say.
  auto s = scenario_from(tier2(""));
  (*find(ledger, "provider.burst")->range)[0].apply(s);
  CHECK(s.world.provider.groups[0].burst == std::chrono::seconds(1));
  (*find(ledger, "provider.acceleration")->range)[1].apply(s);
  CHECK(s.world.provider.acceleration.profile == "strict");
  CHECK(s.world.provider.acceleration.initial_load == 0);
}

TEST_CASE("a limit changed from the preset's is no longer documented", "[scenario]") {
  const auto ledger = scenario::assumption_ledger(
      scenario_from(tier2("  groups: {haiku-4-5: {limits: {rpm: 1000, itpm: 600000, otpm: 90000}}}\n")));
  const auto* limits = find(ledger, "provider.groups.haiku-4-5.limits");
  REQUIRE(limits);
  CHECK_FALSE(limits->documented);
}

TEST_CASE("the billing of timed-out attempts is listed as an assumption where it applies", "[scenario]") {
  CHECK_FALSE(find(scenario::assumption_ledger(scenario_from(tier2(""))), "workloads.w.attempt_timeout"));
  const auto ledger = scenario::assumption_ledger(scenario_from(tier2("", ", attempt_timeout: 20s")));
  const auto* e = find(ledger, "workloads.w.attempt_timeout");
  REQUIRE(e);
  CHECK_FALSE(e->documented);
  CHECK(e->value.find("billed") != std::string::npos);
}

TEST_CASE("settings without effect are warned about", "[scenario]") {
  // Haiku 4.5 caches prefixes of 4,096 tokens or more: 2,000 is silently not cached.
  const auto w = scenario::ineffective_settings(
      scenario_from(tier2("  acceleration: {profile: off, initial_load: 0.4}\n",
                          ", cache: {prefix_tokens: 2000}, deadline: 10s, attempt_timeout: 30s")));
  REQUIRE(w.size() == 3);
  CHECK(w[0] == "workload 'w': its cached prefix of 2000 tokens is under claude-haiku-4-5's minimum of 4096: "
                "nothing is cached (the API raises no error) and every request pays the full input price");
  CHECK(w[1].find("attempt_timeout (30s) is not shorter than the deadline (10s)") != std::string::npos);
  CHECK(w[2] == "provider.acceleration.initial_load has no effect: acceleration limits are off");
  CHECK(scenario::ineffective_settings(scenario_from(tier2(""))).empty());
}

TEST_CASE("the run's summary carries the ledger and the warnings, and the diagnosis repeats them", "[scenario]") {
  const auto s = run_yaml(tier2("", ", cache: {prefix_tokens: 2000}"));
  CHECK_FALSE(s.assumptions.empty());
  REQUIRE(s.warnings.size() == 1);
  const auto d = metrics::diagnose(s);
  REQUIRE_FALSE(d.warnings.empty());
  CHECK(d.warnings[0] == s.warnings[0]);
  // Nothing was cached: every prompt token was paid at the full price.
  CHECK(s.total.cache_write_tokens == 0);
  CHECK(s.total.cache_read_tokens == 0);
}
