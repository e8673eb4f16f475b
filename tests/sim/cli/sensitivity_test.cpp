// run --sensitivity: each assumption at the ends of its plausible range, one at a time.
#include <catch2/catch.hpp>

#include <algorithm>
#include <sstream>

#include "sim/cli/sensitivity.hpp"
#include "test_support.hpp"

using namespace ratesim;

namespace {

// rpm 60; 30 requests at t = 0, never retried. As written (burst 60s, acceleration off) the
// bucket holds 60: all 30 pass.
const std::string kScenario =
    "name: s\nduration: 5m\nprovider:\n  models:\n    m:\n      limits: {rpm: 60}\n"
    "      price: {input: 1, output: 1}\n      latency: {ttft: 1s, output_tps: 1000}\n"
    "workloads:\n  - {name: w, model: m, backlog: {count: 30}, input_tokens: 10, output_tokens: 1, max_tokens: 1}\n";

const cli::SensitivityRow& row(const std::vector<cli::SensitivityRow>& rows, const std::string& a, const std::string& level) {
  const auto it = std::find_if(rows.begin(), rows.end(), [&](const auto& r) { return r.assumption == a && r.level == level; });
  REQUIRE(it != rows.end());
  return *it;
}

}  // namespace

TEST_CASE("sensitivity moves each assumption to the ends of its range and reruns", "[cli]") {
  const auto rows = cli::run_sensitivity(testing::scenario_from(kScenario), 2);
  REQUIRE(rows[0].level == "base");
  CHECK(rows[0].metrics.ok == 30);
  // burst 1s: the bucket holds one request; the other 29 are refused (no retries).
  CHECK(row(rows, "provider.burst", "low").value == "1s");
  CHECK(row(rows, "provider.burst", "low").metrics.ok == 1);
  CHECK(row(rows, "provider.burst", "low").metrics.r429 == 29);
  CHECK(row(rows, "provider.burst", "high").metrics.ok == 30);
  // Acceleration lenient: a floor of 0.5 × 60 = 30 requests a minute, all pass. Strict: 0.1 × 60
  // = 6 pass, 24 are refused.
  CHECK(row(rows, "provider.acceleration", "low").value == "lenient");
  CHECK(row(rows, "provider.acceleration", "low").metrics.ok == 30);
  CHECK(row(rows, "provider.acceleration", "high").value == "strict");
  CHECK(row(rows, "provider.acceleration", "high").metrics.ok == 6);
  CHECK(row(rows, "provider.acceleration", "high").metrics.gave_up == 24);
  // The same rows whatever the number of threads.
  const auto one = cli::run_sensitivity(testing::scenario_from(kScenario), 1);
  std::ostringstream a, b;
  cli::write_sensitivity_csv(a, rows);
  cli::write_sensitivity_csv(b, one);
  CHECK(a.str() == b.str());
  CHECK(a.str().rfind("assumption,level,value,ok,gave_up,r429,latency_p99_s,cost_usd,makespan_s,never_fits,structural\n"
                      "base,base,,30,", 0) == 0);
}

TEST_CASE("the sensitivity table puts the widest swing first", "[cli]") {
  const std::string table = cli::sensitivity_table(cli::run_sensitivity(testing::scenario_from(kScenario), 1));
  // burst moves ok by 29, acceleration by 24.
  const auto burst = table.find("provider.burst");
  const auto accel = table.find("provider.acceleration ");
  REQUIRE(burst != std::string::npos);
  REQUIRE(accel != std::string::npos);
  CHECK(burst < accel);
  CHECK(table.find("-29") != std::string::npos);
}

TEST_CASE("a bucket too small for a request is a structural break, shown apart from the ranked risks", "[cli]") {
  // itpm 60,000 and four prompts of 7,500 tokens at t = 0. As written (burst 60s) the bucket
  // holds 60,000: all four pass. With burst 1s it holds 60,000 / 60 = 1,000 tokens, less than one
  // prompt: no request can ever be admitted. That swing (4 requests) is the widest, but it is a
  // different system, not a risk of degree: it goes apart, after acceleration (swing of 3: strict
  // lets the first into an empty window and refuses the rest, 7,500 > 0.1 × 60,000).
  const std::string scenario =
      "name: s\nduration: 5m\nprovider:\n  models:\n    m:\n      limits: {itpm: 60000}\n"
      "      price: {input: 1, output: 1}\n      latency: {ttft: 1s, output_tps: 1000}\n"
      "workloads:\n  - {name: w, model: m, backlog: {count: 4}, input_tokens: 7500, output_tokens: 1, max_tokens: 1}\n";
  const auto rows = cli::run_sensitivity(testing::scenario_from(scenario), 1);
  CHECK(rows[0].metrics.ok == 4);
  CHECK(rows[0].metrics.never_fits == 0);
  const auto& low = row(rows, "provider.burst", "low");
  CHECK(low.metrics.ok == 0);
  CHECK(low.metrics.never_fits == 4);
  CHECK(low.structural);
  CHECK_FALSE(row(rows, "provider.burst", "high").structural);
  CHECK_FALSE(row(rows, "provider.acceleration", "high").structural);
  CHECK(row(rows, "provider.acceleration", "high").metrics.ok == 1);
  const std::string table = cli::sensitivity_table(rows);
  const auto heading = table.find("structural breaks, not ranked with the risks above");
  REQUIRE(heading != std::string::npos);
  CHECK(table.find("provider.acceleration ") < heading);
  CHECK(table.find("provider.burst") > heading);
  CHECK(table.find("1s (4 never fit)") != std::string::npos);
  std::ostringstream csv;
  cli::write_sensitivity_csv(csv, rows);
  CHECK(csv.str().find("provider.burst,low,1s,0,4,4,0,0,0,4,true\n") != std::string::npos);
}
