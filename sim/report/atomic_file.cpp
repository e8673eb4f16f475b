#include "sim/report/atomic_file.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace ratesim::report {

AtomicFile::AtomicFile(std::filesystem::path target) : target_(std::move(target)), path_(target_) {
  std::error_code ec;
  // A link is written through: the file it points to is replaced, the link stays.
  if (std::filesystem::is_symlink(std::filesystem::symlink_status(path_, ec))) {
    const auto resolved = std::filesystem::canonical(path_, ec);
    if (!ec) path_ = resolved;
  }
  const auto status = std::filesystem::status(path_, ec);
  // A device or a pipe (/dev/stdout, a FIFO) cannot be replaced: it is written directly.
  direct_ = !ec && std::filesystem::exists(status) && !std::filesystem::is_regular_file(status);
  if (std::filesystem::is_directory(status))
    throw OutputError("cannot write " + target_.string() + ": it is a folder");
  temp_ = direct_ ? path_ : std::filesystem::path(path_.string() + ".tmp-" + std::to_string(::getpid()));
  out_.open(temp_, std::ios::binary | std::ios::trunc);
  if (!out_)
    throw OutputError("cannot write " + target_.string() + ": " + std::strerror(errno));
  const std::string name = target_.filename().string();
  if (name.size() > 3 && name.compare(name.size() - 3, 3, ".gz") == 0) {
    gzip_ = std::make_unique<GzipStreambuf>(out_);
    gzip_stream_ = std::make_unique<std::ostream>(gzip_.get());
  }
}

AtomicFile::~AtomicFile() {
  if (committed_) return;
  out_.close();
  if (direct_) return;  // never remove a device or a pipe
  std::error_code ignored;
  std::filesystem::remove(temp_, ignored);
}

void AtomicFile::finish() {
  if (finished_) return;
  if (gzip_ && (!*gzip_stream_ || !gzip_->finish()))
    throw OutputError("cannot write " + target_.string() + ": write failed (disk full?)");
  out_.flush();
  out_.close();
  if (!out_) throw OutputError("cannot write " + target_.string() + ": write failed (disk full?)");
  finished_ = true;
}

void AtomicFile::commit() {
  finish();
  if (direct_) {
    committed_ = true;
    return;
  }
  std::error_code ec;
  std::filesystem::rename(temp_, path_, ec);
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
