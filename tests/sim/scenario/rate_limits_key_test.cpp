#include "sim/scenario/rate_limits_key.hpp"

#include <catch2/catch.hpp>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "sim/metrics/diagnosis.hpp"
#include "sim/scenario/input_error.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "test_support.hpp"

using namespace ratesim;
using namespace ratesim::testing;
namespace fs = std::filesystem;

namespace {

/// A scenario on the tier-4 preset whose provider reads `rate_limits`.
std::string scenario_text(const std::string& rate_limits) {
  return "name: org\n"
         "duration: 1m\n"
         "provider:\n"
         "  preset: anthropic/tier-4\n"
         "  rate_limits: " + rate_limits + "\n"
         "workloads:\n"
         "  - name: chat\n"
         "    model: claude-sonnet-4-6\n"
         "    traffic: [{for: 1m, rate: 1/s}]\n"
         "    input_tokens: 1000\n"
         "    output_tokens: 100\n"
         "    max_tokens: 200\n";
}

/// A folder of its own for each test process, holding a scenario and its files.
struct Folder {
  fs::path dir = fs::temp_directory_path() / ("ratesim-rate-limits-" + std::to_string(::getpid()));
  Folder() {
    fs::remove_all(dir);
    fs::create_directories(dir / "rate-limits");
  }
  ~Folder() { fs::remove_all(dir); }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(dir / name) << text;
    return (dir / name).string();
  }
  std::string example(const std::string& name) const {
    fs::copy_file(source_path("scenarios/rate-limits/organization.json"), dir / name);
    return (dir / name).string();
  }
};

const models::provider::Group& group(const scenario::Scenario& s, const std::string& name) {
  for (const auto& g : s.world.provider.groups)
    if (g.name == name) return g;
  FAIL("no group " << name);
  return s.world.provider.groups.front();
}

}  // namespace

TEST_CASE("provider.rate_limits is read from the scenario file's folder and sets the groups' limits",
          "[scenario][rate_limits]") {
  const Folder f;
  const std::string json = f.example("rate-limits/organization.json");
  const std::string yaml = f.write("org.yaml", scenario_text("rate-limits/organization.json"));
  const scenario::Scenario s = scenario::load_scenario_file(yaml);
  // The example raises Sonnet 4.x from tier 4's 4,000 / 2,000,000 / 400,000.
  const auto& sonnet = group(s, "sonnet-4");
  CHECK(sonnet.limits.rpm == 5000);
  CHECK(sonnet.limits.itpm == 5'000'000);
  CHECK(sonnet.limits.otpm == 1'000'000);
  CHECK(sonnet.limits_source == json);
  CHECK(s.world.provider.batch_rpm == 4000);
  // Its files entry is named; its Haiku 3.5 entry (no such model here) is not.
  REQUIRE(s.warnings.size() == 1);
  CHECK(s.warnings[0] == json + ": the entries of group type files (line 47) are not applied: ratesim "
                                "simulates the limits of model groups and of the Message Batches API");

  SECTION("an absolute path is taken as it is") {
    CHECK(group(scenario::load_scenario_file(f.write("abs.yaml", scenario_text(json))), "sonnet-4").limits.rpm == 5000);
  }
  SECTION("a run reports the warnings with the settings that have no effect, and the ledger names the file") {
    const metrics::Summary summary = cli::run_scenario(s).summary;
    REQUIRE_FALSE(summary.warnings.empty());
    CHECK(summary.warnings[0] == s.warnings[0]);
    CHECK(metrics::diagnose(summary).warnings[0] == s.warnings[0]);
    bool named = false;
    for (const auto& a : summary.assumptions)
      if (a.path == "provider.groups.sonnet-4.limits")
        named = a.documented && a.source.find("GET /v1/organizations/rate_limits), saved in " + json) != std::string::npos;
    CHECK(named);
  }
}

TEST_CASE("a rate-limits file that is not there, or malformed, stops the load", "[scenario][rate_limits]") {
  const Folder f;
  // `  rate_limits: ` is 15 characters: the value begins at line 5, column 16.
  const std::string missing = f.write("missing.yaml", scenario_text("nope.json"));
  CHECK(load_error(scenario_text("nope.json"), {}, missing) ==
        missing + ":5:16: cannot open rate-limits file '" + (f.dir / "nope.json").string() + "': no such file");
  const std::string bad = f.write("rate-limits/bad.json", "{\n  \"data\": [\n    x\n  ]\n}");
  const std::string yaml = f.write("bad.yaml", scenario_text("rate-limits/bad.json"));
  CHECK(load_error(scenario_text("rate-limits/bad.json"), {}, yaml) ==
        bad + ":3:5: invalid JSON at 'x': invalid literal; expected a JSON value: an object, a list, a "
              "string, a number, true, false or null");
}

TEST_CASE("the resolved scenario holds the limits the file gave and stands without it", "[scenario][rate_limits]") {
  const Folder f;
  f.write("rate-limits/split.json", R"json({"data": [
    {"group": {"type": "model_group", "display_name": "Claude Sonnet 4.6 (own pool)"}, "group_type": "model_group",
     "models": ["claude-sonnet-4-6"], "limits": [{"type": "requests_per_minute", "value": 4500}]},
    {"group": {"type": "batch"}, "group_type": "batch", "models": null,
     "limits": [{"type": "requests_per_minute", "value": 4000}]}
  ], "next_page": null})json");
  const std::string yaml = f.write("split.yaml", scenario_text("rate-limits/split.json"));
  const std::string resolved = scenario::resolved_scenario_yaml(yaml);
  CHECK(resolved.rfind("# provider.rate_limits: rate-limits/split.json (a saved GET "
                       "/v1/organizations/rate_limits) is written in:\n"
                       "#   the limits of group claude-sonnet-4-6-own-pool under provider.groups\n"
                       "#   the new groups of claude-sonnet-4-6\n"
                       "#   the Message Batches API's 4000 requests per minute, as provider.batch.rpm\n",
                       0) == 0);
  CHECK(resolved.find("\n  rate_limits:") == std::string::npos);  // the key is gone, only the comment names it
  // The new group takes sonnet-4's itpm and otpm, and the preset's limiter and burst.
  CHECK(resolved.find("claude-sonnet-4-6-own-pool:\n      limits: {rpm: 4500, itpm: 2000000, otpm: 400000}\n"
                      "      limiter: token-bucket\n      burst: 1m") != std::string::npos);
  CHECK(resolved.find("group: claude-sonnet-4-6-own-pool") != std::string::npos);
  // Loaded again, from anywhere, it is the same provider.
  const scenario::Scenario again = scenario::load_scenario_text(resolved, "resolved.yaml");
  const scenario::Scenario original = scenario::load_scenario_file(yaml);
  REQUIRE(again.world.provider.groups.size() == original.world.provider.groups.size());
  for (std::size_t i = 0; i < again.world.provider.groups.size(); ++i) {
    CHECK(again.world.provider.groups[i].name == original.world.provider.groups[i].name);
    CHECK(again.world.provider.groups[i].limits.in_order() == original.world.provider.groups[i].limits.in_order());
  }
  for (std::size_t i = 0; i < again.world.provider.models.size(); ++i)
    CHECK(again.world.provider.models[i].group == original.world.provider.models[i].group);
  CHECK(again.world.provider.batch_rpm == 4000);
}

TEST_CASE("workspace caps are checked against the limits the rate-limits file set", "[scenario][rate_limits][workspace]") {
  // On tier 4 Sonnet 4.x has itpm 2,000,000; the example file raises it to 5,000,000. A workspace
  // cap of 3,000,000 is within the organization's real limit, so it loads; 6,000,000 is above it.
  const Folder f;
  f.example("rate-limits/organization.json");
  auto with_cap = [&](const std::string& itpm) {
    std::string text = scenario_text("rate-limits/organization.json");
    text.insert(text.find("workloads:"), "  workspaces:\n    batch: {limits: {sonnet-4: {itpm: " + itpm + "}}}\n");
    text += "    workspace: batch\n";
    return f.write("ws.yaml", text);
  };
  const auto s = scenario::load_scenario_file(with_cap("3000000"));
  REQUIRE(s.world.provider.workspaces.size() == 1);
  CHECK(s.world.provider.workspaces[0].caps[0].limits.itpm == 3'000'000);
  CHECK(group(s, "sonnet-4").limits.itpm == 5'000'000);
  try {
    scenario::load_scenario_file(with_cap("6000000"));
    FAIL("a cap above the organization's limit loaded");
  } catch (const scenario::InputError& e) {
    CHECK_THAT(e.what(), Catch::Contains("invalid value 6000000 for 'itpm' of workspace 'batch', group 'sonnet-4': "
                                         "expected at most the organization's limit 5000000"));
  }
}

TEST_CASE("a listing's dated Haiku 3.5 id matches the preset's model", "[scenario][rate_limits]") {
  // The example listing names claude-3-5-haiku-20241022; the current presets name the model by
  // its id without the date, so the entry's 4,000 / 400,000 / 80,000 replace Start's 1,000 /
  // 100,000 / 20,000 for group haiku-3-5.
  const Folder f;
  f.example("rate-limits/organization.json");
  std::string text = scenario_text("rate-limits/organization.json");
  text.replace(text.find("anthropic/tier-4"), std::string("anthropic/tier-4").size(), "anthropic/start");
  const auto s = scenario::load_scenario_file(f.write("haiku35.yaml", text));
  CHECK(group(s, "haiku-3-5").limits.in_order() ==
        models::provider::Limits{.rpm = 4'000, .itpm = 400'000, .otpm = 80'000}.in_order());
}
