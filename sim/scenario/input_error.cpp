#include "sim/scenario/input_error.hpp"

#include <filesystem>

#include <fmt/format.h>

namespace ratesim::scenario {
namespace {

std::string format(const std::string& file, int line, int column, const std::string& message) {
  if (line <= 0) return fmt::format("{}: {}", file, message);
  return fmt::format("{}:{}:{}: {}", file, line, column, message);
}

}  // namespace

InputError::InputError(std::string file, int line, int column, std::string message)
    : std::runtime_error(format(file, line, column, message)),
      file_(std::move(file)),
      line_(line),
      column_(column),
      message_(std::move(message)) {}

void check_input_file(const std::string& path, std::uintmax_t max_bytes, const std::string& what) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status))
    throw InputError(path, 0, 0, "cannot open " + what + ": No such file or directory");
  if (!std::filesystem::is_regular_file(status))
    throw InputError(path, 0, 0, "cannot read " + what + ": not a regular file (a folder, device or pipe)");
  const std::uintmax_t size = std::filesystem::file_size(path, ec);
  if (!ec && size > max_bytes)
    throw InputError(path, 0, 0,
                     "the " + what + " is " + std::to_string(size >> 20) + " MiB: ratesim reads at most " +
                         std::to_string(max_bytes >> 20) + " MiB");
}

}  // namespace ratesim::scenario
