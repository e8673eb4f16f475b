#include "sim/cli/warning.hpp"

#include <iostream>

#include <fmt/format.h>

#include "sim/report/progress_bar.hpp"
#include "sim/scenario/spend_forecast.hpp"

namespace ratesim::cli {

void print_warning(const std::string& message) {
  std::cerr << (report::use_colour(stderr) ? "\033[33mwarning:\033[0m " : "warning: ") << message << "\n";
}

void print_spend_warnings(const std::vector<std::pair<std::string, const scenario::Scenario*>>& scenarios) {
  constexpr std::size_t kShown = 3;
  std::size_t found = 0;
  for (const auto& [label, s] : scenarios) {
    const auto w = scenario::spend_limit_warning(*s);
    if (!w) continue;
    if (++found <= kShown) print_warning(label.empty() ? *w : label + ": " + *w);
  }
  if (found > kShown)
    print_warning(fmt::format("{} more of these {} scenarios pass the monthly spend limit the same way",
                              found - kShown, scenarios.size()));
}

}  // namespace ratesim::cli
