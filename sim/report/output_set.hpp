// A command's output files, committed as a set: every file is written under a temporary name,
// then all are renamed into place together. If anything fails first (an error, a signal), no
// file of the set appears and the folders the set created are removed again when left empty;
// if a rename fails half-way, the files already renamed are removed too.
#pragma once

#include <filesystem>
#include <memory>
#include <vector>

#include "sim/report/atomic_file.hpp"

namespace ratesim::report {

class OutputSet {
 public:
  OutputSet() = default;
  ~OutputSet();
  OutputSet(const OutputSet&) = delete;
  OutputSet& operator=(const OutputSet&) = delete;

  /// Creates `dir` (and parents) if needed, remembering what it created.
  void directory(const std::filesystem::path& dir);
  /// A new file of the set. The reference stays valid until the set is destroyed.
  AtomicFile& file(const std::filesystem::path& target);
  /// Writes every file out and renames them all into place. Throws OutputError.
  void commit();
  bool committed() const { return committed_; }

 private:
  std::vector<std::unique_ptr<AtomicFile>> files_;
  std::vector<std::filesystem::path> created_;  ///< folders this set made, outermost first
  bool committed_ = false;
};

}  // namespace ratesim::report
