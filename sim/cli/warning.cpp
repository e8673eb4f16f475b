#include "sim/cli/warning.hpp"

#include <iostream>

#include "sim/report/progress_bar.hpp"

namespace ratesim::cli {

void print_warning(const std::string& message) {
  std::cerr << (report::use_colour(stderr) ? "\033[33mwarning:\033[0m " : "warning: ") << message << "\n";
}

}  // namespace ratesim::cli
