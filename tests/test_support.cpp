#include "test_support.hpp"

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

std::string source_path(const std::string& relative) {
  return std::string(RATESIM_SOURCE_DIR) + "/" + relative;
}

}  // namespace ratesim::testing
