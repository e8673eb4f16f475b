// The ratesim binary as a user meets it: exit codes, messages and output files.
#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "sim/cli/commands.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;

namespace {

using Result = ratesim::testing::BinaryResult;
using ratesim::testing::slurp;

Result run_binary(const std::string& args) { return ratesim::testing::run_ratesim(args); }

std::string quickstart() { return ratesim::testing::source_path("scenarios/quickstart.yaml"); }

}  // namespace

TEST_CASE("ratesim --help and ratesim run --help explain themselves", "[cli]") {
  const Result top = run_binary("--help");
  CHECK(top.code == 0);
  CHECK(top.out.find("run FILE") != std::string::npos);
  // Every command of the table that main dispatches through is listed, reaches its own
  // function (whose help names it), and no other word is taken for a command.
  REQUIRE_FALSE(ratesim::cli::commands().empty());
  for (const ratesim::cli::Command& c : ratesim::cli::commands()) {
    const std::string name(c.name);
    CAPTURE(name);
    CHECK(top.out.find("\n  " + name + " " + std::string(c.arguments)) != std::string::npos);
    const Result help = run_binary(name + " --help");
    CHECK(help.code == 0);
    CHECK(help.out.rfind("Usage: ratesim " + name + " ", 0) == 0);
  }
  CHECK(ratesim::cli::find_command("help") == nullptr);
  const Result run = run_binary("run --help");
  CHECK(run.code == 0);
  CHECK(run.out.find("--out") != std::string::npos);
  CHECK(run.out.find("--set") != std::string::npos);
}

TEST_CASE("a shared option refuses a bad value with the same message in every command that takes it", "[cli]") {
  struct Bad {
    std::string option, value, message;
    int takers;  ///< the commands whose help lists the option
  };
  const std::vector<Bad> cases{
      {"--seed", "1.5", "ratesim: invalid value '1.5' for --seed: expected a whole number >= 0\n", 6},
      {"--jobs", "257", "ratesim: invalid value '257' for --jobs: expected a whole number from 1 to 256\n", 6},
      {"--replications", "0",
       "ratesim: invalid value '0' for --replications: expected a whole number from 1 to 10000\n", 4},
      {"--variant", "''", "ratesim: invalid value '' for --variant: expected the name of one of the scenario's variants\n", 5},
      // An InputError: the argument is its place, as it is for every other --set problem.
      {"--set", "duration", "--set duration: expected PATH=VALUE, e.g. --set workloads.chat.deadline=30s\n", 7},
  };
  // The value is checked as the command line is read, before any file: the same FILE (or LOG)
  // argument serves every command, whatever else it would need.
  for (const Bad& bad : cases) {
    CAPTURE(bad.option);
    int takers = 0;
    for (const ratesim::cli::Command& c : ratesim::cli::commands()) {
      const std::string name(c.name);
      if (run_binary(name + " --help").out.find("\n  " + bad.option + " ") == std::string::npos) continue;
      CAPTURE(name);
      ++takers;
      const Result r = run_binary(name + " " + quickstart() + " " + bad.option + " " + bad.value);
      CHECK(r.code == 2);
      CHECK(r.err == bad.message);
    }
    // seed: run, compare, sweep, search, check, backtest; jobs: those but backtest, and
    // calibrate; replications: compare, sweep, search, check; variant: run, compare, sweep,
    // search, backtest; set: seed's six and validate.
    CHECK(takers == bad.takers);
  }
}

TEST_CASE("ratesim run prints a summary and writes its files with --out", "[cli]") {
  const fs::path out = fs::temp_directory_path() / "ratesim-cli-run";
  fs::remove_all(out);
  const Result r = run_binary("run " + quickstart() + " --out " + out.string());
  REQUIRE(r.code == 0);
  CHECK(r.out.find("429 itpm") != std::string::npos);
  CHECK(r.out.find("p99") != std::string::npos);
  CHECK(r.out.find("cost, USD") != std::string::npos);
  CHECK(slurp(out / "summary.json").find("\"schema\": \"ratesim.summary/2\"") != std::string::npos);
  CHECK(slurp(out / "timeseries.csv").rfind("t_s,workload,arrivals,", 0) == 0);
  CHECK(slurp(out / "limits.csv").rfind("t_s,group,scope,budget,used_frac,limit\n0,haiku-4-5,organization,rpm,", 0) == 0);
  // Nothing but the three files: no temporary left behind.
  CHECK(std::distance(fs::directory_iterator(out), fs::directory_iterator{}) == 3);
  fs::remove_all(out);
}

TEST_CASE("run shows the run without acceleration limits, names its assumptions, and writes sensitivity.csv",
          "[cli]") {
  const fs::path out = fs::temp_directory_path() / ("ratesim-cli-sensitivity-" + std::to_string(::getpid()));
  fs::remove_all(out);
  const Result r = run_binary("run " + quickstart() + " --sensitivity --jobs 2 --out " + out.string());
  REQUIRE(r.code == 0);
  CHECK(r.out.find("without acceleration limits (same scenario and seed; budgets only)") != std::string::npos);
  CHECK(r.out.find("429 acceleration, itpm-bound") != std::string::npos);
  CHECK(r.out.find("\nassumed, not published: burst 1m; acceleration moderate;") != std::string::npos);
  CHECK(r.out.find("sensitivity: each assumption") != std::string::npos);
  const auto summary = nlohmann::json::parse(slurp(out / "summary.json"));
  CHECK(summary["counterfactual"]["without_acceleration"]["attempts"]["r429"]["acceleration"] == 0);
  CHECK(summary["counterfactual"]["without_acceleration"]["requests"]["arrived"] ==
        summary["total"]["requests"]["arrived"]);
  bool burst_assumed = false;
  for (const auto& a : summary["assumptions"])
    if (a["path"] == "provider.burst") burst_assumed = a["basis"] == "assumed";
  CHECK(burst_assumed);
  CHECK(slurp(out / "sensitivity.csv").rfind("assumption,level,value,", 0) == 0);
  fs::remove_all(out);
}

TEST_CASE("ratesim search answers, writes its files, and exits 1 when nothing qualifies", "[cli]") {
  const fs::path out = fs::temp_directory_path() / ("ratesim-cli-search-" + std::to_string(::getpid()));
  fs::remove_all(out);
  const std::string backfill = ratesim::testing::source_path("scenarios/backfill.yaml");
  const std::string vary = " --vary workloads.backfill.client.0.retry.max_retries=0..8 --integer --minimize";
  const Result r = run_binary("search " + backfill + vary + " --require 'total.requests.gave_up <= 300' --out " + out.string());
  REQUIRE(r.code == 0);
  CHECK(r.out.find("answer: workloads.backfill.client.0.retry.max_retries = ") != std::string::npos);
  const auto json = nlohmann::json::parse(slurp(out / "search.json"));
  CHECK(json["schema"] == "ratesim.search/1");
  CHECK(json["answer"].is_number());
  CHECK(json["evaluations"].size() >= 5);
  CHECK(slurp(out / "search.csv").rfind("order,value,feasible,total.requests.gave_up,", 0) == 0);
  const Result none = run_binary("search " + backfill + vary + " --require 'total.requests.gave_up < 0'");
  CHECK(none.code == 1);
  CHECK(none.out.find("no value in the range meets the requirements") != std::string::npos);
  const Result bad = run_binary("search " + backfill + vary + " --require 'total.request.gave_up <= 1'");
  CHECK(bad.code == 2);
  CHECK(bad.err.find("unknown metric 'total.request.gave_up' (did you mean 'total.requests.gave_up'?)") != std::string::npos);
  fs::remove_all(out);
}

TEST_CASE("bad input exits 2 with file:line:col", "[cli]") {
  const fs::path bad = fs::temp_directory_path() / "ratesim-bad.yaml";
  {
    std::ofstream f(bad);
    f << "name: x\nduration: forever\n";
  }
  const Result r = run_binary("run " + bad.string());
  CHECK(r.code == 2);
  CHECK(r.err.find(bad.string() + ":2:11: invalid duration 'forever'") == 0);
  CHECK(r.out.empty());
}

TEST_CASE("usage errors exit 2 with a hint", "[cli]") {
  CHECK(run_binary("").code == 2);
  const Result unknown = run_binary("frobnicate");
  CHECK(unknown.code == 2);
  CHECK(unknown.err == "ratesim: unknown command 'frobnicate' (see 'ratesim --help')\n");
  const Result interval = run_binary("run " + quickstart() + " --interval 0s");
  CHECK(interval.code == 2);
  CHECK(interval.err.find("invalid value '0s' for --interval") != std::string::npos);
  CHECK(run_binary("run " + quickstart() + " --no-such-option").code == 2);
  CHECK(run_binary("run").code == 2);
}

TEST_CASE("a failed run leaves no output files", "[cli]") {
  const fs::path out = fs::temp_directory_path() / "ratesim-cli-fail";
  fs::remove_all(out);
  const Result r = run_binary("run " + quickstart() + " --set duration=never --out " + out.string());
  CHECK(r.code == 2);
  CHECK((!fs::exists(out) || fs::is_empty(out)));
}

TEST_CASE("run with json prints the summary for machines and --seed overrides the seed", "[cli]") {
  const Result r = run_binary("run " + quickstart() + " --json --seed 99");
  REQUIRE(r.code == 0);
  CHECK(r.out.rfind("{\n  \"schema\": \"ratesim.summary/2\"", 0) == 0);
  CHECK(r.out.find("\"seed\": 99") != std::string::npos);
}

TEST_CASE("ratesim validate accepts a good file and rejects a bad one", "[cli]") {
  const Result ok = run_binary("validate " + quickstart());
  CHECK(ok.code == 0);
  CHECK(ok.out.rfind("ok: quickstart", 0) == 0);
  const Result bad = run_binary("validate " + quickstart() + " --set workloads.chat.model=nope");
  CHECK(bad.code == 2);
  CHECK(bad.err.find("unknown model 'nope'") != std::string::npos);
}

TEST_CASE("ratesim presets lists the tiers and prints one with its sources", "[cli]") {
  const Result list = run_binary("presets");
  CHECK(list.code == 0);
  for (const char* tier : {"anthropic/tier-1", "anthropic/tier-2", "anthropic/tier-3", "anthropic/tier-4"})
    CHECK(list.out.find(tier) != std::string::npos);
  // Each with the date of its numbers; a superseded one with its successor.
  CHECK(list.out.find("anthropic/build   2026-10  Anthropic API, Build tier: the middle standard tier.\n") !=
        std::string::npos);
  CHECK(list.out.find("anthropic/tier-2  2026-04  Anthropic API, usage tier 2 (cumulative deposit $40). "
                      "[superseded since 2026-06 by anthropic/start]\n") != std::string::npos);
  // The unconfirmed models say so in the file.
  const Result start = run_binary("presets anthropic/start");
  CHECK(start.code == 0);
  CHECK(start.out.find("unconfirmed: \"no copy of the rate-limits page reports its limits") != std::string::npos);
  const Result one = run_binary("presets anthropic/tier-2");
  CHECK(one.code == 0);
  CHECK(one.out.find("date: 2026-04") != std::string::npos);
  CHECK(one.out.find("haiku-4-5:  {limits: {rpm: 1000, itpm: 450000, otpm: 90000}}") != std::string::npos);
  const Result bad = run_binary("presets anthropic/tier-5");
  CHECK(bad.code == 2);
  CHECK(bad.err.find("unknown preset 'anthropic/tier-5'") != std::string::npos);
}

TEST_CASE("validate --resolved prints the scenario with its preset expanded", "[cli]") {
  const Result r = run_binary("validate " + quickstart() +
                              " --resolved --set provider.groups.haiku-4-5.limits.rpm=1234");
  REQUIRE(r.code == 0);
  CHECK(r.out.find("preset: anthropic/tier-2") == std::string::npos);  // replaced by its content
  CHECK(r.out.find("haiku-4-5: {limits: {rpm: 1234, itpm: 2000000, otpm: 400000}}") != std::string::npos);
  CHECK(r.out.find("initial_load: 0.4") != std::string::npos);
}

TEST_CASE("requests that can never fit a budget are warned about", "[cli]") {
  const fs::path file = fs::temp_directory_path() / "ratesim-never-fits.yaml";
  {
    std::ofstream f(file);
    f << "name: nf\nduration: 1m\n" << ratesim::testing::provider_yaml("{itpm: 1000}")
      << "workloads:\n  - {name: big, model: m, backlog: {count: 3}, input_tokens: 5000,"
         " output_tokens: 1, max_tokens: 1}\n";
  }
  const Result r = run_binary("run " + file.string());
  CHECK(r.code == 0);
  CHECK(r.err.find("warning: workload 'big': 3 requests can never pass") == 0);
  CHECK(r.out.find("429 itpm") != std::string::npos);
  CHECK(r.out.find("requests that never fit: 3") != std::string::npos);
}

TEST_CASE("ratesim compare puts the base and its variants side by side", "[cli]") {
  const std::string backfill = ratesim::testing::source_path("scenarios/backfill.yaml");
  const fs::path out = fs::temp_directory_path() / ("ratesim-compare-" + std::to_string(::getpid()));
  fs::remove_all(out);
  const Result r = run_binary("compare " + backfill + " --variant workers-8 --replications 3 --out " + out.string());
  REQUIRE(r.code == 0);
  CHECK(r.out.find("base") != std::string::npos);
  CHECK(r.out.find("workers-8") != std::string::npos);
  CHECK(r.out.find("3 replications, 95% intervals") != std::string::npos);
  CHECK(r.out.find(" ± ") != std::string::npos);
  const std::string csv = slurp(out / "compare.csv");
  CHECK(csv.rfind("variant,metric,value,ci_low,ci_high\nbase,total.requests.ok,", 0) == 0);
  CHECK(csv.find("\nworkers-8,total.cost_usd.total,") != std::string::npos);
  CHECK(fs::exists(out / "workers-8" / "summary.json"));
  CHECK(fs::exists(out / "base" / "timeseries.csv"));
  const Result bad = run_binary("compare " + backfill + " --variant nope");
  CHECK(bad.code == 2);
  CHECK(bad.err.find("no variant 'nope'") != std::string::npos);
  fs::remove_all(out);
}

TEST_CASE("compare never marks best a column that gets less done", "[cli]") {
  // backfill.yaml's base sends 1,000 prompts at once and completes about half: it costs least
  // and finishes first, but only because it abandons work.
  const Result r = run_binary("compare " + ratesim::testing::source_path("scenarios/backfill.yaml") +
                              " --variant workers-8");
  REQUIRE(r.code == 0);
  std::istringstream lines(r.out);
  std::string line, header, cost;
  while (std::getline(lines, line)) {
    if (line.find("base (!)") != std::string::npos) header = line;
    if (line.rfind("cost, USD", 0) == 0) cost = line;
  }
  REQUIRE_FALSE(header.empty());
  REQUIRE_FALSE(cost.empty());
  // The base's cell is the first after the label: no star; workers-8's is starred.
  std::istringstream cells(cost.substr(std::string("cost, USD").size()));
  std::string base_cell, next;
  cells >> base_cell >> next;
  CHECK(next != "*");
  CHECK(cost.substr(cost.size() - 1) == "*");
  CHECK(r.out.find("(!) base completes") != std::string::npos);
}

TEST_CASE("run with requests writes one row per request whose costs add up to the summary's", "[cli]") {
  const fs::path out = fs::temp_directory_path() / ("ratesim-requests-" + std::to_string(::getpid()));
  fs::remove_all(out);
  const Result r = run_binary("run " + ratesim::testing::source_path("scenarios/prompt-cache.yaml") +
                              " --requests --out " + out.string());
  REQUIRE(r.code == 0);
  std::ifstream csv(out / "requests.csv");
  std::string line;
  std::getline(csv, line);
  CHECK(line == "id,workload,model,arrival_s,first_send_s,done_s,outcome,attempts,r429,r529,"
                "input_tokens,cache_write_tokens,cache_read_tokens,output_tokens,cost_usd");
  int rows = 0;
  double cost = 0;
  while (std::getline(csv, line)) {
    ++rows;
    cost += std::stod(line.substr(line.rfind(',') + 1));
  }
  const auto summary = nlohmann::json::parse(slurp(out / "summary.json"));
  CHECK(rows == summary["total"]["requests"]["arrived"].get<int>());
  CHECK(cost == Approx(summary["total"]["cost_usd"]["total"].get<double>()).epsilon(1e-6));
  CHECK(run_binary("run " + ratesim::testing::source_path("scenarios/prompt-cache.yaml") + " --requests").code == 2);
  fs::remove_all(out);
}

TEST_CASE("run --requests=NAME names the file in --out, compressed when it ends in .gz", "[cli]") {
  const fs::path out = fs::temp_directory_path() / ("ratesim-requests-gz-" + std::to_string(::getpid()));
  fs::remove_all(out);
  const std::string scenario = ratesim::testing::source_path("scenarios/prompt-cache.yaml");
  // The flag before the scenario still leaves the scenario to be the FILE.
  REQUIRE(run_binary("run --requests " + scenario + " --out " + (out / "plain").string()).code == 0);
  REQUIRE(run_binary("run " + scenario + " --requests=rows.csv.gz --out " + (out / "gz").string()).code == 0);
  CHECK_FALSE(fs::exists(out / "gz" / "requests.csv"));
  REQUIRE(std::system(("zcat " + (out / "gz" / "rows.csv.gz").string() + " > " + (out / "rows.csv").string()).c_str()) == 0);
  CHECK(slurp(out / "rows.csv") == slurp(out / "plain" / "requests.csv"));
  for (const std::string bad : {"sub/rows.csv", "rows.txt", ".csv", "rows.csv.bz2", "", "limits.csv"}) {
    const Result r = run_binary("run " + scenario + " --requests=" + bad + " --out " + (out / "bad").string());
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Catch::Contains("invalid value '" + bad + "' for --requests"));
  }
  CHECK_FALSE(fs::exists(out / "bad"));
  fs::remove_all(out);
}

namespace {
fs::path write_scenario(const std::string& name, const std::string& expect) {
  const fs::path p = fs::temp_directory_path() / ("ratesim-check-" + name + "-" + std::to_string(::getpid()) + ".yaml");
  std::ofstream(p) << "name: c\nduration: 60s\n" << ratesim::testing::provider_yaml("{rpm: 60}")
                   << "workloads:\n  - {name: w, model: m, arrivals: uniform, traffic: [{for: 60s, rate: 5/s}],"
                      " input_tokens: 100, output_tokens: 10, max_tokens: 10}\n"
                   << expect;
  return p;
}
}  // namespace

TEST_CASE("ratesim check exits 0 when expectations hold and 1 when one does not", "[cli]") {
  // The saturated case: 119 admitted, of which 118 are done by the horizon (the one admitted at
  // 60 s ends at 61 s); 181 rpm 429s; latency exactly 1 s.
  const fs::path ok = write_scenario("ok", "expect:\n  - {metric: total.requests.ok, min: 118}\n"
                                           "  - {metric: total.latency_s.p99, max: 1s}\n");
  const fs::path junit = fs::temp_directory_path() / ("ratesim-junit-" + std::to_string(::getpid()) + ".xml");
  const fs::path md = fs::temp_directory_path() / ("ratesim-md-" + std::to_string(::getpid()) + ".md");
  const Result pass = run_binary("check " + ok.string() + " --junit " + junit.string() + " --markdown " + md.string());
  CHECK(pass.code == 0);
  CHECK(pass.out.find("2 passed, 0 failed") != std::string::npos);
  // The suite and its cases carry the file as well as the scenario's name: two files named
  // alike stay apart in a CI's report.
  CHECK(slurp(junit).find("<testsuite name=\"ratesim check c (" + ok.string() + ")\" tests=\"2\" failures=\"0\">") !=
        std::string::npos);
  CHECK(slurp(junit).find("<testcase classname=\"" + ok.string() + "\" name=\"expect total.requests.ok\"/>") != std::string::npos);
  CHECK(slurp(md).find("| ✅ | `expect total.requests.ok` | 118 | >= 118 |") != std::string::npos);
  // A bound keeps the unit the file wrote, and a value in seconds says so.
  CHECK(pass.out.find("pass  expect total.latency_s.p99   1s  <= 1s\n") != std::string::npos);
  const fs::path slow = write_scenario("slow", "expect:\n  - {metric: total.latency_s.p99, max: 500ms}\n");
  const Result late = run_binary("check " + slow.string());
  CHECK(late.code == 1);
  CHECK(late.out.find("<= 500ms  — 1s is above the maximum 500ms") != std::string::npos);
  fs::remove(slow);

  const fs::path bad = write_scenario("bad", "expect:\n  - {metric: total.attempts.r429.rpm, max: 100}\n");
  const Result fail = run_binary("check " + bad.string() + " --junit " + junit.string());
  CHECK(fail.code == 1);
  CHECK(fail.out.find("FAIL  expect total.attempts.r429.rpm  181  <= 100  — 181 is above the maximum 100") != std::string::npos);
  CHECK(slurp(junit).find("<failure message=\"181 is above the maximum 100\">") != std::string::npos);
}

TEST_CASE("ratesim check compares with a baseline in the direction that matters", "[cli]") {
  const fs::path scenario = write_scenario("base", "");
  const fs::path out = fs::temp_directory_path() / ("ratesim-check-out-" + std::to_string(::getpid()));
  REQUIRE(run_binary("run " + scenario.string() + " --out " + out.string()).code == 0);
  const std::string baseline = (out / "summary.json").string();
  CHECK(run_binary("check " + scenario.string() + " --baseline " + baseline + " --tolerance 0%").code == 0);
  // One request a second instead of five: 59 ok instead of 118 (worse) but no 429s (better).
  // Only the former fails.
  const Result r = run_binary("check " + scenario.string() + " --baseline " + baseline +
                              " --set workloads.w.traffic.0.rate=1/s");
  CHECK(r.code == 1);
  CHECK(r.out.find("FAIL  baseline total.requests.ok") != std::string::npos);
  CHECK(r.out.find("pass  baseline total.attempts.r429.total") != std::string::npos);
  // One workload: its figures are the total's, checked once.
  CHECK(r.out.find("baseline workloads.w.") == std::string::npos);
  // The Markdown report puts the failures first.
  const fs::path md = out / "check.md";
  run_binary("check " + scenario.string() + " --baseline " + baseline + " --set workloads.w.traffic.0.rate=1/s --markdown " +
             md.string());
  const std::string text = slurp(md);
  const auto first_fail = text.find("| ❌ |"), first_pass = text.find("| ✅ |");
  REQUIRE(first_fail != std::string::npos);
  REQUIRE(first_pass != std::string::npos);
  CHECK(first_fail < first_pass);
  // A per-metric tolerance can allow it.
  CHECK(run_binary("check " + scenario.string() + " --baseline " + baseline +
                   " --set workloads.w.traffic.0.rate=1/s --tolerance requests.ok=60% --tolerance throughput_rps.mean=60%")
            .code == 0);
  fs::remove_all(out);
}

TEST_CASE("ratesim check refuses an unknown metric before running, with its position", "[cli]") {
  const fs::path p = write_scenario("unknown", "expect:\n  - {metric: total.requests.okk, min: 1}\n");
  const Result r = run_binary("check " + p.string());
  CHECK(r.code == 2);
  CHECK(r.err == p.string() + ":12:14: unknown metric 'total.requests.okk' (did you mean "
                              "'total.requests.ok'?): expected a path into summary.json, e.g. "
                              "total.attempts.r429.total\n");
  const Result nothing = run_binary("check " + write_scenario("nothing", "").string());
  CHECK(nothing.code == 2);
  CHECK(nothing.err.find("nothing to check") != std::string::npos);
  // A misspelt latency metric with a duration bound is an unknown metric, not a bad number.
  const fs::path typo = write_scenario("typo", "expect:\n  - {metric: total.latency.p99, max: 30s}\n");
  const Result t = run_binary("check " + typo.string());
  CHECK(t.code == 2);
  CHECK(t.err.rfind(typo.string() + ":12:14: unknown metric 'total.latency.p99' (did you mean 'total.latency_s.p99'?)", 0) == 0);
  // A known metric not in seconds with a duration bound says so.
  const fs::path unit = write_scenario("unit", "expect:\n  - {metric: total.requests.ok, max: 30s}\n");
  const Result u = run_binary("check " + unit.string());
  CHECK(u.code == 2);
  CHECK(u.err == unit.string() + ":12:38: invalid value '30s' for 'max': expected a number (total.requests.ok is "
                                 "not in seconds; durations are for metrics ending in _s)\n");
}

TEST_CASE("a broken variant stops only what uses it", "[cli]") {
  const fs::path p = write_scenario("variant", "variants:\n  broken:\n    workloads.w.max_tokens: -1\n");
  CHECK(run_binary("run " + p.string()).code == 0);
  const Result v = run_binary("validate " + p.string());
  CHECK(v.code == 2);
  CHECK(v.err.rfind(p.string() + ":13:29: invalid value '-1' for 'max_tokens'", 0) == 0);
  CHECK(run_binary("run " + p.string() + " --variant broken").code == 2);
  CHECK(run_binary("compare " + p.string()).code == 2);
}

TEST_CASE("shares are metrics: bounds on the share of requests given up and of attempts refused", "[cli]") {
  // The saturated case above: 300 arrived, 181 refused once and given up (no retry layer), 119
  // admitted: gave_up_share = 181/300 = 0.60333, r429_share = 181/300 attempts = 0.60333,
  // ok_share = 118/300 = 0.39333.
  const fs::path holds = write_scenario("share-ok", "expect:\n  - {metric: total.requests.gave_up_share, max: 0.61}\n"
                                                    "  - {metric: total.attempts.r429_share, min: 0.603, max: 0.604}\n"
                                                    "  - {metric: workloads.w.requests.ok_share, min: 0.393, max: 0.394}\n");
  const Result ok = run_binary("check " + holds.string());
  INFO(ok.out << ok.err);
  CHECK(ok.code == 0);
  const fs::path fails = write_scenario("share-bad", "expect:\n  - {metric: total.requests.gave_up_share, max: 0.6}\n");
  CHECK(run_binary("check " + fails.string()).code == 1);
  // Under replications the bound holds the mean share.
  CHECK(run_binary("check " + holds.string() + " --replications 3").code == 0);
  fs::remove(holds);
  fs::remove(fails);
}

TEST_CASE("ratesim check with replications reports means and intervals", "[cli]") {
  const fs::path p = write_scenario("reps", "expect:\n  - {metric: total.requests.arrived, min: 1}\n");
  const Result r = run_binary("check " + p.string() + " --replications 3");
  CHECK(r.code == 0);
  CHECK(r.out.find("(3 replications)") != std::string::npos);
}

TEST_CASE("compare and check outputs are byte-identical across repeated runs", "[cli][determinism]") {
  const std::string backfill = ratesim::testing::source_path("scenarios/backfill.yaml");
  const fs::path base = fs::temp_directory_path() / ("ratesim-determinism-" + std::to_string(::getpid()));
  fs::remove_all(base);
  for (const char* run : {"a", "b"}) {
    REQUIRE(run_binary("compare " + backfill + " --replications 2 --out " + (base / run).string()).code == 0);
    REQUIRE(run_binary("check " + ratesim::testing::source_path("scenarios/quickstart.yaml") + " --markdown " +
                       (base / run / "check.md").string()).code == 0);
  }
  for (const char* file : {"compare.csv", "ramp/timeseries.csv", "ramp/summary.json", "check.md"})
    CHECK(slurp(base / "a" / file) == slurp(base / "b" / file));
  CHECK(slurp(base / "a" / "compare.csv").size() > 1000);
  fs::remove_all(base);
}

TEST_CASE("ratesim sweep writes every point and replication, the same whatever --jobs", "[cli][determinism]") {
  const std::string backfill = ratesim::testing::source_path("scenarios/backfill.yaml");
  const fs::path dir = fs::temp_directory_path() / ("ratesim-sweep-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string grid = " --grid workloads.backfill.client.0.retry.max_retries=0,2,6"
                           " --grid provider.network_delay=10ms,200ms --replications 3";
  REQUIRE(run_binary("sweep " + backfill + grid + " --jobs 1 --out " + (dir / "one.csv").string()).code == 0);
  REQUIRE(run_binary("sweep " + backfill + grid + " --jobs 2 --out " + (dir / "two.csv").string()).code == 0);
  const std::string one = slurp(dir / "one.csv");
  CHECK(one == slurp(dir / "two.csv"));
  // A header, then 6 points × (3 replications + mean, ci_low, ci_high).
  CHECK(std::count(one.begin(), one.end(), '\n') == 1 + 6 * (3 + 3));
  CHECK(one.rfind("point,workloads.backfill.client.0.retry.max_retries,provider.network_delay,replication,seed,", 0) == 0);
  CHECK(one.find("\n5,6,200ms,mean,,") != std::string::npos);
  const Result bad = run_binary("sweep " + backfill + " --grid workloads.backfill.nope=1,2 --out " + (dir / "x.csv").string());
  CHECK(bad.code == 2);
  CHECK(!fs::exists(dir / "x.csv"));
  fs::remove_all(dir);
}

TEST_CASE("validate refuses an expect: metric the summary will not have, in the base and in a variant", "[cli]") {
  const fs::path base = write_scenario("validate-expect", "expect:\n  - {metric: total.requests.okk, min: 1}\n");
  const Result r = run_binary("validate " + base.string());
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Catch::Contains(":12:14: unknown metric 'total.requests.okk' (did you mean 'total.requests.ok'?)"));
  // A variant that renames the workload: its own summary has no workloads.w.
  const fs::path variant = write_scenario("validate-variant", "expect:\n  - {metric: workloads.w.requests.ok, min: 1}\n"
                                                              "variants:\n  renamed: {workloads.w.name: v}\n");
  const Result v = run_binary("validate " + variant.string());
  CHECK(v.code == 2);
  CHECK_THAT(v.err, Catch::Contains("unknown metric 'workloads.w.requests.ok'"));
  CHECK(run_binary("validate " + write_scenario("validate-good", "expect:\n  - {metric: workloads.w.requests.ok, min: 1}\n").string()).code == 0);
  fs::remove(base);
  fs::remove(variant);
}

TEST_CASE("compare and check give the same output whatever --jobs", "[cli]") {
  const std::string file = ratesim::testing::source_path("scenarios/backfill.yaml");
  const Result one = run_binary("compare " + file + " --replications 3 --jobs 1");
  const Result two = run_binary("compare " + file + " --replications 3 --jobs 2");
  REQUIRE(one.code == 0);
  CHECK(one.out == two.out);
  const std::string quickstart = ratesim::testing::source_path("scenarios/quickstart.yaml");
  const Result c1 = run_binary("check " + quickstart + " --replications 3 --jobs 1");
  const Result c2 = run_binary("check " + quickstart + " --replications 3 --jobs 2");
  CHECK(c1.code == c2.code);
  CHECK(c1.out == c2.out);
  CHECK(run_binary("compare " + file + " --jobs 0").code == 2);
}

TEST_CASE("run and validate warn once about a superseded preset and an unconfirmed model", "[cli]") {
  const fs::path file = fs::temp_directory_path() / "ratesim-superseded.yaml";
  {
    std::ofstream f(file);
    f << "name: old\nduration: 2m\nprovider: {preset: anthropic/tier-2}\n"
         "workloads:\n  - {name: a, model: claude-haiku-4-5, traffic: [{for: 1m, rate: 1/s}], input_tokens: 100,"
         " output_tokens: 10, max_tokens: 20}\n"
         "  - {name: b, model: claude-haiku-4-5, traffic: [{for: 1m, rate: 1/s}], input_tokens: 100,"
         " output_tokens: 10, max_tokens: 20}\n"
         "variants:\n  slow: {workloads.a.deadline: 30s}\n";
  }
  const auto count = [](const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
  };
  const std::string superseded =
      "warning: preset anthropic/tier-2 (figures of 2026-04) is superseded since 2026-06; the nearest current preset "
      "is anthropic/start: Anthropic replaced usage tiers 1-4 with Start, Build and Scale in June 2026;";
  const Result validate = run_binary("validate " + file.string());
  CHECK(validate.code == 0);
  CHECK(count(validate.err, superseded) == 1);  // the base and its variant: once
  CHECK(count(validate.err, "warning:") == 1);
  const Result run = run_binary("run " + file.string());
  CHECK(run.code == 0);
  CHECK(count(run.err, superseded) == 1);

  // An unconfirmed model, sent to by both workloads and in the variant: once, in validate and in
  // run, and in summary.json's diagnosis.
  const fs::path dir = fs::temp_directory_path() / "ratesim-unconfirmed-out";
  fs::remove_all(dir);
  const std::string on_build = " --set provider.preset=anthropic/build --set workloads.a.model=claude-sonnet-5-5"
                               " --set workloads.b.model=claude-sonnet-5-5";
  const std::string unconfirmed = "warning: model 'claude-sonnet-5-5' is unconfirmed: limits seen only in secondary "
                                  "copies of the rate-limits page";
  const Result v2 = run_binary("validate " + file.string() + on_build);
  CHECK(v2.code == 0);
  CHECK(count(v2.err, "warning:") == 1);
  CHECK(count(v2.err, unconfirmed) == 1);
  const Result r2 = run_binary("run " + file.string() + on_build + " --out " + dir.string());
  CHECK(r2.code == 0);
  CHECK(count(r2.err, "warning:") == 1);
  CHECK(count(r2.err, unconfirmed) == 1);
  const auto summary = nlohmann::json::parse(slurp((dir / "summary.json").string()));
  REQUIRE(summary["diagnosis"]["warnings"].size() == 1);
  CHECK(summary["diagnosis"]["warnings"][0].get<std::string>().rfind("model 'claude-sonnet-5-5' is unconfirmed", 0) == 0);
}

TEST_CASE("validate --resolved writes the price bands and the batch RPM back, and they read the same", "[cli]") {
  const fs::path file = fs::temp_directory_path() / "ratesim-resolved-prices.yaml";
  {
    std::ofstream f(file);
    f << "name: bands\nduration: 1m\nprovider: {preset: anthropic/scale}\n"
         "workloads:\n  - {name: a, model: claude-haiku-5-5, backlog: {count: 1}, input_tokens: 150000,"
         " output_tokens: 10, max_tokens: 20}\n";
  }
  const Result r = run_binary("validate " + file.string() + " --resolved");
  REQUIRE(r.code == 0);
  CHECK(r.out.find("long_prompt: {over_tokens: 100000, input: 0.50, output: 2.50, cache_read: 0.05}") !=
        std::string::npos);
  CHECK(r.out.find("batch: {queue_limit: 500000, rpm: 4000}") != std::string::npos);
  CHECK(r.out.find("unconfirmed: ") != std::string::npos);
  const auto resolved = ratesim::scenario::load_scenario_text(r.out, "resolved.yaml");
  const auto original = ratesim::scenario::load_scenario_file(file.string());
  CHECK(resolved.world.provider.batch_rpm == 4000);
  REQUIRE(resolved.world.provider.models.size() == original.world.provider.models.size());
  for (std::size_t i = 0; i < resolved.world.provider.models.size(); ++i) {
    INFO(original.world.provider.models[i].name);
    CHECK(resolved.world.provider.models[i].price == original.world.provider.models[i].price);
    CHECK(resolved.world.provider.models[i].unconfirmed == original.world.provider.models[i].unconfirmed);
  }
}

TEST_CASE("run, compare, sweep, check and search warn before running when the work will pass the spend limit",
          "[cli]") {
  // 100 requests of 100,000 input tokens at $1 per million (output free) offer $10 of work; with
  // $5 of a $10 limit spent, $5 is left: about 50% fits. The variant has spent $8: about 20%.
  const fs::path file = fs::temp_directory_path() / ("ratesim-spend-" + std::to_string(::getpid()) + ".yaml");
  {
    std::ofstream f(file);
    f << "name: spend\nduration: 10m\nprovider:\n  spend_limit: {monthly_usd: 10, spent_usd: 5}\n"
         "  models:\n    m:\n      limits: {rpm: 100000, itpm: 100000000}\n      price: {input: 1, output: 0}\n"
         "      latency: {ttft: 1s, output_tps: 1000}\n"
         "workloads:\n  - {name: w, model: m, backlog: {count: 100}, input_tokens: 100000, output_tokens: 1,"
         " max_tokens: 1}\n"
         "expect:\n  - {metric: total.requests.arrived, min: 1}\n"
         "variants:\n  late: {provider.spend_limit.spent_usd: 8}\n";
  }
  const std::string half =
      "the offered work costs about $10.00 at list prices; with $5.00 already spent this month and a $10.00 "
      "monthly limit, about 50% of it fits before the spend limit stops it";
  const Result run = run_binary("run " + file.string());
  CHECK(run.code == 0);
  CHECK(run.err.find("warning: " + half) != std::string::npos);
  const Result compare = run_binary("compare " + file.string());
  CHECK(compare.code == 0);
  CHECK(compare.err.find("warning: base: " + half) != std::string::npos);
  CHECK(compare.err.find("warning: late: the offered work costs about $10.00 at list prices; with $8.00 already "
                         "spent this month and a $10.00 monthly limit, about 20% of it fits") != std::string::npos);
  // $0 spent: the $10 of work fits the $10 limit exactly, so only the second point is told.
  const fs::path sweep_csv = fs::temp_directory_path() / ("ratesim-spend-sweep-" + std::to_string(::getpid()) + ".csv");
  const Result sweep =
      run_binary("sweep " + file.string() + " --grid provider.spend_limit.spent_usd=0,5 --out " + sweep_csv.string());
  CHECK(sweep.code == 0);
  CHECK(sweep.err.find("warning: provider.spend_limit.spent_usd=5: " + half) != std::string::npos);
  CHECK(sweep.err.find("spent_usd=0:") == std::string::npos);
  const Result check = run_binary("check " + file.string());
  CHECK(check.code == 0);
  CHECK(check.err.find("warning: " + half) != std::string::npos);
  const Result search = run_binary("search " + file.string() +
                                   " --vary provider.spend_limit.spent_usd=5..9 --minimize"
                                   " --require 'total.requests.ok >= 1'");
  CHECK(search.err.find("warning: provider.spend_limit.spent_usd=5: " + half) != std::string::npos);
  CHECK(search.err.find("warning: provider.spend_limit.spent_usd=9: ") != std::string::npos);
  fs::remove(file);
  fs::remove(sweep_csv);
}
