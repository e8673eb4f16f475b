#include "sim/cli/validate_command.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <boost/program_options.hpp>
#include <iostream>

#include "sim/cli/command_line.hpp"
#include "sim/cli/shared_options.hpp"
#include "sim/cli/metric_paths.hpp"
#include "sim/cli/usage.hpp"
#include "sim/cli/warning.hpp"
#include "sim/scenario/provider_warnings.hpp"
#include "sim/scenario/scenario_loader.hpp"

namespace po = boost::program_options;

namespace ratesim::cli {

namespace {

/// What validate warns about: what the loader found (a rate-limits file's entries it could not
/// apply), the superseded preset, then each unconfirmed model sent to.
std::vector<std::string> provider_warnings(const scenario::Scenario& s) {
  std::vector<std::string> out = s.warnings;
  if (auto w = scenario::superseded_preset_warning(s)) out.push_back(std::move(*w));
  for (std::string& w : scenario::unconfirmed_model_warnings(s)) out.push_back(std::move(w));
  return out;
}

}  // namespace

int validate_command(const std::vector<std::string>& args) {
  po::options_description visible(R"(Usage: ratesim validate FILE [options]

Checks a scenario file without running it: prints "ok" and a one-line description, or the first
problem as FILE:LINE:COL: message (exit code 2). Every variant under variants: is checked too,
and every expect: entry's metric against the summary the scenario will write. Warns on stderr when
the scenario's preset is superseded (naming the current one), for each unconfirmed model it
sends to, and about what its provider.rate_limits file could not apply. With --resolved, prints
the scenario as it will run: its provider preset expanded, the limits of its provider.rate_limits
file written in, and the --set overrides applied.

Options)");
  visible.add_options()("help,h", "show this help");
  const SetOption set_option(visible, "override one value first: PATH=VALUE (repeatable)");
  visible.add_options()(
      "resolved", "print the scenario with its preset expanded and overrides applied");
  std::string file;
  po::variables_map vm;
  if (!parse_command_line("validate", args, visible, vm, file)) return kExitOk;
  const std::vector<std::string>& sets = set_option.value();
  if (vm.count("resolved")) {
    std::cout << scenario::resolved_scenario_yaml(file, sets);
    return kExitOk;
  }
  const scenario::Scenario s = scenario::load_scenario_file(file, sets);
  check_expectation_paths(s);
  std::vector<std::string> warnings = provider_warnings(s);
  // Every variant too: each is the base with its overrides, and must be valid on its own (its
  // workloads may differ, and with them the metrics its expect: entries may name).
  for (const std::string& v : s.variants) {
    const scenario::Scenario variant = scenario::load_scenario_variant(file, v, sets);
    check_expectation_paths(variant);
    for (std::string& w : provider_warnings(variant))
      if (std::find(warnings.begin(), warnings.end(), w) == warnings.end()) warnings.push_back(std::move(w));
  }
  std::cout << fmt::format("ok: {} — {} workloads, {} models in {} limit groups, {} s horizon{}\n",
                           s.name, s.world.workloads.size(), s.world.provider.models.size(),
                           s.world.provider.groups.size(), kernel::to_seconds(s.world.duration),
                           s.variants.empty() ? "" : fmt::format("; variants {} valid", fmt::join(s.variants, ", ")));
  for (const std::string& w : warnings) print_warning(w);
  return kExitOk;
}

}  // namespace ratesim::cli
