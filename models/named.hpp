// An enum's spellings, declared beside the enum: a scenario file names the values, a reader maps
// a name to its value (and lists the names in its messages), and nothing depends on positions.
#pragma once

#include <string_view>

namespace ratesim::models {

template <typename E>
struct Named {
  std::string_view name;
  E value;
};

}  // namespace ratesim::models
