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
  CHECK(a.str().rfind("assumption,level,value,ok,gave_up,r429,latency_p99_s,cost_usd,makespan_s\nbase,base,,30,", 0) == 0);
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
