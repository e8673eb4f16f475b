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

TEST_CASE("a cache minimum the preset lists as assumed is assumed, with the preset's reason", "[scenario]") {
  // anthropic/start gives claude-sonnet-4-6 2,048 under `assumed:`: the docs table says 1,024.
  const std::string workload = "workloads:\n  - {name: w, model: claude-sonnet-4-6, traffic: [{for: 10m, rate: 1/s}],"
                               " input_tokens: 3000, output_tokens: 100, max_tokens: 200,"
                               " cache: {prefix_tokens: 2500, ttl: 5m, keys: 1}}\n";
  const auto on_preset = scenario::assumption_ledger(
      scenario_from("name: l\nduration: 10m\nprovider:\n  preset: anthropic/start\n" + workload));
  const auto* e = find(on_preset, "provider.models.claude-sonnet-4-6.cache.min_tokens");
  REQUIRE(e);
  CHECK(e->value == "2048");
  CHECK_FALSE(e->documented);
  CHECK(e->source == "the docs table lists 1,024; users report caching only from about 2,048 "
                     "(anthropic-sdk-python issue #1194) (preset anthropic/start, 2026-10)");
  // The same model defined by the scenario itself is the scenario's figure, whatever its name.
  const auto own = scenario::assumption_ledger(scenario_from(
      "name: l\nduration: 10m\nprovider:\n  groups: {g: {limits: {rpm: 100, itpm: 100000, otpm: 10000}}}\n"
      "  models:\n    claude-sonnet-4-6: {group: g, price: {input: 3, output: 15}, cache: {min_tokens: 2048},"
      " latency: {ttft: 1s, output_tps: 80}}\n" + workload));
  const auto* mine = find(own, "provider.models.claude-sonnet-4-6.cache.min_tokens");
  REQUIRE(mine);
  CHECK_FALSE(mine->documented);
  CHECK(mine->source == "set in the scenario, not a published figure");
}

TEST_CASE("the ledger's public sources depend on the setting they document", "[scenario]") {
  // otpm_accounting: the rate-limits page before and after it changed; the setting picks one.
  const auto actual = scenario::assumption_ledger(scenario_from(tier2("")));
  CHECK(find(actual, "provider.otpm_accounting")->source ==
        "Anthropic rate-limits page since about February 2026: only output tokens produced count");
  const auto reserve = scenario::assumption_ledger(scenario_from(tier2("  otpm_accounting: reserve\n")));
  CHECK(find(reserve, "provider.otpm_accounting")->source ==
        "Anthropic rate-limits page before about February 2026: max_tokens estimated at the start, corrected at "
        "the end");
  // A superseded tier's spend cap: its preset's source, then what other summaries say.
  CHECK(find(actual, "provider.spend_limit.monthly_usd")->source ==
        "preset anthropic/tier-2 (platform.claude.com/docs/en/api/rate-limits; "
        "platform.claude.com/docs/en/about-claude/pricing; 2026-04); 2026 third-party summaries give other figures "
        "(docs/provider.md)");
  // The bucket size: the public fact, then the range ratesim varies.
  CHECK(find(actual, "provider.burst")->source ==
        "the bucket size is not published; the rate-limits page says limits may be enforced over shorter "
        "intervals (60 RPM as 1 per second): 1s to 60s");
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
