// `ratesim calibrate LOG...`: fits the provider and the client to recorded attempts and writes an
// ordinary scenario whose comments give each value's evidence (docs/calibrate.md).
#pragma once

#include <string>
#include <vector>

namespace ratesim::cli {

int calibrate_command(const std::vector<std::string>& args);

}  // namespace ratesim::cli
