#include "sim/report/atomic_file.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace ratesim::report {

AtomicFile::AtomicFile(std::filesystem::path target)
    : target_(std::move(target)),
      temp_(target_.string() + ".tmp-" + std::to_string(::getpid())) {
  out_.open(temp_, std::ios::binary | std::ios::trunc);
  if (!out_)
    throw OutputError("cannot write " + target_.string() + ": " + std::strerror(errno));
}

AtomicFile::~AtomicFile() {
  if (committed_) return;
  out_.close();
  std::error_code ignored;
  std::filesystem::remove(temp_, ignored);
}

void AtomicFile::finish() {
  if (finished_) return;
  out_.flush();
  out_.close();
  if (!out_) throw OutputError("cannot write " + target_.string() + ": write failed (disk full?)");
  finished_ = true;
}

void AtomicFile::commit() {
  finish();
  std::error_code ec;
  std::filesystem::rename(temp_, target_, ec);
  if (ec) throw OutputError("cannot write " + target_.string() + ": " + ec.message());
  committed_ = true;
}

void ensure_directory(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec || !std::filesystem::is_directory(dir))
    throw OutputError("cannot create output folder " + dir.string() + ": " +
                      (ec ? ec.message() : std::string("a file of that name exists")));
}

}  // namespace ratesim::report
