#include "sim/cli/validate_command.hpp"

#include <fmt/format.h>

#include <boost/program_options.hpp>
#include <iostream>

#include "sim/cli/usage.hpp"
#include "sim/scenario/scenario_loader.hpp"

namespace po = boost::program_options;

namespace ratesim::cli {

int validate_command(const std::vector<std::string>& args) {
  po::options_description visible(R"(Usage: ratesim validate FILE [options]

Checks a scenario file without running it: prints "ok" and a one-line description, or the first
problem as FILE:LINE:COL: message (exit code 2). With --resolved, prints the scenario as it will
run: its provider preset expanded and the --set overrides applied.

Options)");
  std::vector<std::string> sets;
  visible.add_options()("help,h", "show this help")(
      "set", po::value(&sets)->composing(), "override one value first: PATH=VALUE (repeatable)")(
      "resolved", "print the scenario with its preset expanded and overrides applied");
  po::options_description all;
  std::string file;
  all.add(visible).add_options()("file", po::value(&file));
  po::positional_options_description positional;
  positional.add("file", 1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw UsageError(std::string(e.what()) + " (see 'ratesim validate --help')");
  }
  if (vm.count("help")) {
    std::cout << visible;
    return kExitOk;
  }
  if (file.empty()) throw UsageError("validate needs a scenario FILE (see 'ratesim validate --help')");
  if (vm.count("resolved")) {
    std::cout << scenario::resolved_scenario_yaml(file, sets);
    return kExitOk;
  }
  const scenario::Scenario s = scenario::load_scenario_file(file, sets);
  std::cout << fmt::format("ok: {} — {} workloads, {} models in {} limit groups, {} s horizon\n",
                           s.name, s.world.workloads.size(), s.world.provider.models.size(),
                           s.world.provider.groups.size(), kernel::to_seconds(s.world.duration));
  return kExitOk;
}

}  // namespace ratesim::cli
