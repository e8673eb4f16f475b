// calibrate and backtest from the command line: files written, exit codes, errors at positions.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "test_support.hpp"

using ratesim::testing::run_ratesim;
using ratesim::testing::slurp;
using ratesim::testing::source_path;

TEST_CASE("run writes a log, calibrate fits it, backtest passes against the scenario and fails against half its ITPM",
          "[cli][calibrate]") {
  const auto dir = std::filesystem::temp_directory_path() / ("ratesim-calibrate-cli-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  const std::string quickstart = source_path("scenarios/quickstart.yaml");
  const std::string log = (dir / "q.jsonl").string();
  std::filesystem::create_directories(dir);
  REQUIRE(run_ratesim("run " + quickstart + " --attempts-log " + log).code == 0);

  const auto fit = run_ratesim("calibrate " + log + " --out " + (dir / "fit" / "fitted.yaml").string() + " --report " +
                               (dir / "report").string());
  INFO(fit.err);
  REQUIRE(fit.code == 0);
  CHECK_THAT(fit.out, Catch::Contains("rpm 1,000, itpm 2,000,000, otpm 400,000  (= anthropic/start)"));
  // The log names its workloads: one trace and one client each.
  CHECK(std::filesystem::exists(dir / "fit" / "fitted.chat.trace.csv"));
  CHECK(std::filesystem::exists(dir / "fit" / "fitted.backfill.trace.csv"));
  const std::string fitted = slurp((dir / "fit" / "fitted.yaml").string());
  CHECK_THAT(fitted, Catch::Contains("- retry: {preset: anthropic-python}"));
  CHECK_THAT(fitted, Catch::Contains("- semaphore: {limit: 32}"));
  const auto report = nlohmann::json::parse(slurp((dir / "report" / "report.json").string()));
  CHECK(report["schema"] == "ratesim.calibrate/2");
  CHECK(slurp((dir / "report" / "qq.csv").string()).rfind("model,p,fitted_ttft_s,observed_ttft_s\n", 0) == 0);
  CHECK(slurp((dir / "report" / "sizes.csv").string()).rfind("workload,field,p,observed,fitted\n", 0) == 0);
  // The fitted scenario runs.
  CHECK(run_ratesim("validate " + (dir / "fit" / "fitted.yaml").string()).code == 0);

  const auto same = run_ratesim("backtest " + log + " " + quickstart + " --json --out " + (dir / "bt").string());
  INFO(same.out);
  CHECK(same.code == 0);
  const auto j = nlohmann::json::parse(same.out);
  CHECK(j["schema"] == "ratesim.backtest/2");
  CHECK(j["pass"] == true);
  CHECK(j["observed"]["requests"]["arrived"] == j["simulated"]["requests"]["arrived"]);
  CHECK(slurp((dir / "bt" / "backtest.csv").string()).rfind("minute,observed_attempts,simulated_attempts,", 0) == 0);
  const auto halved = run_ratesim("backtest " + log + " " + quickstart + " --set provider.groups.haiku-4-5.limits.itpm=1000000");
  INFO(halved.out);
  CHECK(halved.code == 1);
  CHECK_THAT(halved.out, Catch::Contains("FAIL"));

  // quickstart.yaml runs the moderate profile from an initial load of 0.4: replaying the log
  // with each setting picks moderate, at the grid's nearest loads (0.25 or 0.5).
  const auto refit = run_ratesim("calibrate " + log + " --fit-acceleration --jobs 2 --out " + (dir / "fit2" / "fitted.yaml").string());
  INFO(refit.out);
  REQUIRE(refit.code == 0);
  const std::string refitted = slurp((dir / "fit2" / "fitted.yaml").string());
  CHECK((refitted.find("acceleration: {profile: moderate, initial_load: 0.5}") != std::string::npos ||
         refitted.find("acceleration: {profile: moderate, initial_load: 0.25}") != std::string::npos));
  CHECK(run_ratesim("backtest " + log + " " + (dir / "fit2" / "fitted.yaml").string()).code == 0);

  // Limits no tier has, for a model the presets know: the nearest tier, its group's limits
  // replaced (the group's other models share them); a Bedrock-style model id becomes a valid name.
  const std::string custom = (dir / "custom.jsonl").string();
  REQUIRE(std::system(("sed -e 's/\"anthropic-ratelimit-requests-limit\":\"1000\"/\"anthropic-ratelimit-requests-limit\":\"1234\"/' " + log +
                       " >" + custom).c_str()) == 0);
  REQUIRE(run_ratesim("calibrate " + custom + " --out " + (dir / "fit3" / "fitted.yaml").string()).code == 0);
  const std::string custom_fit = slurp((dir / "fit3" / "fitted.yaml").string());
  CHECK_THAT(custom_fit, Catch::Contains("the nearest tier") &&
                         Catch::Contains("haiku-4-5: {limits: {rpm: 1234, itpm: 2000000, otpm: 400000}}"));
  CHECK(run_ratesim("validate " + (dir / "fit3" / "fitted.yaml").string()).code == 0);
  const std::string bedrock = (dir / "bedrock.jsonl").string();
  REQUIRE(std::system(("sed -e 's/\"model\":\"claude-haiku-4-5\"/\"model\":\"anthropic.claude-haiku-4-5-v1:0\"/' " + log + " >" + bedrock).c_str()) == 0);
  REQUIRE(run_ratesim("calibrate " + bedrock + " --out " + (dir / "fit4" / "fitted.yaml").string()).code == 0);
  CHECK_THAT(slurp((dir / "fit4" / "fitted.yaml").string()),
             Catch::Contains("anthropic-claude-haiku-4-5-v1-0:   # logged as anthropic.claude-haiku-4-5-v1:0"));
  CHECK(run_ratesim("backtest " + bedrock + " " + (dir / "fit4" / "fitted.yaml").string()).code == 0);
  std::filesystem::remove_all(dir);
}

TEST_CASE("a malformed log stops calibrate and backtest at its position, exit 2", "[cli][calibrate]") {
  const auto dir = std::filesystem::temp_directory_path() / ("ratesim-calibrate-bad-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string bad = (dir / "bad.jsonl").string();
  std::ofstream(bad) << R"({"time": 1, "request_id": "a", "model": "claude-haiku-4-5", "status": 200})" << "\n"
                     << R"({"time": 2, "request_id": "b", "model": "claude-haiku-4-5", "status": "teapot"})" << "\n";
  const auto c = run_ratesim("calibrate " + bad);
  CHECK(c.code == 2);
  CHECK_THAT(c.err, Catch::Contains("bad.jsonl:2:1: invalid value 'teapot' for 'status'"));
  const auto b = run_ratesim("backtest " + bad + " " + source_path("scenarios/quickstart.yaml"));
  CHECK(b.code == 2);
  CHECK_THAT(b.err, Catch::Contains("bad.jsonl:2:1:"));
  const auto skipped = run_ratesim("calibrate --skip-bad " + bad);
  CHECK(skipped.code == 0);
  CHECK_THAT(skipped.err, Catch::Contains("skipped 1 malformed line"));
  const auto unknown = run_ratesim("backtest " + bad + " " + source_path("scenarios/openai-style.yaml") + " --skip-bad");
  CHECK(unknown.code == 2);
  CHECK_THAT(unknown.err, Catch::Contains("bad.jsonl:1:1: model 'claude-haiku-4-5' is not in the scenario's provider"));
  CHECK(run_ratesim("calibrate").code == 2);
  CHECK(run_ratesim("backtest " + bad).code == 2);
  CHECK(run_ratesim("calibrate " + bad + " --arrivals weekly").code == 2);
  std::filesystem::remove_all(dir);
}

TEST_CASE("a log or an output named .gz is written and read gzip-compressed", "[cli][calibrate]") {
  const auto dir = std::filesystem::temp_directory_path() / ("ratesim-gz-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string quickstart = source_path("scenarios/quickstart.yaml");
  REQUIRE(run_ratesim("run " + quickstart + " --attempts-log " + (dir / "a.jsonl").string()).code == 0);
  REQUIRE(run_ratesim("run " + quickstart + " --attempts-log " + (dir / "a.jsonl.gz").string()).code == 0);
  // gzip's magic number, and the same lines once decompressed.
  const std::string gz = slurp((dir / "a.jsonl.gz").string());
  REQUIRE(gz.size() > 2);
  CHECK(static_cast<unsigned char>(gz[0]) == 0x1f);
  CHECK(static_cast<unsigned char>(gz[1]) == 0x8b);
  CHECK(gz.size() * 5 < slurp((dir / "a.jsonl").string()).size());
  REQUIRE(std::system(("zcat " + (dir / "a.jsonl.gz").string() + " > " + (dir / "unzipped.jsonl").string()).c_str()) == 0);
  CHECK(slurp((dir / "unzipped.jsonl").string()) == slurp((dir / "a.jsonl").string()));
  // calibrate reads it as it reads the plain log.
  const auto plain = run_ratesim("calibrate " + (dir / "a.jsonl").string() + " --json");
  const auto zipped = run_ratesim("calibrate " + (dir / "a.jsonl.gz").string() + " --json");
  REQUIRE(plain.code == 0);
  auto p = nlohmann::json::parse(plain.out);
  auto z = nlohmann::json::parse(zipped.out);
  p.erase("files");
  z.erase("files");
  CHECK(p == z);
  // A compressed file cut short is bad input, not a crash.
  std::ofstream(dir / "cut.jsonl.gz") << gz.substr(0, gz.size() / 2);
  const auto cut = run_ratesim("calibrate " + (dir / "cut.jsonl.gz").string());
  CHECK(cut.code == 2);
  CHECK_THAT(cut.err, Catch::Contains("cannot read the compressed log"));
  std::filesystem::remove_all(dir);
}
