#include "sim/cli/presets_command.hpp"

#include <fmt/format.h>

#include <iostream>

#include "sim/cli/usage.hpp"
#include "sim/scenario/did_you_mean.hpp"
#include "sim/scenario/presets.hpp"
#include "sim/scenario/scenario_loader.hpp"

namespace ratesim::cli {

int presets_command(const std::vector<std::string>& args) {
  if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
    std::cout << R"(Usage: ratesim presets [NAME]

Without NAME, lists the built-in provider presets, each with the date of its numbers and, for one
the provider has replaced, the preset that supersedes it. With NAME, prints that preset's file:
its limits, prices, cache minimums and batch limits, with the date and source of the numbers,
which figures are assumptions and which models are unconfirmed. Use one in a scenario with

  provider:
    preset: anthropic/build

and override any field under provider (e.g. provider.groups.haiku-4-5.limits.rpm).
)";
    return kExitOk;
  }
  if (args.size() > 1) throw UsageError("presets takes at most one NAME (see 'ratesim presets --help')");
  if (args.empty()) {
    std::size_t width = 0;
    for (const auto& p : scenario::presets()) width = std::max(width, p.name.size());
    for (const auto& p : scenario::presets()) {
      const auto read = scenario::preset_provider(std::string(p.name));
      std::string line = fmt::format("{:<{}}  {:<7}  {}", p.name, width, read->date, scenario::preset_title(p));
      if (read->superseded) line += fmt::format(" [superseded since {} by {}]", read->superseded->since, read->superseded->by);
      std::cout << line << "\n";
    }
    return kExitOk;
  }
  const auto preset = scenario::find_preset(args[0]);
  if (!preset) {
    std::vector<std::string> names;
    for (const auto& p : scenario::presets()) names.emplace_back(p.name);
    throw UsageError(fmt::format("unknown preset '{}'{} (see 'ratesim presets')", args[0],
                                 scenario::did_you_mean(args[0], names)));
  }
  std::cout << preset->text;
  return kExitOk;
}

}  // namespace ratesim::cli
