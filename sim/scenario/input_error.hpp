// Bad user input: an exception carrying where (file:line:col) and what was wrong, caught once
// in cli/ and reported with exit code 2. Never used for broken invariants (those assert).
#pragma once

#include <stdexcept>
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

}  // namespace ratesim::scenario
