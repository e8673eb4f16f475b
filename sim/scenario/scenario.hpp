// A validated scenario: everything a run needs, as plain configuration structs.
#pragma once

#include <string>
#include <vector>

#include "models/world.hpp"

namespace ratesim::scenario {

struct Scenario {
  std::string name;        ///< the scenario's `name:`
  std::string file;        ///< where it was read from, for messages
  models::WorldConfig world;
  std::vector<std::string> variants;  ///< names under `variants:`, in file order
  std::string variant;                ///< which variant this is; "" for the base
};

}  // namespace ratesim::scenario
