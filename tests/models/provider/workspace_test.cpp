// Workspaces: a workload's requests must fit its workspace's caps as well as the organization's
// limits; a refusal by a cap is its own cause (scope workspace) everywhere it is reported.
#include <catch2/catch.hpp>

#include "models/provider/provider.hpp"
#include "sim/metrics/diagnosis.hpp"
#include "sim/report/summary_json.hpp"
#include "sim/report/summary_table.hpp"
#include "test_support.hpp"

using namespace ratesim;
using namespace ratesim::models;
using namespace ratesim::models::provider;
using namespace std::chrono_literals;
using kernel::Distribution;
using kernel::kTimeZero;

namespace {
/// Organization: itpm 60,000 and otpm 6,000 (burst 60 s: buckets of a minute's worth). Workspace
/// "batch" caps itpm at 6,000 and otpm at 600; "open" caps nothing.
ProviderConfig org_with_workspace() {
  return ProviderConfig{
      .models = {Model{.name = "m",
                       .group = "g",
                       .price = {.input = 1.0, .output = 5.0},
                       .latency = {.ttft = Distribution::constant(0.5), .output_tps = Distribution::constant(100)},
                       .cache = {}}},
      .groups = {Group{.name = "g", .limits = Limits{.itpm = 60'000, .otpm = 6'000}}},
      .workspaces = {Workspace{.name = "batch", .caps = {{.group = "g", .limits = Limits{.itpm = 6'000, .otpm = 600}}}},
                     Workspace{.name = "open", .caps = {}}}};
}
Request request(std::uint16_t workload, std::uint32_t prompt, std::uint32_t output, std::uint32_t max_tokens) {
  Request r;
  r.workload = workload;
  r.prompt = prompt;
  r.output_tokens = output;
  r.max_tokens = max_tokens;
  return r;
}
}  // namespace

TEST_CASE("a request must fit its workspace's cap as well as the organization's limit", "[provider][workspace]") {
  Provider p(org_with_workspace(), 1);
  p.set_workspace(0, 0);  // workload 0 in "batch"; workload 1 in no workspace
  Request a = request(0, 5'000, 10, 10);
  RateLimitHeaders h{};
  // 5,000 fits both: the cap keeps 1,000, the organization 55,000.
  REQUIRE(p.decide(kTimeZero, a, &h).attempt.result.outcome == AttemptOutcome::kOk);
  CHECK(h[1].limit == 6'000);  // the headers speak of the scope with less room
  CHECK(h[1].remaining == 1'000);
  // Another 5,000 in the same workspace: the cap has 1,000 and refills 100 a second, so it needs
  // (5,000 − 1,000) / 100 = 40 s; the organization had room.
  const Decision refused = p.decide(kTimeZero, a, &h);
  CHECK(refused.attempt.result.outcome == AttemptOutcome::k429);
  CHECK(refused.attempt.result.cause == LimitCause::kItpm);
  CHECK(refused.attempt.result.scope == Scope::kWorkspace);
  CHECK(refused.attempt.result.retry_after == 40s);
  CHECK(refused.attempt.workspace_group != kNoGroup);
  // The same request from outside the workspace passes: 55,000 − 5,000 = 50,000 left.
  Request b = request(1, 5'000, 10, 10);
  const Decision other = p.decide(kTimeZero, b, &h);
  CHECK(other.attempt.result.outcome == AttemptOutcome::kOk);
  CHECK(other.attempt.workspace_group == kNoGroup);
  CHECK(h[1].limit == 60'000);
  CHECK(h[1].remaining == 50'000);
}

TEST_CASE("the organization's limit binds a workspace whose cap has room", "[provider][workspace]") {
  Provider p(org_with_workspace(), 1);
  p.set_workspace(0, 0);
  // Workload 1 (no workspace) takes 58,000 of the organization's 60,000; a 5,000 request in the
  // workspace fits its cap (6,000) but not the organization (2,000 left, 1,000 a second: 3 s),
  // so the cause is the organization's itpm.
  Request big = request(1, 58'000, 1, 1);
  REQUIRE(p.decide(kTimeZero, big).attempt.result.outcome == AttemptOutcome::kOk);
  Request a = request(0, 5'000, 1, 1);
  const Decision d = p.decide(kTimeZero, a);
  CHECK(d.attempt.result.cause == LimitCause::kItpm);
  CHECK(d.attempt.result.scope == Scope::kOrganization);
  CHECK(d.attempt.result.retry_after == 3s);
}

TEST_CASE("a reserved output refund reaches the workspace's cap and the organization's budget", "[provider][workspace]") {
  Provider p(org_with_workspace(), 1);
  p.set_workspace(0, 0);
  // max_tokens 500 reserved from both: the cap keeps 100 (of 600, refilling 10 a second).
  Request a = request(0, 10, 100, 500);
  const Decision first = p.decide(kTimeZero, a);
  REQUIRE(first.attempt.result.outcome == AttemptOutcome::kOk);
  CHECK(first.settle_output == 400);
  CHECK(p.decide(kTimeZero, a).attempt.result.scope == Scope::kWorkspace);  // 100 < 500
  // Done at 1 s: the unused 400 come back to both. The cap holds 100 + 10 + 400 = 510, so 500 fit.
  CHECK(p.complete(kTimeZero + 1s, first.settle_group, kTimeZero, first.settle_output) == -400);
  CHECK(p.decide(kTimeZero + 1s, a).attempt.result.outcome == AttemptOutcome::kOk);
}

TEST_CASE("two teams, one capped: the cap protects the other team and is named as the cure", "[world][workspace]") {
  // Organization itpm 600,000 (a bucket of 600,000); the batch team's workspace caps it at
  // 60,000. At t = 0 the batch team sends 20 requests of 5,000 tokens at once, never retried:
  // 60,000 / 5,000 = 12 pass and 8 are refused by the cap. The chat team's 5 requests of 5,000
  // find 600,000 − 60,000 = 540,000 and all pass.
  const std::string yaml =
      "name: teams\nduration: 10m\nprovider:\n"
      "  models:\n    m:\n      limits: {rpm: 10000, itpm: 600000}\n      price: {input: 1, output: 5}\n"
      "      latency: {ttft: 1s, output_tps: 100}\n"
      "  workspaces:\n    batch-team: {limits: {m: {itpm: 60000}}}\n    chat-team: {}\n"
      "workloads:\n"
      "  - {name: backfill, model: m, workspace: batch-team, backlog: {count: 20}, input_tokens: 5000, "
      "output_tokens: 10, max_tokens: 10}\n"
      "  - {name: chat, model: m, workspace: chat-team, backlog: {count: 5}, input_tokens: 5000, "
      "output_tokens: 10, max_tokens: 10}\n";
  const metrics::Summary s = testing::run_yaml(yaml);
  const std::size_t ws_itpm = refusal_index(Scope::kWorkspace, LimitCause::kItpm);
  CHECK(s.workloads[0].r429[ws_itpm] == 8);
  CHECK(s.workloads[0].r429_of(LimitCause::kItpm) == 0);
  CHECK(s.workloads[0].requests(RequestOutcome::kOk) == 12);
  CHECK(s.workloads[1].r429_total() == 0);
  CHECK(s.workloads[1].requests(RequestOutcome::kOk) == 5);
  SECTION("summary.json carries the scope") {
    const auto j = report::summary_to_json(s);
    CHECK(j["workloads"]["backfill"]["workspace"] == "batch-team");
    CHECK(j["workloads"]["backfill"]["attempts"]["r429"]["workspace"]["itpm"] == 8);
    CHECK(j["total"]["attempts"]["r429"]["itpm"] == 0);
    CHECK(j["workspaces"]["batch-team"]["groups"]["m"]["budgets"]["itpm"]["limit"] == 60000);
    CHECK(j["workspaces"]["batch-team"]["groups"]["m"]["budgets"]["itpm"]["r429"] == 8);
    CHECK(j["groups"]["m"]["budgets"]["itpm"]["r429"] == 0);
    CHECK(j["diagnosis"]["first_limit"]["workspace"] == "batch-team");
  }
  SECTION("the table and the diagnosis name the workspace and its cap as the cure") {
    const std::string table = report::summary_table(s, false);
    CHECK(table.find("429 itpm (workspace batch-team)") != std::string::npos);
    CHECK(table.find("limit group m, workspace batch-team's caps") != std::string::npos);
    const metrics::Diagnosis d = metrics::diagnose(s);
    REQUIRE(d.causes.size() == 1);
    CHECK(d.causes[0].cause == "itpm (workspace batch-team)");
    CHECK(d.causes[0].count == 8);
    CHECK(d.causes[0].cure.find("workspace batch-team's own itpm cap, not the organization's limit") == 0);
  }
}

TEST_CASE("workspace settings that cannot hold are refused with their place", "[scenario][workspace]") {
  const std::string head =
      "name: w\nduration: 1m\nprovider:\n"
      "  models:\n    m:\n      limits: {rpm: 100, itpm: 600000}\n      price: {input: 1, output: 5}\n"
      "      latency: {ttft: 1s, output_tps: 100}\n";
  const std::string workload = "workloads:\n  - {name: a, model: m, workspace: batch, backlog: {count: 1}}\n";
  CHECK(testing::load_error(head + "  workspaces:\n    batch: {limits: {n: {itpm: 1000}}}\n" + workload) ==
        "test.yaml:10:22: unknown limit group 'n' in workspace 'batch': the provider's groups are m");
  CHECK(testing::load_error(head + "  workspaces:\n    batch: {limits: {m: {itpm: 700000}}}\n" + workload) ==
        "test.yaml:10:32: invalid value 700000 for 'itpm' of workspace 'batch', group 'm': expected at most "
        "the organization's limit 600000 (a workspace's cap can only be lower)");
  CHECK(testing::load_error(head + "  workspaces:\n    batch: {limits: {m: {otpm: 1000}}}\n" + workload) ==
        "test.yaml:10:32: workspace 'batch' caps otpm of group 'm', which the organization does not limit: "
        "expected only budgets the group has");
  CHECK(testing::load_error(head + "  workspaces:\n    batch: {limits: {m: {}}}\n" + workload) ==
        "test.yaml:10:25: limits of workspace 'batch', group 'm' name no budget: expected at least one of "
        "rpm, itpm, otpm, tpm");
  CHECK(testing::load_error(head + "  workspaces:\n    bach: {}\n" + workload) ==
        "test.yaml:12:36: unknown workspace 'batch' in workload 'a' (did you mean 'bach'?): expected one of "
        "provider.workspaces (bach)");
  CHECK(testing::load_error(head + workload) ==
        "test.yaml:10:36: unknown workspace 'batch' in workload 'a': expected one of provider.workspaces "
        "(none declared)");
}
