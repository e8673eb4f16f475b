// The options several commands share: --seed, --jobs, --replications, --variant and --set.
// Each is declared and checked here once, so every command that takes one accepts the same
// values and refuses a bad one with the same message. The check runs while the command line is
// parsed, before the command reads any file, so the message depends neither on the command nor
// on its other arguments.
//
// A command constructs the option on its options_description, in the place its --help should
// list it, and reads value() after parse_command_line. The option registers itself by address:
// it is neither copied nor moved.
#pragma once

#include <boost/program_options.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ratesim::cli {

/// Bounds of --replications and --jobs.
inline constexpr int kMaxReplications = 10'000;
inline constexpr int kMaxJobs = 256;

/// A --seed value: a whole number >= 0. Throws UsageError otherwise.
std::uint64_t parse_seed(const std::string& text);
/// A --jobs value: a whole number from 1 to kMaxJobs. Throws UsageError otherwise.
int parse_jobs(const std::string& text);
/// A --replications value: a whole number from 1 to kMaxReplications. Throws UsageError otherwise.
int parse_replications(const std::string& text);
/// A --variant value: a non-empty name. Throws UsageError otherwise.
const std::string& check_variant_name(const std::string& name);
/// Every core of this machine, at most kMaxJobs: --jobs when it is not given.
int all_cores();

/// Base of the shared options: not copyable, since the parser holds the option's address.
class SharedOption {
 public:
  SharedOption() = default;
  SharedOption(const SharedOption&) = delete;
  SharedOption& operator=(const SharedOption&) = delete;
};

/// --seed N: replaces the scenario's seed.
class SeedOption : SharedOption {
 public:
  explicit SeedOption(boost::program_options::options_description& options,
                      const char* help = "override the scenario's seed");
  /// The seed given; nullopt without --seed.
  const std::optional<std::uint64_t>& value() const { return value_; }

 private:
  std::optional<std::uint64_t> value_;
};

/// --jobs N: threads to run on; every core when not given. Outputs never depend on it.
class JobsOption : SharedOption {
 public:
  explicit JobsOption(boost::program_options::options_description& options,
                      const char* help = "threads to run on (default: all cores)");
  int value() const { return value_ ? *value_ : all_cores(); }

 private:
  std::optional<int> value_;
};

/// --replications N: runs with seeds seed, seed+1, ...; 1 when not given.
class ReplicationsOption : SharedOption {
 public:
  /// `help` says what is replicated, e.g. "runs per point, seeds seed, seed+1, ... (default 1)".
  ReplicationsOption(boost::program_options::options_description& options, const char* help);
  int value() const { return value_; }

 private:
  int value_ = 1;
};

/// --variant NAME: one of the scenario's variants instead of the base.
class VariantOption : SharedOption {
 public:
  VariantOption(boost::program_options::options_description& options, const char* help);
  /// The variant's name; empty for the base.
  const std::string& value() const { return value_; }

 private:
  std::string value_;
};

/// --variant NAME, repeatable (compare: the columns besides the base).
class VariantsOption : SharedOption {
 public:
  VariantsOption(boost::program_options::options_description& options, const char* help);
  /// The names in the order given; empty when none was.
  const std::vector<std::string>& value() const { return value_; }

 private:
  std::vector<std::string> value_;
};

/// --set PATH=VALUE, repeatable: overrides applied to the scenario as it is loaded.
class SetOption : SharedOption {
 public:
  SetOption(boost::program_options::options_description& options, const char* help);
  const std::vector<std::string>& value() const { return value_; }

 private:
  std::vector<std::string> value_;
};

}  // namespace ratesim::cli
