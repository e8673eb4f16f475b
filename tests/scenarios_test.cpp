// Every file in scenarios/ runs, and its summary matches its committed baseline
// (tests/baselines/<name>.summary.json). Refresh the baselines after a deliberate behaviour
// change with tools/refresh-baselines.sh, and review the diff before committing it.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/report/summary_json.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace ratesim;
using namespace ratesim::testing;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// The summary without the version, so a release alone does not churn the baselines.
std::string baseline_text(metrics::Summary s) {
  s.version = "";
  auto j = report::summary_to_json(s);
  j.erase("version");
  return j.dump(2) + "\n";
}

std::vector<fs::path> scenario_files() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(source_path("scenarios")))
    if (e.path().extension() == ".yaml") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("every example scenario matches its baseline summary", "[scenarios][baselines]") {
  const bool update = std::getenv("RATESIM_UPDATE_BASELINES") != nullptr;
  const auto files = scenario_files();
  REQUIRE_FALSE(files.empty());
  for (const fs::path& file : files) {
    INFO("scenario " << file.filename().string());
    const auto s = scenario::load_scenario_file(file.string());
    const std::string actual = baseline_text(cli::run_scenario(s).summary);
    const fs::path baseline = source_path("tests/baselines") + "/" + file.stem().string() + ".summary.json";
    if (update) {
      std::ofstream(baseline) << actual;
      continue;
    }
    REQUIRE(fs::exists(baseline));
    CHECK(actual == slurp(baseline));
  }
}

TEST_CASE("two runs of one scenario give byte-identical outputs", "[scenarios][determinism]") {
  const auto s = scenario::load_scenario_file(source_path("scenarios/quickstart.yaml"));
  std::ostringstream ts1, ts2;
  const auto a = cli::run_scenario(s, {.timeseries = &ts1});
  const auto b = cli::run_scenario(s, {.timeseries = &ts2});
  CHECK(report::summary_json_text(a.summary) == report::summary_json_text(b.summary));
  CHECK(ts1.str() == ts2.str());
  CHECK(ts1.str().size() > 1000);
}

TEST_CASE("another seed changes a Poisson run", "[scenarios][determinism]") {
  auto s = scenario::load_scenario_file(source_path("scenarios/quickstart.yaml"));
  const auto a = cli::run_scenario(s).summary;
  s.world.seed += 1;
  const auto b = cli::run_scenario(s).summary;
  CHECK(a.workloads[0].arrived != b.workloads[0].arrived);
}

TEST_CASE("adding a workload does not change another workload's draws", "[scenarios][determinism]") {
  auto s = scenario::load_scenario_file(source_path("scenarios/quickstart.yaml"));
  s.world.workloads.pop_back();  // drop the backfill
  const auto alone = cli::run_scenario(s).summary;
  const auto both = cli::run_scenario(
      scenario::load_scenario_file(source_path("scenarios/quickstart.yaml"))).summary;
  // Same arrivals and sizes: the chat's streams do not depend on the backfill.
  CHECK(alone.workloads[0].arrived == both.workloads[0].arrived);
}
