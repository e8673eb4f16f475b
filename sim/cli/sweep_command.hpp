// `ratesim sweep FILE --grid PATH=V1,V2,... [--grid ...] [--replications N] [--jobs N]
// --out F.csv`: every point of a grid of overrides × every replication.
#pragma once

#include <string>
#include <vector>

namespace ratesim::cli {

int sweep_command(const std::vector<std::string>& args);

}  // namespace ratesim::cli
