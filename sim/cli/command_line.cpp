#include "sim/cli/command_line.hpp"

#include <fmt/format.h>

#include <cmath>
#include <iostream>

#include "sim/cli/usage.hpp"
#include "sim/scenario/units.hpp"

namespace po = boost::program_options;

namespace ratesim::cli {

bool parse_command_line(const std::string& command, const std::vector<std::string>& args,
                        const po::options_description& options, po::variables_map& vm,
                        std::string& file, const char* help_footer) {
  std::vector<std::string> files;
  if (!parse_command_line_files(command, args, options, vm, files, 1, 1, "a scenario FILE", help_footer)) return false;
  file = files.front();
  return true;
}

bool parse_command_line_files(const std::string& command, const std::vector<std::string>& args,
                              const po::options_description& options, po::variables_map& vm,
                              std::vector<std::string>& files, std::size_t min_files, std::size_t max_files,
                              const char* what, const char* help_footer) {
  po::options_description all;
  all.add(options).add_options()("files", po::value(&files)->composing());
  po::positional_options_description positional;
  positional.add("files", -1);
  try {
    po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw UsageError(fmt::format("{} (see 'ratesim {} --help')", e.what(), command));
  }
  if (vm.count("help")) {
    std::cout << options << help_footer;
    return false;
  }
  if (files.size() < min_files)
    throw UsageError(fmt::format("{} needs {} (see 'ratesim {} --help')", command, what, command));
  if (files.size() > max_files)
    throw UsageError(fmt::format("{} takes {} file{}, got {}: {} (see 'ratesim {} --help')", command, max_files,
                                 max_files == 1 ? "" : "s", files.size(), files.back(), command));
  return true;
}

double parse_percent(const std::string& text, const std::string& option) {
  std::string t = text;
  const bool percent = !t.empty() && t.back() == '%';
  if (percent) t.pop_back();
  const auto v = scenario::parse_number(t);
  if (!v || *v < 0 || !std::isfinite(*v))
    throw UsageError(fmt::format("invalid value '{}' for {}: expected a share such as 5% or 0.05", text, option));
  return percent ? *v / 100 : *v;
}

}  // namespace ratesim::cli
