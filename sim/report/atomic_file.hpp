// An output file that appears whole or not at all: written under a temporary name in the same
// folder and renamed over the target on commit(). Destroyed uncommitted, it removes the
// temporary, so a failed run never leaves half a file. A symbolic link is written through (the
// file it points to is replaced, the link kept); a device or a pipe (/dev/stdout, a FIFO) is
// written directly, as it cannot be replaced.
#pragma once

#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>

#include "sim/report/gzip_stream.hpp"

namespace ratesim::report {

/// A file could not be written (a user-facing error: bad --out, full disk).
class OutputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class AtomicFile {
 public:
  /// Opens the temporary file. Throws OutputError if it cannot be created.
  explicit AtomicFile(std::filesystem::path target);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  /// Where to write. A target whose name ends in .gz is written gzip-compressed.
  std::ostream& stream() { return gzip_stream_ ? *gzip_stream_ : static_cast<std::ostream&>(out_); }
  /// Flushes and closes the temporary. Throws OutputError on any write failure. (commit() does
  /// it too; an OutputSet finishes every file before it renames any.)
  void finish();
  /// Finishes and renames into place. Throws OutputError on any write failure.
  void commit();

  const std::filesystem::path& target() const { return target_; }
  /// The file a commit replaces (the target, or what its link points to).
  const std::filesystem::path& replaced() const { return path_; }
  /// Whether it is a device or pipe written in place (nothing to rename or remove).
  bool direct() const { return direct_; }

 private:
  std::filesystem::path target_;  ///< as given, for messages
  std::filesystem::path path_;    ///< what is replaced: the target, or the file its link points to
  std::filesystem::path temp_;
  bool direct_ = false;           ///< a device or pipe, written in place
  std::ofstream out_;
  std::unique_ptr<GzipStreambuf> gzip_;       ///< .gz targets: compresses into out_
  std::unique_ptr<std::ostream> gzip_stream_;  ///< ... through this stream
  bool finished_ = false;
  bool committed_ = false;
};

/// Creates `dir` (and parents) if needed. Throws OutputError when it cannot.
void ensure_directory(const std::filesystem::path& dir);

}  // namespace ratesim::report
