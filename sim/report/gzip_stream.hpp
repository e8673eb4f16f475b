// A stream buffer that gzip-compresses what is written to it into another stream (zlib's
// deflate with a gzip header), so that any output whose name ends in .gz is written compressed.
//
// Compression runs beside the writer: while one 1 MiB block is deflated and written on another
// thread, the writer fills the next, so a simulation writing a large output is held up only when
// compressing is the slower of the two. Blocks are deflated one at a time, in order, into one
// gzip stream.
#pragma once

#include <zlib.h>

#include <future>
#include <ostream>
#include <streambuf>
#include <vector>

namespace ratesim::report {

class GzipStreambuf final : public std::streambuf {
 public:
  /// Compresses into `sink`. Throws std::runtime_error if zlib cannot start.
  explicit GzipStreambuf(std::ostream& sink);
  ~GzipStreambuf() override;
  GzipStreambuf(const GzipStreambuf&) = delete;
  GzipStreambuf& operator=(const GzipStreambuf&) = delete;

  /// Compresses what is left and writes the gzip trailer. Returns false if the sink failed.
  bool finish();

 protected:
  int_type overflow(int_type c) override;
  int sync() override;

 private:
  /// Deflates `size` bytes of `data` into the sink. Runs on one thread at a time.
  bool deflate_block(const char* data, std::size_t size, int flush);
  /// Waits for the block being compressed, if any; false if it failed.
  bool wait();

  std::ostream& sink_;
  z_stream z_{};
  std::vector<char> in_[2];  ///< the block being filled and the one being compressed
  int filling_ = 0;          ///< which of in_ is being filled
  std::vector<char> out_;
  std::future<bool> compressing_;
  bool failed_ = false;
  bool finished_ = false;
};

}  // namespace ratesim::report
