#include "sim/cli/validate_command.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <boost/program_options.hpp>
#include <iostream>

#include "sim/cli/command_line.hpp"
#include "sim/cli/metric_paths.hpp"
#include "sim/cli/usage.hpp"
#include "sim/scenario/scenario_loader.hpp"

namespace po = boost::program_options;

namespace ratesim::cli {

int validate_command(const std::vector<std::string>& args) {
  po::options_description visible(R"(Usage: ratesim validate FILE [options]

Checks a scenario file without running it: prints "ok" and a one-line description, or the first
problem as FILE:LINE:COL: message (exit code 2). Every variant under variants: is checked too,
and every expect: entry's metric against the summary the scenario will write. With --resolved, prints the scenario as it will
run: its provider preset expanded, the limits of its provider.rate_limits file written in, and the --set overrides applied.

Options)");
  std::vector<std::string> sets;
  visible.add_options()("help,h", "show this help")(
      "set", po::value(&sets)->composing(), "override one value first: PATH=VALUE (repeatable)")(
      "resolved", "print the scenario with its preset expanded and overrides applied");
  std::string file;
  po::variables_map vm;
  if (!parse_command_line("validate", args, visible, vm, file)) return kExitOk;
  if (vm.count("resolved")) {
    std::cout << scenario::resolved_scenario_yaml(file, sets);
    return kExitOk;
  }
  const scenario::Scenario s = scenario::load_scenario_file(file, sets);
  for (const std::string& w : s.warnings) std::cerr << "warning: " << w << "\n";
  check_expectation_paths(s);
  // Every variant too: each is the base with its overrides, and must be valid on its own (its
  // workloads may differ, and with them the metrics its expect: entries may name).
  for (const std::string& v : s.variants) check_expectation_paths(scenario::load_scenario_variant(file, v, sets));
  std::cout << fmt::format("ok: {} — {} workloads, {} models in {} limit groups, {} s horizon{}\n",
                           s.name, s.world.workloads.size(), s.world.provider.models.size(),
                           s.world.provider.groups.size(), kernel::to_seconds(s.world.duration),
                           s.variants.empty() ? "" : fmt::format("; variants {} valid", fmt::join(s.variants, ", ")));
  return kExitOk;
}

}  // namespace ratesim::cli
