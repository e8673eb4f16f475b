#include "sim/scenario/rate_limits_reader.hpp"

#include <catch2/catch.hpp>

#include "sim/scenario/input_error.hpp"

using namespace ratesim::scenario;

namespace {

// A saved GET /v1/organizations/rate_limits, as the Admin API documents its shape (2026).
const std::string kListing = R"({
  "data": [
    {
      "type": "rate_limit",
      "id": "rl_1",
      "group": {"type": "model_group", "id": "rlg_s", "display_name": "Claude Sonnet 4.x"},
      "group_type": "model_group",
      "models": ["claude-sonnet-4-5", "claude-sonnet-4-6"],
      "limits": [
        {"type": "requests_per_minute", "value": 5000},
        {"type": "input_tokens_per_minute", "value": 5000000}
      ]
    },
    {"type": "rate_limit", "id": "rl_2", "group": {"type": "batch", "id": "rlg_b"}, "group_type": "batch",
     "models": null, "limits": [{"type": "requests_per_minute", "value": 4000}]}
  ],
  "next_page": null
})";

std::string parse_error(const std::string& text) {
  try {
    parse_rate_limits(text, "org.json");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

/// kListing with `from` replaced by `to`.
std::string with(const std::string& from, const std::string& to) {
  std::string s = kListing;
  const auto at = s.find(from);
  REQUIRE(at != std::string::npos);
  s.replace(at, from.size(), to);
  return s;
}

}  // namespace

TEST_CASE("a saved rate-limits listing reads into its entries, with where each stands", "[scenario][rate_limits]") {
  const RateLimitsFile f = parse_rate_limits(kListing, "org.json");
  CHECK(f.path == "org.json");
  CHECK_FALSE(f.more_pages);
  REQUIRE(f.entries.size() == 2);
  const RateLimitEntry& sonnet = f.entries[0];
  CHECK(sonnet.id == "rl_1");
  CHECK(sonnet.group_type == "model_group");
  CHECK(sonnet.group_id == "rlg_s");
  CHECK(sonnet.display_name == "Claude Sonnet 4.x");
  CHECK(sonnet.label() == "'Claude Sonnet 4.x'");
  CHECK(sonnet.models == std::vector<std::string>{"claude-sonnet-4-5", "claude-sonnet-4-6"});
  // Line 3 is "    {": the entry's object begins at column 5. Line 8 is
  // `      "models": ["claude-sonnet-4-5", ...`: 6 blanks, "models" (8), ": [" (3), so the first
  // name's quote is column 6 + 8 + 3 + 1 = 18, and the second 18 + 19 + 2 = 39.
  CHECK((sonnet.at.line == 3 && sonnet.at.column == 5));
  CHECK((sonnet.model_at[0].line == 8 && sonnet.model_at[0].column == 18));
  CHECK((sonnet.model_at[1].line == 8 && sonnet.model_at[1].column == 39));
  REQUIRE(sonnet.limits.size() == 2);
  CHECK(sonnet.limits[0].type == "requests_per_minute");
  CHECK(sonnet.limits[0].value == 5000);
  CHECK(sonnet.limits[1].value == 5'000'000);
  // Line 10: 8 blanks, then the limiter's object.
  CHECK((sonnet.limits[0].at.line == 10 && sonnet.limits[0].at.column == 9));
  const RateLimitEntry& batch = f.entries[1];
  CHECK(batch.group_type == "batch");
  CHECK(batch.label() == "'batch'");
  CHECK(batch.models.empty());
  CHECK(batch.limits[0].value == 4000);
  CHECK(batch.index == 1);
}

TEST_CASE("a listing names its group type inside the group when group_type is absent", "[scenario][rate_limits]") {
  const RateLimitsFile f = parse_rate_limits(with(R"("group_type": "batch",)", ""), "org.json");
  CHECK(f.entries[1].group_type == "batch");
}

TEST_CASE("a next_page cursor marks the file as one page of several", "[scenario][rate_limits]") {
  CHECK(parse_rate_limits(with(R"("next_page": null)", R"("next_page": "page_2")"), "org.json").more_pages);
}

TEST_CASE("a malformed listing is an error at file:line:col naming the value and what was expected",
          "[scenario][rate_limits]") {
  SECTION("bad JSON: the position the parser stopped at, as line and column") {
    // "{\n", "  \"data\": [\n", then four blanks and x: line 3, column 5.
    CHECK(parse_error("{\n  \"data\": [\n    x\n  ]\n}") ==
          "org.json:3:5: invalid JSON at 'x': invalid literal; expected a JSON value: an object, a "
          "list, a string, a number, true, false or null");
    CHECK(parse_error(R"({"data": [1,]})") ==
          "org.json:1:13: invalid JSON at ']': unexpected ']'; expected '[', '{', or a literal");
    CHECK(parse_error(R"({"data": )") ==
          "org.json:1:10: invalid JSON at end of input: unexpected end of input; expected '[', '{', or "
          "a literal");
  }
  SECTION("a string where a limit value goes") {
    // Line 10 is `        {"type": "requests_per_minute", "value": 5000},`: the value begins
    // after 8 blanks and `{"type": "requests_per_minute", "value": ` (41): column 50.
    CHECK(parse_error(with("\"value\": 5000}", "\"value\": \"5000\"}")) ==
          "org.json:10:50: invalid value \"5000\" for limiter 'requests_per_minute' of entry 'Claude "
          "Sonnet 4.x': expected a whole number from 1 to 1000000000");
  }
  SECTION("a limit value that is not a positive whole number") {
    for (const std::string v : {"0", "-5", "50.5", "null", "2000000000"})
      CHECK(parse_error(with("\"value\": 5000}", "\"value\": " + v + "}")) ==
            "org.json:10:50: invalid value " + v + " for limiter 'requests_per_minute' of entry "
            "'Claude Sonnet 4.x': expected a whole number from 1 to 1000000000");
  }
  SECTION("data missing, or not a list") {
    CHECK(parse_error(R"({"next_page": null})") ==
          "org.json:1:1: no 'data': expected the response of GET /v1/organizations/rate_limits, an "
          "object with a 'data' list of rate-limit entries");
    CHECK(parse_error(R"({"data": {"models": []}})") ==
          "org.json:1:10: invalid value {...} for 'data': expected a list of rate-limit entries");
    CHECK(parse_error("[]") ==
          "org.json:1:1: invalid value [...]: expected the response of GET "
          "/v1/organizations/rate_limits, an object with a 'data' list");
  }
  SECTION("entries that lack what the listing always has") {
    // Line 14 is the batch entry, `    {"type": ...`: column 5.
    CHECK(parse_error(with(R"("group": {"type": "batch", "id": "rlg_b"}, "group_type": "batch",)", "")) ==
          "org.json:14:5: data[1] has no 'group_type': expected one of model_group, batch, files, "
          "skills, token_count, web_search");
    CHECK(parse_error(with(R"("models": ["claude-sonnet-4-5", "claude-sonnet-4-6"],)", R"("models": null,)")) ==
          "org.json:3:5: model_group entry 'Claude Sonnet 4.x' lists no models: expected 'models', a "
          "list of model names");
    CHECK(parse_error(with(R"("claude-sonnet-4-6")", "4")) ==
          "org.json:8:39: invalid value 4 in the models of entry 'Claude Sonnet 4.x': expected a model "
          "name");
    CHECK(parse_error(with(R"(, "limits": [{"type": "requests_per_minute", "value": 4000}])", "")) ==
          R"(org.json:14:5: entry 'batch' has no 'limits': expected a list of {"type": ..., "value": ...})");
    // Line 15: five blanks and `"models": null, "limits": [` (27): the limiter at column 33.
    CHECK(parse_error(with(R"({"type": "requests_per_minute", "value": 4000})", R"({"value": 4000})")) ==
          "org.json:15:33: a limiter of entry 'batch' has no 'type': expected a string such as "
          "\"requests_per_minute\"");
    CHECK(parse_error(with(R"("input_tokens_per_minute")", R"("requests_per_minute")")) ==
          "org.json:11:9: limiter type 'requests_per_minute' appears twice in entry 'Claude Sonnet "
          "4.x': expected each limiter type once");
  }
}

TEST_CASE("a rate-limits file that is not there is an error naming its path", "[scenario][rate_limits]") {
  try {
    read_rate_limits("no-such-dir/org.json");
    FAIL("expected an InputError");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()) == "no-such-dir/org.json: cannot open rate-limits file: No such file or directory");
  }
}
