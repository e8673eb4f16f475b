// `ratesim search FILE --vary PATH=LO..HI [--integer] (--maximize | --minimize)
// --require 'METRIC OP VALUE'... [--replications N] [--jobs N] [--set ...] [--variant NAME]
// [--out DIR] [--json]`: the answer to a planning question, with the evidence for it (search.hpp).
#pragma once

#include <string>
#include <vector>

namespace ratesim::cli {

int search_command(const std::vector<std::string>& args);

}  // namespace ratesim::cli
