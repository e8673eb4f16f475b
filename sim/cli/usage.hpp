// Exit codes and usage errors shared by the subcommands.
#pragma once

#include <stdexcept>

namespace ratesim::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitCheckFailed = 1;
inline constexpr int kExitBadInput = 2;
inline constexpr int kExitInternal = 3;

/// A bad command line: reported as "ratesim: <message>" with exit code 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace ratesim::cli
