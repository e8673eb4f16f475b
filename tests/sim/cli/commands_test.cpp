// The command table and the help printed from it.
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "sim/cli/commands.hpp"

using namespace ratesim::cli;

TEST_CASE("each command of the table is found by its name, once", "[cli]") {
  std::set<std::string_view> names;
  for (const Command& c : commands()) {
    CHECK(names.insert(c.name).second);
    CHECK(find_command(c.name) == &c);
    CHECK(c.run != nullptr);
  }
  CHECK(find_command("frobnicate") == nullptr);
  CHECK(find_command("") == nullptr);
}

TEST_CASE("the help lines a command's summary up at column 18, its name on a line of its own when longer", "[cli]") {
  const std::string help = main_help();
  // "  run FILE" is 10 characters: the summary follows after 8 spaces, its second line indented 18.
  CHECK(help.find("\n  run FILE        simulate a scenario; print a summary, optionally write summary.json,\n"
                  "                  timeseries.csv and limits.csv, and an attempts log\n") != std::string::npos);
  // "  presets [NAME]" is 16: two spaces still fit.
  CHECK(help.find("\n  presets [NAME]  list the built-in provider presets") != std::string::npos);
  // "  calibrate LOG..." is 18: no room left, so the summary starts on the next line.
  CHECK(help.find("\n  calibrate LOG...\n                  fit a scenario to recorded attempts logs") != std::string::npos);
}
