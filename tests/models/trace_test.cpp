// Replaying recorded traces.
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "sim/scenario/input_error.hpp"
#include "test_support.hpp"

using namespace ratesim;
using namespace ratesim::testing;
namespace fs = std::filesystem;

namespace {

fs::path write_trace(const std::string& name, const std::string& csv) {
  const fs::path p = fs::temp_directory_path() / ("ratesim-" + name + ".csv");
  std::ofstream(p) << csv;
  return p;
}

std::string trace_scenario(const fs::path& trace, const std::string& extra = "") {
  return "name: t\nduration: 1h\n" + provider_yaml("{rpm: 100000}") +
         "workloads:\n  - name: w\n    model: m\n    trace: {file: " + trace.string() + extra +
         "}\n    max_tokens: 100\n";
}

const char* kCsv =
    "time_s,input_tokens,output_tokens\n"
    "0.5,100,10\n"
    "2,200,20\n"
    "2,300,30\n"
    "10,400,40\n";

}  // namespace

TEST_CASE("a trace replays each record at its time with its sizes", "[traffic]") {
  Recorder rec;
  run_with(scenario_from(trace_scenario(write_trace("basic", kCsv))), rec);
  std::vector<double> times;
  for (const auto& s : rec.sends) times.push_back(s.t);
  CHECK(times == std::vector<double>{0.5, 2, 2, 10});
  const auto s = run_yaml(trace_scenario(write_trace("basic", kCsv)));
  CHECK(s.total.input_tokens == 1000);
  CHECK(s.total.output_tokens == 100);
}

TEST_CASE("time_scale stretches a trace and rate_scale multiplies it", "[traffic]") {
  Recorder rec;
  run_with(scenario_from(trace_scenario(write_trace("scaled", kCsv), ", time_scale: 2")), rec);
  CHECK(rec.sends.back().t == 20.0);
  // rate_scale 2.5: each record stands for 2 or 3 requests, 2.5 on average.
  std::string many = "time_s,input_tokens,output_tokens\n";
  for (int i = 0; i < 4000; ++i) many += std::to_string(i * 0.5) + ",10,1\n";
  const auto s = run_yaml(trace_scenario(write_trace("many", many), ", rate_scale: 2.5"));
  CHECK(std::abs(static_cast<double>(s.total.arrived) - 10000) < 5 * std::sqrt(4000 * 0.25));
}

TEST_CASE("a bad trace row is an error naming the file, line and column", "[traffic]") {
  const fs::path bad = write_trace("bad", "time_s,input_tokens,output_tokens\n1,100,10\n2,abc,10\n");
  CHECK(load_error(trace_scenario(bad)) ==
        bad.string() + ":3:3: invalid value 'abc' for 'input_tokens': expected a whole number >= 1");
  const fs::path order = write_trace("order", "time_s,input_tokens,output_tokens\n5,100,10\n2,100,10\n");
  CHECK(load_error(trace_scenario(order)) ==
        order.string() + ":3:1: time_s 2 is before the previous record's 5: records must be in time order");
  const fs::path column = write_trace("column", "time_s,input_tokens,ouput_tokens\n");
  CHECK(load_error(trace_scenario(column)) ==
        column.string() + ":1:21: unknown column 'ouput_tokens' (did you mean 'output_tokens'?): "
                          "expected time_s, input_tokens, output_tokens, and optionally max_tokens, "
                          "model, cached_tokens");
}

TEST_CASE("a trace's relative path is read from the scenario's folder", "[traffic]") {
  const auto s = scenario::load_scenario_file(source_path("scenarios/trace.yaml"));
  REQUIRE(s.world.workloads[0].kind == models::WorkloadConfig::Kind::kTrace);
  CHECK_FALSE(s.world.workloads[0].trace.records.empty());
}
