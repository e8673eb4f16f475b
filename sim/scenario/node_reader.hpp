// Reading YAML nodes into typed values, with errors that name the place, quote the offending
// text and say what was expected.
//
// A Source knows which file (or which --set argument) each node came from. A MapReader reads the
// keys of one mapping and, when finished, rejects any key it was never asked about, suggesting
// the closest known key.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "models/named.hpp"
#include "sim/kernel/distribution.hpp"
#include "sim/kernel/time.hpp"

namespace ratesim::scenario {

class Source {
 public:
  explicit Source(std::string file) : file_(std::move(file)) {}

  /// Nodes under `root` come from a --set argument: positions are reported as
  /// `<label>:1:<column_offset + column>`.
  void add_override(const YAML::Node& root, std::string label, int column_offset);
  /// Nodes under `root` come from another file (a preset): positions are `<label>:line:col`.
  /// Sources added later take precedence when a node is shared.
  void add_file(const YAML::Node& root, std::string label);

  /// Throws InputError at `at`.
  [[noreturn]] void fail(const YAML::Node& at, const std::string& message) const;
  [[noreturn]] void fail_at(const YAML::Mark& mark, const std::string& message) const;

  const std::string& file() const { return file_; }
  /// Where a mapping key that was made rather than parsed comes from: a key laid in by a
  /// preset merge (the original key node), or added by a --set or a variant (a label and
  /// column, or the variant's path key).
  struct KeyOrigin {
    std::optional<YAML::Node> key;  ///< an original key node with a position
    std::string label;     ///< else: where it came from, e.g. "--set provider.x=1"
    int line = 1;
    int column = 0;
  };
  /// Records that `key` of `map` comes from `origin`.
  void remember_key(const YAML::Node& map, const std::string& key, KeyOrigin origin);
  /// Throws InputError at key `key` of `map`: its own position, or where it came from.
  [[noreturn]] void fail_key(const YAML::Node& map, const YAML::Node& key, const std::string& message) const;

  /// The provider preset the scenario is laid over ("" for none).
  void set_preset(std::string name) { preset_ = std::move(name); }
  const std::string& preset() const { return preset_; }

 private:
  struct Override {
    std::vector<YAML::Node> nodes;
    std::string label;
    int column_offset;
    bool whole_file;
  };
  std::string file_;
  std::string preset_;
  std::vector<Override> overrides_;
  struct KeyRecord {
    YAML::Node map;
    std::string key;
    KeyOrigin origin;
  };
  std::vector<KeyRecord> keys_;
};

/// How a node is quoted in a message: a scalar as 'text', collections by kind.
std::string quote(const YAML::Node& n);

/// What a distribution's values measure.
enum class Quantity {
  kTokens,   ///< token counts, at least 1
  kSeconds,  ///< durations, written with units
  kPerSecond ///< speeds, positive
};

class MapReader {
 public:
  /// Fails unless `node` is a mapping. `what` names it in messages ("traffic phase").
  MapReader(const Source& src, const YAML::Node& node, std::string what);

  /// The value of `key`, or an undefined node when absent. Marks `key` as known.
  YAML::Node get(const std::string& key);
  bool has(const std::string& key);
  /// The value of `key`; fails when absent.
  YAML::Node require(const std::string& key);
  /// Fails on the first key that no get/has/require asked about.
  void finish() const;

  /// Renames the mapping for later messages (once its name key has been read).
  void set_what(std::string what) { what_ = std::move(what); }
  const YAML::Node& node() const { return node_; }
  const std::string& what() const { return what_; }

 private:
  const Source& src_;
  YAML::Node node_;
  std::string what_;
  std::vector<std::string> known_;
};

// Typed values. `field` names the value in messages; each fails with a precise message.
std::string read_string(const Source& src, const YAML::Node& n, const std::string& field);
double read_number(const Source& src, const YAML::Node& n, const std::string& field,
                   double min = 0);
/// Largest whole number accepted anywhere (exactly representable as a double).
inline constexpr std::int64_t kMaxInteger = std::int64_t{1} << 53;
/// Longest duration accepted anywhere: keeps every sum of times far from overflow.
inline constexpr kernel::Duration kMaxDuration = std::chrono::hours(24 * 365);

/// The most requests one run may bring. At about a microsecond each this is hours of work; more
/// is almost surely a typo in a rate, and would look like a hang.
inline constexpr std::int64_t kMaxRequests = 10'000'000'000;

/// Highest arrival rate accepted, per second.
inline constexpr double kMaxRatePerSecond = 1'000'000;
/// Most tokens a size may say (prompt, answer, max_tokens): ten million.
inline constexpr double kMaxTokens = 10'000'000;
/// Slowest speed accepted (tokens per second): a thousand-token answer in about twelve days.
inline constexpr double kMinPerSecond = 0.001;

/// A name usable in paths and CSV files: letters, digits, '-' and '_'.
std::string read_name(const Source& src, const YAML::Node& n, const std::string& field);

std::int64_t read_integer(const Source& src, const YAML::Node& n, const std::string& field,
                          std::int64_t min, std::int64_t max = kMaxInteger);
bool read_bool(const Source& src, const YAML::Node& n, const std::string& field);
/// A duration from `min` to `max`.
kernel::Duration read_duration(const Source& src, const YAML::Node& n, const std::string& field,
                               kernel::Duration min = kernel::Duration{0},
                               kernel::Duration max = kMaxDuration);
/// Events per second.
double read_rate(const Source& src, const YAML::Node& n, const std::string& field);
/// One of `options`; returns its index.
std::size_t read_choice(const Source& src, const YAML::Node& n, const std::string& field,
                        const std::vector<std::string>& options);
/// One of an enum's `names` (declared beside the enum); returns its value.
template <typename E, std::size_t N>
E read_enum(const Source& src, const YAML::Node& n, const std::string& field, const models::Named<E> (&names)[N]) {
  std::vector<std::string> options;
  for (const auto& named : names) options.emplace_back(named.name);
  return names[read_choice(src, n, field, options)].value;
}
/// A number or {uniform|normal|lognormal|exponential|empirical: ...}.
kernel::Distribution read_distribution(const Source& src, const YAML::Node& n,
                                       const std::string& field, Quantity q);

}  // namespace ratesim::scenario
