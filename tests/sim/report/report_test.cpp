#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "sim/report/atomic_file.hpp"
#include "sim/report/number_format.hpp"
#include "sim/report/summary_json.hpp"
#include "sim/report/summary_table.hpp"
#include "test_support.hpp"

using namespace ratesim;
using namespace ratesim::report;

TEST_CASE("numbers for people carry thousands separators", "[report]") {
  CHECK(with_separators(std::uint64_t{0}) == "0");
  CHECK(with_separators(std::uint64_t{999}) == "999");
  CHECK(with_separators(std::uint64_t{1234567}) == "1,234,567");
  CHECK(with_separators(12345.678, 2) == "12,345.68");
  CHECK(with_separators(-0.001, 2) == "0.00");
  CHECK(with_separators(-1500.5, 1) == "-1,500.5");
}

TEST_CASE("machine numbers are rounded to nine significant digits", "[report]") {
  CHECK(round_significant(0.1 + 0.2) == 0.3);
  CHECK(round_significant(123456789.987) == 123456790.0);
  CHECK(round_significant(0.0) == 0.0);
}

TEST_CASE("summary.json carries the schema and every section docs/outputs.md lists", "[report]") {
  const auto s = testing::run_yaml(
      "name: j\nseed: 4\nduration: 1m\n" + testing::provider_yaml("{rpm: 60}") +
      "workloads:\n  - {name: w, model: m, backlog: {count: 3}, input_tokens: 10,"
      " output_tokens: 5, max_tokens: 5}\n");
  const auto j = summary_to_json(s);
  CHECK(j["schema"] == "ratesim.summary/2");
  CHECK(j["scenario"] == "j");
  CHECK(j["seed"] == 4);
  CHECK(j["duration_s"] == 60.0);
  for (const auto* block : {&j["total"], &j["workloads"]["w"]}) {
    for (const char* key : {"requests", "attempts", "amplification", "latency_s", "queue_wait_s",
                            "throughput_rps", "makespan_s", "tokens", "cost_usd"})
      CHECK(block->contains(key));
    CHECK((*block)["requests"]["ok"] == 3);
    CHECK((*block)["attempts"]["r429"]["total"] == 0);
    CHECK((*block)["latency_s"]["p99"] == 1.0);
    CHECK((*block)["tokens"]["input"] == 30);
    CHECK((*block)["cost_usd"]["total"] == Approx(30e-6 + 15 * 5e-6));
  }
}

TEST_CASE("the summary table has one column per workload and a total", "[report]") {
  metrics::Summary s;
  s.workloads.resize(2);
  s.workloads[0].name = "chat";
  s.workloads[1].name = "backfill";
  s.workloads[0].arrived = 1234;
  s.workloads[1].arrived = 5;
  s.total.name = "total";
  s.total.arrived = 1239;
  const std::string table = summary_table(s);
  CHECK(table.find("chat  backfill     total") != std::string::npos);
  CHECK(table.find("arrived") != std::string::npos);
  CHECK(table.find("1,234         5     1,239") != std::string::npos);
}

TEST_CASE("an uncommitted output file leaves nothing behind", "[report]") {
  const auto dir = std::filesystem::temp_directory_path() / "ratesim-atomic-test";
  std::filesystem::remove_all(dir);
  ensure_directory(dir);
  {
    AtomicFile f(dir / "a.txt");
    f.stream() << "half";
  }
  CHECK(std::filesystem::is_empty(dir));
  {
    AtomicFile f(dir / "b.txt");
    f.stream() << "whole";
    f.commit();
  }
  std::ifstream in(dir / "b.txt");
  std::string text;
  std::getline(in, text);
  CHECK(text == "whole");
  std::filesystem::remove_all(dir);
}
