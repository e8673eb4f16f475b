// `ratesim check FILE [--baseline summary.json] [--tolerance 5%]... [--replications N]
// [--junit F.xml] [--markdown F.md]`: a CI gate for rate-limit policy changes (docs/ci.md,
// docs/ci.md). Exit 0 when every check passes, 1 when any fails, 2 on bad input.
#pragma once

#include <string>
#include <vector>

namespace ratesim::cli {

int check_command(const std::vector<std::string>& args);

}  // namespace ratesim::cli
