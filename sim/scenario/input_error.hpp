// Bad user input: an exception carrying where (file:line:col) and what was wrong, caught once
// in cli/ and reported with exit code 2. Never used for broken invariants (those assert).
#pragma once

#include <stdexcept>
#include <cstdint>
#include <string>

namespace ratesim::scenario {

class InputError : public std::runtime_error {
 public:
  /// `line` and `column` are 1-based; 0 means "no position" (e.g. a file that cannot be opened).
  InputError(std::string file, int line, int column, std::string message);

  const std::string& file() const { return file_; }
  int line() const { return line_; }
  int column() const { return column_; }
  const std::string& message() const { return message_; }

 private:
  std::string file_;
  int line_;
  int column_;
  std::string message_;
};

/// Largest scenario file read (a scenario is a page of YAML; traces are separate CSV files).
inline constexpr std::uintmax_t kMaxScenarioBytes = 16u << 20;
/// Largest trace file read (about 30 million records).
inline constexpr std::uintmax_t kMaxTraceBytes = 1u << 30;

/// Throws InputError unless `path` is a regular file of at most `max_bytes` (a device such as
/// /dev/zero, a FIFO or a folder is refused before anything is read). `what` names it.
void check_input_file(const std::string& path, std::uintmax_t max_bytes, const std::string& what);

}  // namespace ratesim::scenario
