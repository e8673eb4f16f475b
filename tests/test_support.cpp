#include "test_support.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "models/world.hpp"
#include "sim/scenario/input_error.hpp"

namespace ratesim::testing {

scenario::Scenario scenario_from(const std::string& yaml) {
  return scenario::load_scenario_text(yaml, "test.yaml");
}

metrics::Summary run_yaml(const std::string& yaml) {
  return cli::run_scenario(scenario_from(yaml)).summary;
}

std::string load_error(const std::string& yaml, const std::vector<std::string>& sets,
                       const std::string& label) {
  try {
    scenario::load_scenario_text(yaml, label, sets);
  } catch (const scenario::InputError& e) {
    return e.what();
  }
  return "";
}

void run_with(const scenario::Scenario& s, models::WorldObserver& rec) {
  kernel::Simulation sim;
  models::World world(s.world, sim);
  world.add_observer(&rec);
  world.run();
}

std::string provider_yaml(const std::string& limits, const std::string& extra) {
  return "provider:\n" + extra +
         "  models:\n"
         "    m:\n"
         "      limits: " + limits + "\n"
         "      price: {input: 1, output: 5}\n"
         "      latency: {ttft: 1s, output_tps: 1000000000}\n";
}

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

BinaryResult run_ratesim(const std::string& args) {
  // One folder per test process: ctest runs tests in parallel.
  const auto dir = std::filesystem::temp_directory_path() / ("ratesim-cli-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string cmd = std::string(RATESIM_BINARY) + " " + args + " >" + (dir / "out").string() + " 2>" +
                          (dir / "err").string();
  const int status = std::system(cmd.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp((dir / "out").string()), slurp((dir / "err").string())};
}

std::string source_path(const std::string& relative) {
  return std::string(RATESIM_SOURCE_DIR) + "/" + relative;
}

}  // namespace ratesim::testing
