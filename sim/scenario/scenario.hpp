// A validated scenario: everything a run needs, as plain configuration structs.
#pragma once

#include <string>

#include "models/world.hpp"

namespace ratesim::scenario {

struct Scenario {
  std::string name;        ///< the scenario's `name:`
  std::string file;        ///< where it was read from, for messages
  models::WorldConfig world;
};

}  // namespace ratesim::scenario
