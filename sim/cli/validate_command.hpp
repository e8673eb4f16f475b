// `ratesim validate FILE [--set PATH=VALUE]...`
#pragma once

#include <string>
#include <vector>

namespace ratesim::cli {

int validate_command(const std::vector<std::string>& args);

}  // namespace ratesim::cli
