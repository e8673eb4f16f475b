#include "sim/report/output_set.hpp"

namespace ratesim::report {

OutputSet::~OutputSet() {
  if (committed_) return;
  files_.clear();  // removes the temporaries
  std::error_code ignored;
  for (auto it = created_.rbegin(); it != created_.rend(); ++it)
    if (std::filesystem::is_empty(*it, ignored)) std::filesystem::remove(*it, ignored);
}

void OutputSet::directory(const std::filesystem::path& dir) {
  // Record each missing level, outermost first, before creating them.
  std::vector<std::filesystem::path> missing;
  for (std::filesystem::path p = dir; !p.empty() && !std::filesystem::exists(p); p = p.parent_path()) {
    missing.insert(missing.begin(), p);
    if (p == p.parent_path()) break;
  }
  ensure_directory(dir);
  created_.insert(created_.end(), missing.begin(), missing.end());
}

AtomicFile& OutputSet::file(const std::filesystem::path& target) {
  files_.push_back(std::make_unique<AtomicFile>(target));
  return *files_.back();
}

void OutputSet::commit() {
  for (auto& f : files_) f->finish();  // every file written in full before any is renamed
  std::size_t renamed = 0;
  try {
    for (; renamed < files_.size(); ++renamed) files_[renamed]->commit();
  } catch (...) {
    std::error_code ignored;
    for (std::size_t i = 0; i < renamed; ++i)
      if (!files_[i]->direct()) std::filesystem::remove(files_[i]->replaced(), ignored);
    throw;
  }
  committed_ = true;
}

}  // namespace ratesim::report
