// The built-in presets: each loads alone, the current tiers give the October 2026 table, and the
// superseded tiers keep their numbers and name their successor.
#include "sim/scenario/presets.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <tuple>
#include <vector>

#include "sim/scenario/scenario_loader.hpp"
#include "test_support.hpp"

using namespace ratesim;
using namespace ratesim::testing;
using models::provider::Limits;

namespace {

const models::provider::Group& group(const models::provider::ProviderConfig& p, const std::string& name) {
  const auto it = std::find_if(p.groups.begin(), p.groups.end(), [&](const auto& g) { return g.name == name; });
  REQUIRE(it != p.groups.end());
  return *it;
}

const models::provider::Model& model(const models::provider::ProviderConfig& p, const std::string& name) {
  const auto it = std::find_if(p.models.begin(), p.models.end(), [&](const auto& m) { return m.name == name; });
  REQUIRE(it != p.models.end());
  return *it;
}

/// A scenario on `preset` sending one request of `input` tokens (and 1,000 out) to `to`.
std::string on(const std::string& preset, const std::string& to, int input = 1000) {
  return "name: p\nduration: 10m\nprovider: {preset: " + preset + "}\nworkloads:\n  - {name: w, model: " + to +
         ", backlog: {count: 1}, input_tokens: " + std::to_string(input) + ", output_tokens: 1000, max_tokens: 1000}\n";
}

struct Row {
  std::string group, model;  ///< one model of the group
  Limits limits;             ///< RPM / ITPM / OTPM
  double input, output, cache_read;
};

}  // namespace

TEST_CASE("every preset loads alone, with its date, source and what it assumes", "[scenario][presets]") {
  for (const auto& p : scenario::presets()) {
    INFO(p.name);
    const auto read = scenario::preset_provider(std::string(p.name));
    REQUIRE(read);
    CHECK(read->date.size() == 7);  // YYYY-MM
    CHECK_FALSE(read->source.empty());
    // A successor is itself current.
    if (read->superseded) CHECK_FALSE(scenario::preset_provider(read->superseded->by)->superseded);
    // Each `assumed:` path names a figure of this preset.
    for (const auto& [path, why] : read->assumed) {
      INFO(path);
      CHECK_FALSE(why.empty());
      const bool names_one = std::any_of(read->config.models.begin(), read->config.models.end(), [&](const auto& m) {
        return path == "provider.models." + m.name + ".cache.min_tokens";
      }) || std::any_of(read->config.groups.begin(), read->config.groups.end(), [&](const auto& g) {
        return path == "provider.groups." + g.name + ".limits";
      });
      CHECK(names_one);
    }
    // An unconfirmed model's limits are listed as assumed.
    for (const auto& m : read->config.models)
      if (!m.unconfirmed.empty()) CHECK(read->assumed.count("provider.groups." + m.group + ".limits"));
  }
}

TEST_CASE("Start, Build and Scale give the October 2026 rate-limits and pricing tables", "[scenario][presets]") {
  // Rate-limits page as read in October 2026 (RPM / ITPM / OTPM):
  //   Opus 4.x, Sonnet 4.x, Sonnet 5, Haiku 4.5: Start 1,000 / 2,000,000 / 400,000; Build 5,000 /
  //     5,000,000 / 1,000,000; Scale 10,000 / 10,000,000 / 2,000,000
  //   Fable 5:   1,000 / 500,000 / 100,000;  2,000 / 1,500,000 / 300,000;  4,000 / 4,000,000 / 800,000
  //   Haiku 3.5: 1,000 / 100,000 / 20,000;   2,000 / 200,000 / 40,000;     4,000 / 400,000 / 80,000
  // Pricing page, October 2026 (input / output, cache read = multiple × input):
  //   Opus 4.x 5 / 25, 0.1× = 0.50; Sonnet 4.x 3 / 15, 0.1× = 0.30; Sonnet 5 2 / 10, 0.1× = 0.20;
  //   Haiku 4.5 1 / 5, 0.1× = 0.10; Fable 5 10 / 50, 0.1× = 1.00; Haiku 3.5 (April 2026 table)
  //   0.80 / 4, 0.1× = 0.08.
  // Spend caps $500 / $1,000 / $200,000; batch RPM 1,000 / 2,000 / 4,000; processing queue
  // 200,000 / 300,000 / 500,000.
  struct Tier {
    std::string name;
    Limits big, fable, haiku35;
    double spend;
    std::int64_t batch_rpm;
    std::uint64_t queue;
  };
  const std::vector<Tier> tiers = {
      {"anthropic/start", {1000, 2'000'000, 400'000, {}}, {1000, 500'000, 100'000, {}}, {1000, 100'000, 20'000, {}},
       500, 1000, 200'000},
      {"anthropic/build", {5000, 5'000'000, 1'000'000, {}}, {2000, 1'500'000, 300'000, {}},
       {2000, 200'000, 40'000, {}}, 1000, 2000, 300'000},
      {"anthropic/scale", {10000, 10'000'000, 2'000'000, {}}, {4000, 4'000'000, 800'000, {}},
       {4000, 400'000, 80'000, {}}, 200'000, 4000, 500'000},
  };
  for (const Tier& t : tiers) {
    const std::vector<Row> rows = {
        {"opus-4", "claude-opus-4-8", t.big, 5, 25, 0.50},
        {"sonnet-4", "claude-sonnet-4-6", t.big, 3, 15, 0.30},
        {"sonnet-5", "claude-sonnet-5", t.big, 2, 10, 0.20},
        {"haiku-4-5", "claude-haiku-4-5", t.big, 1, 5, 0.10},
        {"fable-5", "claude-fable-5", t.fable, 10, 50, 1.00},
        {"haiku-3-5", "claude-3-5-haiku", t.haiku35, 0.80, 4, 0.08},
    };
    for (const Row& r : rows) {
      INFO(t.name << " " << r.model);
      const auto s = scenario_from(on(t.name, r.model));
      const auto& p = s.world.provider;
      CHECK(model(p, r.model).group == r.group);
      CHECK(group(p, r.group).limits.in_order() == r.limits.in_order());
      const auto& price = model(p, r.model).price;
      CHECK(price.input == r.input);
      CHECK(price.output == r.output);
      CHECK(price.cache_read == Approx(r.cache_read));
      CHECK_FALSE(price.long_prompt);
      CHECK(model(p, r.model).unconfirmed.empty());
      CHECK(model(p, r.model).cache.reads_count == (r.model == "claude-3-5-haiku"));
      CHECK(p.otpm_accounting == models::provider::OtpmAccounting::kActual);
      REQUIRE(p.spend_limit);
      CHECK(p.spend_limit->monthly_usd == t.spend);
      CHECK(p.batch_rpm == t.batch_rpm);
      CHECK(p.batch_queue_limit == t.queue);
    }
    // The pools: Opus 4.5-4.8 one, Sonnet 4.5 / 4.6 one.
    const auto p = *scenario::preset_provider(t.name);
    for (const char* m : {"claude-opus-4-5", "claude-opus-4-6", "claude-opus-4-7", "claude-opus-4-8"})
      CHECK(model(p.config, m).group == "opus-4");
    for (const char* m : {"claude-sonnet-4-5", "claude-sonnet-4-6"}) CHECK(model(p.config, m).group == "sonnet-4");
    CHECK(p.date == "2026-10");
    CHECK_FALSE(p.superseded);
  }
}

TEST_CASE("the models seen only in secondary copies are in, marked unconfirmed", "[scenario][presets]") {
  const auto p = scenario::preset_provider("anthropic/build")->config;
  for (const auto& [name, group_name] : std::vector<std::pair<std::string, std::string>>{
           {"claude-opus-5", "opus-5"}, {"claude-opus-5-5", "opus-5-5"},
           {"claude-sonnet-5-5", "sonnet-5-5"}, {"claude-haiku-5-5", "haiku-5-5"}}) {
    INFO(name);
    CHECK(model(p, name).group == group_name);
    CHECK(model(p, name).unconfirmed.find("rate-limits page") != std::string::npos);
    // Reported equal to Opus 4.x's (Haiku 5.5: assumed so): Build 5,000 / 5,000,000 / 1,000,000.
    CHECK(group(p, group_name).limits.in_order() == Limits{5000, 5'000'000, 1'000'000, {}}.in_order());
  }
  CHECK(model(p, "claude-haiku-5-5").unconfirmed.find("ASSUMED") != std::string::npos);
  // Opus 5.5 4 / 20, cache reads 0.05 × 4 = 0.20; Sonnet 5.5 2 / 10, 0.05 × 2 = 0.10.
  CHECK(model(p, "claude-opus-5-5").price.cache_read == Approx(0.20));
  CHECK(model(p, "claude-sonnet-5-5").price.cache_read == Approx(0.10));
  // Haiku 5.5: 0.10 / 0.50 up to 100,000 prompt tokens, 0.50 / 2.50 above; reads 0.1 × input.
  const auto& haiku = model(p, "claude-haiku-5-5").price;
  REQUIRE(haiku.long_prompt);
  CHECK(haiku.long_prompt->over_tokens == 100000);
  CHECK(haiku.long_prompt->input == 0.50);
  CHECK(haiku.long_prompt->output == 2.50);
  CHECK(haiku.long_prompt->cache_read == Approx(0.05));
}

TEST_CASE("a request to Haiku 5.5 over 100,000 prompt tokens is billed wholly at the long band", "[scenario][presets]") {
  // 150,000 prompt tokens > 100,000: 150,000 × 0.50 / 10^6 = 0.075 input, 1,000 × 2.50 / 10^6 =
  // 0.0025 output, 0.0775 in all (at the base band it would be 0.015 + 0.0005).
  const auto long_one = run_yaml(on("anthropic/build", "claude-haiku-5-5", 150'000));
  CHECK(long_one.total.cost_input == Approx(0.075));
  CHECK(long_one.total.cost_output == Approx(0.0025));
  CHECK(long_one.total.cost_total() == Approx(0.0775));
  // 100,000 is not over 100,000: 0.01 + 0.0005 = 0.0105.
  CHECK(run_yaml(on("anthropic/build", "claude-haiku-5-5", 100'000)).total.cost_total() == Approx(0.0105));
}

TEST_CASE("tiers 1-4 keep their numbers and name the nearest current tier", "[scenario][presets]") {
  // Each maps to the lowest of Start / Build / Scale whose every limit and spend cap is at least
  // its own: tier 1 (50 RPM, $100) and tier 2 (1,000 RPM, $500) fit Start (1,000 RPM, $500);
  // tier 3 (2,000 RPM) needs Build (5,000 RPM, $1,000 = tier 3's cap); tier 4's limits fit Build
  // but its $5,000 cap does not: Scale.
  for (const auto& [tier, by, sonnet_rpm] : std::vector<std::tuple<std::string, std::string, std::int64_t>>{
           {"tier-1", "anthropic/start", 50}, {"tier-2", "anthropic/start", 1000},
           {"tier-3", "anthropic/build", 2000}, {"tier-4", "anthropic/scale", 4000}}) {
    INFO(tier);
    const auto p = *scenario::preset_provider("anthropic/" + tier);
    REQUIRE(p.superseded);
    CHECK(p.superseded->since == "2026-06");
    CHECK(p.superseded->by == by);
    CHECK(p.superseded->note.find("Start, Build and Scale in June 2026") != std::string::npos);
    CHECK(p.date == "2026-04");
    CHECK(group(p.config, "sonnet-4").limits.rpm == sonnet_rpm);
    CHECK_FALSE(p.config.batch_rpm);
  }
}
