// `ratesim presets [NAME]`: lists the built-in provider presets, or prints one.
#pragma once

#include <string>
#include <vector>

namespace ratesim::cli {

int presets_command(const std::vector<std::string>& args);

}  // namespace ratesim::cli
