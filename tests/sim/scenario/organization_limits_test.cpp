#include "sim/scenario/organization_limits.hpp"

#include <catch2/catch.hpp>

#include "sim/scenario/input_error.hpp"

using namespace ratesim;
using namespace ratesim::scenario;
using models::provider::Group;
using models::provider::LimiterKind;
using models::provider::Model;
using models::provider::ProviderConfig;

namespace {

/// The groups of the anthropic/tier-4 preset (April 2026): Haiku 4.5 alone, Sonnet 4.x and
/// Opus 4.x each pooled.
ProviderConfig tier4() {
  ProviderConfig p;
  p.groups = {Group{.name = "haiku-4-5", .limits = {.rpm = 4000, .itpm = 4'000'000, .otpm = 800'000}},
              Group{.name = "sonnet-4", .limits = {.rpm = 4000, .itpm = 2'000'000, .otpm = 400'000}},
              Group{.name = "opus-4", .limits = {.rpm = 4000, .itpm = 2'000'000, .otpm = 400'000},
                    .limiter = LimiterKind::kSlidingWindow}};
  for (const auto& [name, group] : std::vector<std::pair<std::string, std::string>>{
           {"claude-haiku-4-5", "haiku-4-5"},
           {"claude-sonnet-4-5", "sonnet-4"},
           {"claude-sonnet-4-6", "sonnet-4"},
           {"claude-opus-4-1", "opus-4"},
           {"claude-opus-4-5", "opus-4"},
           {"claude-opus-4-6", "opus-4"}})
    p.models.push_back(Model{.name = name, .group = group});
  return p;
}

/// A listing of the given entries (JSON objects, one a line from line 3 on).
std::string listing(const std::vector<std::string>& entries, const std::string& next_page = "null") {
  std::string out = "{\n  \"data\": [\n";
  for (std::size_t i = 0; i < entries.size(); ++i) out += "    " + entries[i] + (i + 1 < entries.size() ? ",\n" : "\n");
  return out + "  ],\n  \"next_page\": " + next_page + "\n}";
}

std::string model_group(const std::string& name, const std::string& models, const std::string& limits) {
  return R"({"group": {"type": "model_group", "display_name": ")" + name +
         R"("}, "group_type": "model_group", "models": )" + models + R"(, "limits": )" + limits + "}";
}

const Group& group(const ProviderConfig& p, const std::string& name) {
  for (const auto& g : p.groups)
    if (g.name == name) return g;
  FAIL("no group " << name);
  return p.groups.front();
}

std::string group_of(const ProviderConfig& p, const std::string& model) {
  for (const auto& m : p.models)
    if (m.name == model) return m.group;
  return "";
}

std::vector<std::string> lay_over(const std::string& text, ProviderConfig& p) {
  return apply_organization_limits(parse_rate_limits(text, "org.json"), p);
}

}  // namespace

TEST_CASE("model names match when equal or equal without a trailing date", "[scenario][rate_limits]") {
  CHECK(same_model("claude-sonnet-4-6", "claude-sonnet-4-6"));
  CHECK(same_model("claude-sonnet-4-6", "claude-sonnet-4-6-20260217"));
  CHECK(same_model("claude-sonnet-4-6-20260217", "claude-sonnet-4-6"));
  CHECK_FALSE(same_model("claude-sonnet-4-6", "claude-sonnet-4-5"));
  CHECK_FALSE(same_model("claude-sonnet-4", "claude-sonnet-4-6"));     // not a date: one digit
  CHECK_FALSE(same_model("claude-3-5-haiku-latest", "claude-3-5-haiku-20241022"));
  CHECK(group_slug("Claude Sonnet 4.x") == "claude-sonnet-4-x");
  CHECK(group_slug("  Claude Opus 4.5 / 4.6 ") == "claude-opus-4-5-4-6");
}

TEST_CASE("a model group entry raises the limits of the group that holds its models", "[scenario][rate_limits]") {
  ProviderConfig p = tier4();
  const auto warnings = lay_over(listing({model_group("Claude Sonnet 4.x", R"(["claude-sonnet-4-5", "claude-sonnet-4-6"])",
                                                   R"([{"type": "requests_per_minute", "value": 5000},
                                                      {"type": "input_tokens_per_minute", "value": 5000000},
                                                      {"type": "output_tokens_per_minute", "value": 1000000}])")}),
                              p);
  CHECK(warnings.empty());
  // The preset's 4,000 / 2,000,000 / 400,000 become the organization's 5,000 / 5,000,000 / 1,000,000.
  const Group& sonnet = group(p, "sonnet-4");
  CHECK(sonnet.limits.rpm == 5000);
  CHECK(sonnet.limits.itpm == 5'000'000);
  CHECK(sonnet.limits.otpm == 1'000'000);
  CHECK_FALSE(sonnet.limits.tpm);
  CHECK(sonnet.limits_source == "org.json");
  // The other groups are as they were.
  CHECK(group(p, "opus-4").limits.itpm == 2'000'000);
  CHECK(group(p, "opus-4").limits_source.empty());
  CHECK(p.groups.size() == 3);
}

TEST_CASE("a limiter type the entry omits keeps the provider's value", "[scenario][rate_limits]") {
  ProviderConfig p = tier4();
  lay_over(listing({model_group("Claude Haiku 4.5", R"(["claude-haiku-4-5"])",
                             R"([{"type": "input_tokens_per_minute", "value": 6000000}])")}),
        p);
  CHECK(group(p, "haiku-4-5").limits.rpm == 4000);
  CHECK(group(p, "haiku-4-5").limits.itpm == 6'000'000);
  CHECK(group(p, "haiku-4-5").limits.otpm == 800'000);
}

TEST_CASE("aliases match: a dated id in the listing, or a dated model in the scenario", "[scenario][rate_limits]") {
  ProviderConfig p = tier4();
  p.models.push_back(Model{.name = "claude-sonnet-5-20261101", .group = "sonnet-5"});
  p.groups.push_back(Group{.name = "sonnet-5", .limits = {.rpm = 50}});
  lay_over(listing({model_group("Claude Haiku 4.5", R"(["claude-haiku-4-5-20251001"])",
                             R"([{"type": "requests_per_minute", "value": 7000}])"),
                 model_group("Claude Sonnet 5", R"(["claude-sonnet-5"])",
                             R"([{"type": "requests_per_minute", "value": 8000}])")}),
        p);
  CHECK(group(p, "haiku-4-5").limits.rpm == 7000);
  CHECK(group(p, "sonnet-5").limits.rpm == 8000);
}

TEST_CASE("an entry that splits a group moves its models to a new group, with a warning", "[scenario][rate_limits]") {
  ProviderConfig p = tier4();
  // Line 3 is the entry, after four blanks.
  const auto warnings = lay_over(listing({model_group("Claude Opus 4.5 / 4.6", R"(["claude-opus-4-5", "claude-opus-4-6"])",
                                                   R"([{"type": "requests_per_minute", "value": 6000}])")}),
                              p);
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0] ==
        "org.json:3:5: entry 'Claude Opus 4.5 / 4.6' pools claude-opus-4-5, claude-opus-4-6 differently "
        "from the provider (group 'opus-4' also holds claude-opus-4-1): they now share a new limit "
        "group 'claude-opus-4-5-4-6'");
  CHECK(group_of(p, "claude-opus-4-5") == "claude-opus-4-5-4-6");
  CHECK(group_of(p, "claude-opus-4-6") == "claude-opus-4-5-4-6");
  CHECK(group_of(p, "claude-opus-4-1") == "opus-4");
  // The new group: the entry's rpm, the old group's itpm and otpm, limiter and burst.
  const Group& made = group(p, "claude-opus-4-5-4-6");
  CHECK(made.limits.rpm == 6000);
  CHECK(made.limits.itpm == 2'000'000);
  CHECK(made.limits.otpm == 400'000);
  CHECK(made.limiter == LimiterKind::kSlidingWindow);
  CHECK(made.limits_source == "org.json");
  // opus-4 keeps claude-opus-4-1 and its own limits.
  CHECK(group(p, "opus-4").limits.rpm == 4000);
  CHECK(group(p, "opus-4").limits_source.empty());
}

TEST_CASE("an entry that pools models of several groups makes one group of them", "[scenario][rate_limits]") {
  ProviderConfig p = tier4();
  const auto warnings = lay_over(listing({model_group("Claude 4.x", R"(["claude-haiku-4-5", "claude-sonnet-4-5", "claude-sonnet-4-6"])",
                                                   R"([{"type": "requests_per_minute", "value": 9000}])")}),
                              p);
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0] ==
        "org.json:3:5: entry 'Claude 4.x' pools claude-haiku-4-5, claude-sonnet-4-5, claude-sonnet-4-6 "
        "differently from the provider (they are in groups 'haiku-4-5', 'sonnet-4'): they now share a "
        "new limit group 'claude-4-x'");
  // The budgets the entry omits take the smaller of the old groups': itpm min(4,000,000,
  // 2,000,000) = 2,000,000, otpm min(800,000, 400,000) = 400,000.
  const Group& made = group(p, "claude-4-x");
  CHECK(made.limits.rpm == 9000);
  CHECK(made.limits.itpm == 2'000'000);
  CHECK(made.limits.otpm == 400'000);
  // Both old groups are left without models, and removed: opus-4 and the new one remain.
  CHECK(p.groups.size() == 2);
  CHECK(group_of(p, "claude-haiku-4-5") == "claude-4-x");
}

TEST_CASE("a batch entry sets the Message Batches API's requests per minute", "[scenario][rate_limits]") {
  ProviderConfig p = tier4();
  CHECK_FALSE(p.batch_rpm);
  const auto warnings = lay_over(listing({R"({"group": {"type": "batch"}, "group_type": "batch", "models": null,
                                          "limits": [{"type": "requests_per_minute", "value": 4000}]})"}),
                              p);
  CHECK(warnings.empty());
  CHECK(p.batch_rpm == 4000);
}

TEST_CASE("other group types and unknown limiter types are named in warnings", "[scenario][rate_limits]") {
  ProviderConfig p = tier4();
  const auto warnings = lay_over(
      listing({model_group("Claude Sonnet 4.x", R"(["claude-sonnet-4-5", "claude-sonnet-4-6"])",
                           R"([{"type": "requests_per_day", "value": 100000}, {"type": "requests_per_minute", "value": 5000}])"),
               R"({"group": {"type": "batch"}, "group_type": "batch", "models": null, "limits": [{"type": "requests_in_queue", "value": 500000}]})",
               R"({"group": {"type": "files"}, "group_type": "files", "models": null, "limits": [{"type": "requests_per_minute", "value": 100}]})",
               R"({"group": {"type": "web_search"}, "group_type": "web_search", "models": null, "limits": []})"}),
      p);
  // Line 3 holds the Sonnet entry; its first limiter object begins after four blanks and
  // `{"group": {"type": "model_group", "display_name": "Claude Sonnet 4.x"}, "group_type":
  // "model_group", "models": ["claude-sonnet-4-5", "claude-sonnet-4-6"], "limits": [` (166
  // characters): column 4 + 166 + 1 = 171. The batch entry is line 4, after four blanks and
  // `{"group": {"type": "batch"}, "group_type": "batch", "models": null, "limits": [` (79):
  // column 84.
  REQUIRE(warnings.size() == 3);
  CHECK(warnings[0] ==
        "org.json:3:171: limiter type 'requests_per_day' of entry 'Claude Sonnet 4.x' is not applied: "
        "ratesim knows requests_per_minute, input_tokens_per_minute, output_tokens_per_minute, "
        "tokens_per_minute for a model group");
  CHECK(warnings[1] ==
        "org.json:4:84: limiter type 'requests_in_queue' of entry 'batch' is not applied: ratesim knows "
        "requests_per_minute for the Message Batches API");
  CHECK(warnings[2] ==
        "org.json: the entries of group types files (line 5), web_search (line 6) are not applied: "
        "ratesim simulates the limits of model groups and of the Message Batches API");
  CHECK(group(p, "sonnet-4").limits.rpm == 5000);  // the limiter types it knows still apply
  CHECK_FALSE(p.batch_rpm);
}

TEST_CASE("entries for models the scenario does not define change nothing and say nothing", "[scenario][rate_limits]") {
  ProviderConfig p = tier4();
  const ProviderConfig before = p;
  CHECK(lay_over(listing({model_group("Claude Haiku 3.5", R"(["claude-3-5-haiku-20241022"])",
                                   R"([{"type": "requests_per_minute", "value": 1}])")}),
              p)
            .empty());
  CHECK(p.groups.size() == before.groups.size());
  CHECK(group(p, "haiku-4-5").limits.rpm == 4000);
}

TEST_CASE("a listing that is one page of several says so", "[scenario][rate_limits]") {
  ProviderConfig p = tier4();
  const auto warnings = lay_over(listing({}, R"("page_2")"), p);
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0] ==
        "org.json: next_page is not null: the file is one page of several, and the entries of later "
        "pages are not read (saved without a 'limit' parameter, the listing comes in one page)");
}

TEST_CASE("a model two entries list is an error at its second listing", "[scenario][rate_limits]") {
  ProviderConfig p = tier4();
  try {
    lay_over(listing({model_group("A", R"(["claude-haiku-4-5"])", "[]"),
                   model_group("B", R"(["claude-haiku-4-5-20251001"])", "[]")}),
          p);
    FAIL("expected an InputError");
  } catch (const InputError& e) {
    // Line 4: four blanks and `{"group": {"type": "model_group", "display_name": "B"},
    // "group_type": "model_group", "models": [` (96 characters): the name at column 101.
    CHECK(std::string(e.what()) ==
          "org.json:4:101: model 'claude-haiku-4-5-20251001' is listed by entries 'A' (line 3) and 'B': "
          "expected each model in one rate-limit group");
  }
}
