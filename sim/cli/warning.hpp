// How a command tells a person what they should not miss: one "warning: …" line on stderr each,
// the word in colour on a terminal. Shared by run and validate, so both say it the same way.
#pragma once

#include <string>

namespace ratesim::cli {

/// Prints "warning: MESSAGE" on stderr.
void print_warning(const std::string& message);

}  // namespace ratesim::cli
