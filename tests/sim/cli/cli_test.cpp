// The ratesim binary as a user meets it: exit codes, messages and output files.
#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "test_support.hpp"

namespace fs = std::filesystem;

namespace {

struct Result {
  int code;
  std::string out;
  std::string err;
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

Result run_binary(const std::string& args) {
  // One folder per test process: ctest runs tests in parallel.
  const fs::path dir = fs::temp_directory_path() / ("ratesim-cli-test-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string cmd = std::string(RATESIM_BINARY) + " " + args + " >" + (dir / "out").string() +
                          " 2>" + (dir / "err").string();
  const int status = std::system(cmd.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(dir / "out"), slurp(dir / "err")};
}

std::string quickstart() { return ratesim::testing::source_path("scenarios/quickstart.yaml"); }

}  // namespace

TEST_CASE("ratesim --help and ratesim run --help explain themselves", "[cli]") {
  const Result top = run_binary("--help");
  CHECK(top.code == 0);
  CHECK(top.out.find("run FILE") != std::string::npos);
  const Result run = run_binary("run --help");
  CHECK(run.code == 0);
  CHECK(run.out.find("--out") != std::string::npos);
  CHECK(run.out.find("--set") != std::string::npos);
}

TEST_CASE("ratesim run prints a summary and writes its files with --out", "[cli]") {
  const fs::path out = fs::temp_directory_path() / "ratesim-cli-run";
  fs::remove_all(out);
  const Result r = run_binary("run " + quickstart() + " --out " + out.string());
  REQUIRE(r.code == 0);
  CHECK(r.out.find("429 itpm") != std::string::npos);
  CHECK(r.out.find("p99") != std::string::npos);
  CHECK(r.out.find("cost, USD") != std::string::npos);
  CHECK(slurp(out / "summary.json").find("\"schema\": \"ratesim.summary/1\"") != std::string::npos);
  CHECK(slurp(out / "timeseries.csv").rfind("t_s,workload,arrivals,", 0) == 0);
  CHECK(slurp(out / "limits.csv").rfind("t_s,group,budget,used_frac,limit\n0,haiku-4-5,rpm,", 0) == 0);
  // Nothing but the three files: no temporary left behind.
  CHECK(std::distance(fs::directory_iterator(out), fs::directory_iterator{}) == 3);
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
  CHECK(r.out.rfind("{\n  \"schema\": \"ratesim.summary/1\"", 0) == 0);
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
  CHECK(r.out.find("haiku-4-5: {limits: {rpm: 1234, itpm: 450000, otpm: 90000}}") != std::string::npos);
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

TEST_CASE("--requests writes one row per request whose costs add up to the summary's", "[cli]") {
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
