#include "sim/metrics/summary_collector.hpp"

#include <catch2/catch.hpp>

#include "sim/report/summary_json.hpp"
#include "test_support.hpp"

using namespace ratesim;
using namespace ratesim::testing;

TEST_CASE("a lone workload's summary is what it would be beside another workload", "[metrics]") {
  // With one workload the collector keeps only the total and copies it; with two it keeps each.
  // A second workload on another model (its own budgets, its own random streams) changes
  // nothing for the first, so the first's summary must be the same either way — every field,
  // latency percentiles included — though the second run went through the per-workload path.
  const std::string provider =
      "provider:\n  models:\n"
      "    m:\n      limits: {rpm: 120}\n      price: {input: 1, output: 5}\n"
      "      latency: {ttft: {lognormal: {median: 1s, sigma: 0.5}}, output_tps: 50}\n"
      "    n:\n      limits: {rpm: 120}\n      price: {input: 1, output: 5}\n"
      "      latency: {ttft: 2s, output_tps: 50}\n";
  const std::string first =
      "  - {name: w, model: m, traffic: [{for: 2m, rate: 3/s}], input_tokens: {lognormal: {median: 500, sigma: 0.5}},"
      " output_tokens: {uniform: [10, 200]}, max_tokens: 256, client: [{retry: {max_retries: 2}}]}\n";
  const std::string second = "  - {name: other, model: n, traffic: [{for: 2m, rate: 1/s}], input_tokens: 100,"
                             " output_tokens: 10, max_tokens: 10}\n";
  std::string head = "name: t\nduration: 3m\n";
  head += provider;
  head += "workloads:\n";
  head += first;
  const auto alone = run_yaml(head);
  const auto beside = run_yaml(head + second);
  REQUIRE(alone.workloads.size() == 1);
  REQUIRE(beside.workloads.size() == 2);
  CHECK(alone.workloads[0].name == "w");
  CHECK(alone.workloads[0].r429_total() > 0);  // the budget binds: retries and 429s are counted
  CHECK(report::workload_to_json(alone.workloads[0]) == report::workload_to_json(beside.workloads[0]));
  // And the lone workload is the total, under its own name.
  metrics::WorkloadSummary total = alone.total;
  total.name = alone.workloads[0].name;
  CHECK(report::workload_to_json(alone.workloads[0]) == report::workload_to_json(total));
}
