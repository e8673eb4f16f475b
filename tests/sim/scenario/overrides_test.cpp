#include "sim/scenario/overrides.hpp"

#include <catch2/catch.hpp>

#include "sim/scenario/input_error.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "test_support.hpp"

using namespace ratesim;
using namespace ratesim::testing;
using namespace std::chrono_literals;

namespace {
const std::string kYaml = "name: t\nduration: 1h\n" + provider_yaml("{rpm: 60}") +
                          "workloads:\n"
                          "  - name: chat\n"
                          "    model: m\n"
                          "    traffic: [{for: 10m, rate: 1/s}]\n"
                          "    input_tokens: 100\n"
                          "    output_tokens: 10\n"
                          "    max_tokens: 10\n"
                          "    client: [{semaphore: {limit: 4}}, {retry: {max_retries: 2}}]\n";

std::string set_error(const std::string& assignment) { return load_error(kYaml, {assignment}); }
}  // namespace

TEST_CASE("set overrides change values by key, by list item name and by layer kind", "[scenario]") {
  const auto s = scenario::load_scenario_text(
      kYaml, "t.yaml",
      {"duration=2h", "workloads.chat.deadline=30s", "workloads.chat.client.semaphore.limit=9",
       "workloads.0.client.1.retry.max_retries=5", "provider.network_delay=15ms"});
  CHECK(s.world.duration == 2h);
  const auto& w = s.world.workloads[0];
  CHECK(w.deadline == 30s);
  CHECK(std::get<models::client::SemaphoreConfig>(w.client[0]).limit == 9);
  CHECK(std::get<models::client::RetryConfig>(w.client[1]).max_retries == 5);
  CHECK(s.world.provider.network_delay == 15ms);
}

TEST_CASE("set overrides take YAML values such as lists", "[scenario]") {
  const auto s = scenario::load_scenario_text(kYaml, "t.yaml", {"workloads.chat.client=[]"});
  CHECK(s.world.workloads[0].client.empty());
}

TEST_CASE("a bad value given with a set override is reported inside the argument", "[scenario]") {
  CHECK(set_error("workloads.chat.deadline=soon") ==
        "--set workloads.chat.deadline=soon:1:31: invalid duration 'soon' for 'deadline': expected "
        "a duration: a number of seconds or numbers with units (us, ms, s, m, h, d), e.g. 250ms, "
        "2s, 1h30m");
}

TEST_CASE("a set override path that names nothing is refused with a suggestion", "[scenario]") {
  CHECK(set_error("workloads.caht.deadline=1s") ==
        "--set workloads.caht.deadline=1s: no item 'caht' in 'workloads' (did you mean 'chat'?)");
  CHECK(set_error("provder.burst=1s") ==
        "--set provder.burst=1s: no key 'provder' in the scenario (did you mean 'provider'?)");
  CHECK(set_error("duration") == "--set duration: expected PATH=VALUE, e.g. --set workloads.chat.deadline=30s");
}
