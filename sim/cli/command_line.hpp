// What every subcommand's command line has in common: options plus one scenario FILE, --help,
// and errors reported as usage errors that point to the command's help.
#pragma once

#include <boost/program_options.hpp>
#include <string>
#include <vector>

namespace ratesim::cli {

/// Parses `args` against `options` and a positional FILE (stored in `file`). Returns false when
/// --help was given (after printing `options` and `help_footer`), true otherwise.
/// Throws UsageError on a bad option, or when FILE is missing.
bool parse_command_line(const std::string& command, const std::vector<std::string>& args,
                        const boost::program_options::options_description& options,
                        boost::program_options::variables_map& vm, std::string& file,
                        const char* help_footer = "");

/// Like parse_command_line, for commands that take several files: at least `min_files`, at
/// most `max_files`, named `what` in the error ("an attempts LOG").
bool parse_command_line_files(const std::string& command, const std::vector<std::string>& args,
                              const boost::program_options::options_description& options,
                              boost::program_options::variables_map& vm, std::vector<std::string>& files,
                              std::size_t min_files, std::size_t max_files, const char* what,
                              const char* help_footer = "");

/// A share written as 5% or 0.05 (>= 0), for `option`. Throws UsageError otherwise.
double parse_percent(const std::string& text, const std::string& option);

}  // namespace ratesim::cli
