#include "sim/scenario/did_you_mean.hpp"

#include <catch2/catch.hpp>

using namespace ratesim::scenario;

TEST_CASE("edit distance counts insertions, deletions, substitutions and swaps", "[scenario]") {
  CHECK(edit_distance("ramp_to", "ramp_to") == 0);
  CHECK(edit_distance("ramp_too", "ramp_to") == 1);
  CHECK(edit_distance("rmap_to", "ramp_to") == 1);
  CHECK(edit_distance("rate", "late") == 1);
  CHECK(edit_distance("", "abc") == 3);
}

TEST_CASE("a suggestion is offered only for a likely misspelling", "[scenario]") {
  const std::vector<std::string> keys{"for", "rate", "ramp_to", "count", "pause", "burst", "at"};
  CHECK(closest("ramp_too", keys) == "ramp_to");
  CHECK(closest("cuont", keys) == "count");
  CHECK_FALSE(closest("xyzzy", keys).has_value());
  CHECK(did_you_mean("burts", keys) == " (did you mean 'burst'?)");
  CHECK(did_you_mean("zzz", keys).empty());
}
