// `provider.rate_limits` as a user meets it: docs/provider.md's example, run and validated by the
// ratesim binary.
#include <catch2/catch.hpp>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "test_support.hpp"

namespace fs = std::filesystem;
using ratesim::testing::run_ratesim;
using ratesim::testing::slurp;
using ratesim::testing::source_path;

TEST_CASE("ratesim run and validate on a scenario with the organization's rate limits", "[cli][rate_limits]") {
  // docs/provider.md's example: a scenario beside the saved listing's folder.
  const fs::path dir = fs::temp_directory_path() / ("ratesim-cli-rate-limits-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "rate-limits");
  fs::copy_file(source_path("scenarios/rate-limits/organization.json"), dir / "rate-limits/organization.json");
  std::ofstream(dir / "org.yaml") << R"(name: our-limits
duration: 2m
provider:
  preset: anthropic/start
  rate_limits: rate-limits/organization.json
workloads:
  - name: chat
    model: claude-sonnet-4-6
    arrivals: uniform
    traffic: [{for: 2m, rate: 2/s}]
    input_tokens: 2000
    output_tokens: 200
    max_tokens: 400
)";
  const std::string json = (dir / "rate-limits/organization.json").string();
  const std::string warning = "warning: " + json +
                              ": the entries of group type files (line 47) are not applied: ratesim simulates "
                              "the limits of model groups and of the Message Batches API\n";

  const auto run = run_ratesim("run " + (dir / "org.yaml").string() + " --out " + (dir / "out").string());
  REQUIRE(run.code == 0);
  CHECK(run.err.find(warning) != std::string::npos);
  const auto summary = nlohmann::json::parse(slurp((dir / "out/summary.json").string()));
  CHECK(summary["diagnosis"]["warnings"][0] == warning.substr(9, warning.size() - 10));
  // 2 requests a second, evenly spaced, for 2 minutes: 2 × 120 = 240, far under the
  // organization's 5,000 RPM: no 429.
  CHECK(summary["total"]["requests"]["arrived"] == 240);
  CHECK(summary["total"]["attempts"]["r429"]["total"] == 0);

  const auto validate = run_ratesim("validate " + (dir / "org.yaml").string());
  CHECK(validate.code == 0);
  CHECK(validate.err == warning);

  const auto resolved = run_ratesim("validate " + (dir / "org.yaml").string() + " --resolved");
  REQUIRE(resolved.code == 0);
  CHECK(resolved.out.rfind("# provider.rate_limits: rate-limits/organization.json", 0) == 0);
  CHECK(resolved.out.find("sonnet-4: {limits: {rpm: 5000, itpm: 5000000, otpm: 1000000}}") != std::string::npos);
  CHECK(resolved.out.find("haiku-4-5: {limits: {rpm: 4000, itpm: 4000000, otpm: 800000}}") != std::string::npos);

  const auto missing = run_ratesim("validate " + (dir / "org.yaml").string() + " --set provider.rate_limits=none.json");
  CHECK(missing.code == 2);
  CHECK(missing.err.find("cannot open rate-limits file '" + (dir / "none.json").string() + "': no such file") !=
        std::string::npos);
  fs::remove_all(dir);
}
