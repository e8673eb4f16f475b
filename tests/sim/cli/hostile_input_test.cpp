// The bad-input catalogue: every class of hostile or nonsensical input found by the reliability
// pass, each refused as bad input (exit 2) with a message that says what was expected — never a
// crash, a hang, runaway memory, or an output file replaced or half-written.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "test_support.hpp"

namespace fs = std::filesystem;
using ratesim::testing::run_ratesim;
using ratesim::testing::slurp;

namespace {

/// A folder of its own for this test process.
fs::path scratch() {
  const fs::path dir = fs::temp_directory_path() / ("ratesim-hostile-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir;
}

fs::path write(const std::string& name, const std::string& text) {
  const fs::path p = scratch() / name;
  std::ofstream(p) << text;
  return p;
}

const std::string kScenario =
    "name: h\nduration: 10m\nprovider:\n  preset: anthropic/tier-2\nworkloads:\n"
    "  - {name: w, model: claude-haiku-4-5, backlog: {count: 10}, input_tokens: 100, output_tokens: 10, "
    "max_tokens: 20}\n";

/// A path quoted for the shell.
std::string q(const fs::path& p) {
  std::string out = "'";
  out += p.string();
  out += "'";
  return out;
}

/// An alias bomb: ten levels of ten aliases each, 10^10 nodes once expanded.
std::string bomb() {
  std::string y = "[&a0 [x,x,x,x,x,x,x,x,x,x]";
  for (int i = 1; i < 10; ++i) {
    y += ", &a" + std::to_string(i) + " [";
    for (int k = 0; k < 10; ++k) {
      y += k ? ",*a" : "*a";
      y += std::to_string(i - 1);
    }
    y += "]";
  }
  return y + "]";
}

struct Case {
  const char* what;
  std::string args;
  std::string message;  ///< a fragment the error must contain
};

/// Each case exits 2 with its message.
void expect_refused(const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    INFO(c.what);
    const auto r = run_ratesim(c.args);
    CHECK(r.code == 2);
    CHECK(r.err.find(c.message) != std::string::npos);
  }
}

}  // namespace

TEST_CASE("hostile YAML is refused before anything walks it", "[cli][hostile]") {
  const fs::path s = write("s.yaml", kScenario);
  const fs::path file_bomb = write("bomb.yaml", kScenario + "variants:\n  v: {name: " + bomb() + "}\n");
  const std::vector<Case> cases{
      {"a self-referential alias in --set", "run " + q(s) + " --set 'workloads.w.max_tokens=&a [*a]'",
       "--set workloads.w.max_tokens=&a [*a]:1:"},
      {"a self-referential alias in --grid", "sweep " + q(s) + " --grid 'name=&a [*a]' --out " + q(scratch() / "g.csv"),
       "nests more than 64 levels deep"},
      {"an alias bomb in --set", "run " + q(s) + " --set 'name=" + bomb() + "'", "expands to more than 1000000 nodes"},
      {"an alias bomb in a file", "validate " + q(file_bomb), "bomb.yaml:8:"},
  };
  expect_refused(cases);
}

TEST_CASE("oversized work is refused as bad input, never exhausting memory", "[cli][hostile]") {
  const fs::path s = write("s.yaml", kScenario);
  // Two records, each standing for 25 million requests: within the 1e10 a run may bring, but
  // the first alone is more than ratesim holds at once; it is stopped before any is allocated.
  write("two.csv", "time_s,input_tokens,output_tokens\n0,10,10\n60,10,10\n");
  const fs::path trace_scenario = write(
      "t.yaml", "name: t\nduration: 10m\nprovider:\n  preset: anthropic/tier-2\nworkloads:\n"
                "  - {name: w, model: claude-haiku-4-5, trace: {file: two.csv, rate_scale: 25000000}, max_tokens: 512}\n");
  const std::vector<Case> cases{
      {"a backlog of a billion", "run " + q(s) + " --set workloads.w.backlog.count=1000000000",
       "ratesim holds at most 20000000 pending requests"},
      {"a burst of 1e10", "run " + q(s) + " --set 'workloads.w={name: w, model: claude-haiku-4-5, traffic: [{at: 0s, burst: 10000000000}], input_tokens: 1, output_tokens: 1, max_tokens: 1}'",
       "invalid value '10000000000' for 'burst'"},
      {"a trace multiplied 25 million times", "run " + q(trace_scenario),
       "workload 'w' would have"},
      {"a device as the scenario", "validate /dev/zero", "/dev/zero: cannot read scenario file: not a regular file"},
      {"a folder as the scenario", "validate " + q(scratch()), "not a regular file"},
      {"a think time without bound", "run " + q(s) + " --set 'workloads.w={name: w, model: claude-haiku-4-5, users: {count: 2, think: {lognormal: {median: 1s, sigma: 700}}}, input_tokens: 1, output_tokens: 1, max_tokens: 1}'",
       "invalid value '700' for 'think.lognormal.sigma': expected 0 to 5"},
  };
  expect_refused(cases);
}

TEST_CASE("check refuses baselines and tolerances it cannot use", "[cli][hostile]") {
  const fs::path s = write("s.yaml", kScenario);
  const fs::path schema_only = write("b.json", "{\"schema\": \"ratesim.summary/2\"}");
  const fs::path strings = write("c.json", "{\"schema\": \"ratesim.summary/2\", \"total\": {\"requests\": {\"ok\": \"many\"}}}");
  const fs::path older = write("d.json", "{\"schema\": \"ratesim.summary/1\", \"total\": {}}");
  const std::vector<Case> cases{
      {"a baseline of the previous schema", "check " + q(s) + " --baseline " + q(older),
       "d.json: a summary.json of schema ratesim.summary/1, written by an older ratesim: expected \"schema\": "
       "\"ratesim.summary/2\" (docs/outputs.md lists what changed); write the baseline again with this version "
       "(ratesim run FILE --out DIR)"},
      {"a baseline with only its schema", "check " + q(s) + " --baseline " + q(schema_only),
       "the baseline has none of the metrics check compares"},
      {"a baseline of strings", "check " + q(s) + " --baseline " + q(strings), "the baseline has none of the metrics"},
      {"a folder as the baseline", "check " + q(s) + " --baseline " + q(scratch()), "the baseline is a folder"},
      {"a tolerance for an unknown metric", "check " + q(s) + " --baseline " + q(schema_only) + " --tolerance latency_s.p98=5%",
       "invalid value 'latency_s.p98' for --tolerance: not a metric that check compares with a baseline (did you mean "
       "'latency_s.p99'?)"},
  };
  expect_refused(cases);
}

TEST_CASE("mistakes are reported where they were written", "[cli][hostile]") {
  const fs::path s = write("p.yaml", "name: p\nduration: 10m\nprovider:\n  preset: anthropic/tier-2\n  bursty: 60s\n"
                                     "workloads:\n  - {name: w, model: claude-haiku-4-5, backlog: {count: 1}, "
                                     "input_tokens: 10, output_tokens: 1, max_tokens: 1}\n");
  const fs::path v = write("v.yaml", kScenario + "variants:\n  v:\n    workloads.w.clientt: []\n");
  const std::vector<Case> cases{
      {"an unknown key beside a preset", "validate " + q(s), s.string() + ":5:3: unknown key 'bursty' in provider"},
      {"an unknown key a variant adds", "run " + q(v) + " --variant v", v.string() + ":9:5: unknown key 'clientt' in workload 'w'"},
      {"an unknown key --set adds", "run " + q(v) + " --set provider.limitter=x",
       "--set provider.limitter=x:1:16: unknown key 'limitter' in provider (did you mean 'limiter'?)"},
  };
  expect_refused(cases);
}

TEST_CASE("nonsense values are refused with the accepted range", "[cli][hostile]") {
  const fs::path s = write("s.yaml", kScenario);
  const fs::path dup = write("dup.csv", "time_s,input_tokens,output_tokens,input_tokens\n0,1,1,1\n");
  const fs::path traced = write("traced.yaml", "name: t\nduration: 10m\nprovider:\n  preset: anthropic/tier-2\n"
                                               "workloads:\n  - {name: w, model: claude-haiku-4-5, trace: {file: dup.csv}, max_tokens: 9}\n");
  const std::vector<Case> cases{
      {"a speed of 1e-300", "run " + q(s) + " --set provider.models.claude-haiku-4-5.latency.output_tps=1e-300",
       "expected a speed of at least 0.001 per second"},
      {"a prompt of 1e12 tokens", "run " + q(s) + " --set workloads.w.input_tokens=1e12",
       "expected a number of tokens from 1 to 10000000"},
      {"a duplicate trace column", "run " + q(traced), "dup.csv:1:35: duplicate column 'input_tokens'"},
      {"an empty variant name", "run " + q(s) + " --variant ''", "invalid value '' for --variant"},
      {"an interval of 1e308 s", "run " + q(s) + " --interval 1e308", "expected at most the scenario's duration"},
      {"an interval of a microsecond", "run " + q(s) + " --interval 1us", "time-series rows (at most 1e+07)"},
      {"max_ratio 0", "run " + q(s) + " --set provider.acceleration.max_ratio=0", "expected 1 to 1000"},
      {"throttle k 0", "run " + q(s) + " --set 'workloads.w.client=[{throttle: {k: 0}}]'", "expected at least 1"},
      {"a rate of 1e20 per second (found by the fuzzer: it never ended)",
       "run " + q(s) + " --set 'workloads.w={name: w, model: claude-haiku-4-5, traffic: [{for: 10m, rate: 99999999999999999999/s}], input_tokens: 1, output_tokens: 1, max_tokens: 1}'",
       "expected at most 1000000 per second"},
  };
  expect_refused(cases);
}

TEST_CASE("outputs write through links and into pipes, never replacing them", "[cli][hostile]") {
  const fs::path s = write("o.yaml", kScenario + "expect:\n  - {metric: total.requests.ok, min: 1}\n");
  const fs::path real = write("real.md", "old\n");
  const fs::path link = scratch() / "link.md";
  fs::remove(link);
  fs::create_symlink(real, link);
  REQUIRE(run_ratesim("check " + q(s) + " --markdown " + q(link)).code == 0);
  CHECK(fs::is_symlink(link));
  CHECK(slurp(real.string()).rfind("### ratesim check: h", 0) == 0);
  // /dev/stdout is a link to the process's output: the report goes there.
  const auto r = run_ratesim("check " + q(s) + " --markdown /dev/stdout");
  CHECK(r.code == 0);
  CHECK(r.out.find("### ratesim check: h") != std::string::npos);
  const fs::path fifo = scratch() / "fifo";
  fs::remove(fifo);
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  const auto f = run_ratesim("check " + q(s) + " --markdown " + q(fifo) + " & cat " + q(fifo) + " >" + q(scratch() / "fifo.out") + "; wait");
  CHECK(fs::is_fifo(fifo));
  CHECK(slurp((scratch() / "fifo.out").string()).rfind("### ratesim check: h", 0) == 0);
}

TEST_CASE("a result that cannot be written to stdout is an error, not exit 0", "[cli][hostile]") {
  // /dev/full takes every write and fails it at the flush (ENOSPC), as a full disk does.
  const fs::path scenario = write("stdout.yaml", kScenario);
  for (const std::string& args : std::vector<std::string>{"run " + q(scenario) + " --json", "run " + q(scenario), "--help",
                                  "validate " + q(scenario)}) {
    INFO(args);
    // run_ratesim redirects stdout to a file of its own: this one runs the binary itself.
    const fs::path err = scratch() / "stdout.err";
    const int status = std::system((std::string(RATESIM_BINARY) + " " + args + " >/dev/full 2>" + q(err)).c_str());
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 2);
    const std::string message = slurp(err.string());
    CHECK(message.find("ratesim: cannot write to standard output") != std::string::npos);
    CHECK(message.find(": what was printed is incomplete\n") != std::string::npos);
  }
  // A command that failed keeps its own exit code and message.
  const fs::path err = scratch() / "bad.err";
  const int status = std::system((std::string(RATESIM_BINARY) + " run " + q(scenario) + " --seed x >/dev/full 2>" + q(err)).c_str());
  CHECK(WEXITSTATUS(status) == 2);
  CHECK(slurp(err.string()).find("--seed") != std::string::npos);
  CHECK(slurp(err.string()).find("cannot write to standard output") == std::string::npos);
}
