// `ratesim backtest LOG SCENARIO`: how well a scenario reproduces a recorded log; exit 1 beyond
// the tolerance, so a team can gate its model in CI (docs/calibrate.md).
#pragma once

#include <string>
#include <vector>

namespace ratesim::cli {

int backtest_command(const std::vector<std::string>& args);

}  // namespace ratesim::cli
