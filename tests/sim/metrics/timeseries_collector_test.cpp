#include "sim/metrics/timeseries_collector.hpp"

#include <catch2/catch.hpp>
#include <sstream>

#include "sim/report/timeseries_csv.hpp"
#include "sim/scenario/units.hpp"
#include "test_support.hpp"

using namespace ratesim;
using namespace ratesim::testing;

namespace {
std::string csv_of(const std::string& yaml, const std::string& interval = "10s") {
  std::ostringstream out;
  cli::RunOptions o;
  o.interval = *scenario::parse_duration(interval);
  o.timeseries = &out;
  cli::run_scenario(scenario_from(yaml), o);
  return out.str();
}
}  // namespace

TEST_CASE("the time series has one row per interval per workload plus all", "[metrics]") {
  // rpm 60 (capacity 60, 1/s), 5/s uniform for 30 s, no retries; ttft 1 s.
  const std::string yaml = "name: t\nduration: 30s\n" + provider_yaml("{rpm: 60}") +
                           "workloads:\n"
                           "  - {name: w, model: m, arrivals: uniform, traffic: [{for: 30s, rate: 5/s}],"
                           " input_tokens: 100, output_tokens: 10, max_tokens: 10}\n";
  const std::string csv = csv_of(yaml);
  // Worked by hand (exact bucket arithmetic; arrivals at 0.2 k s; each admitted request is done
  // 1 s later; an event at an interval's start belongs to that interval):
  //   [0,10):  49 arrive and all pass (60 in the bucket); 44 are done by 10 s (those that came by
  //            8.8 s); 5 in flight at 10 s.
  //   [10,20): 50 arrive; 20.8 tokens at 10 s, then one more each second: 30 pass, 20 get a 429
  //            and give up (no retry layer); done: 5 from before + 29 → 34; one in flight.
  //   [20,30]: 51 arrive (30 s itself is the last interval's); once dry, the bucket holds a whole
  //            token at 20.2, 21.2, ..., 29.2 s (it refills from the first arrival at 0.2 s):
  //            10 pass, 41 give up; done: the one of 19.2 s + 9 → 10; one in flight at 30 s.
  std::istringstream lines(csv);
  std::string header, row;
  std::getline(lines, header);
  // The 429 columns follow the cause table, then the workspace's budgets (docs/outputs.md).
  CHECK(header == "t_s,workload,arrivals,attempts,ok,r429_rpm,r429_itpm,r429_otpm,r429_tpm,r429_acceleration,"
                  "r429_spend,r429_workspace_rpm,r429_workspace_itpm,r429_workspace_otpm,r429_workspace_tpm,r529,"
                  "gave_up,timed_out,dropped,in_flight,queued,latency_p50_s,latency_p99_s,input_tokens,"
                  "output_tokens,cost_usd");
  std::vector<std::string> rows;
  while (std::getline(lines, row)) rows.push_back(row);
  REQUIRE(rows.size() == 3 * 2);
  CHECK(rows[0] == "0,w,49,49,44,0,0,0,0,0,0,0,0,0,0,0,0,0,0,5,0,1.000000,1.000000,4900,490,0.007350");
  CHECK(rows[1] == "0,all,49,49,44,0,0,0,0,0,0,0,0,0,0,0,0,0,0,5,0,1.000000,1.000000,4900,490,0.007350");
  CHECK(rows[2] == "10,w,50,50,34,20,0,0,0,0,0,0,0,0,0,0,20,0,0,1,0,1.000000,1.000000,3000,300,0.004500");
  CHECK(rows[4] == "20,w,51,51,10,41,0,0,0,0,0,0,0,0,0,0,41,0,0,1,0,1.000000,1.000000,1000,100,0.001500");
}
