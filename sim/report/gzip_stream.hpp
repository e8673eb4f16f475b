// A stream buffer that gzip-compresses what is written to it into another stream (zlib's
// deflate with a gzip header), so that any output whose name ends in .gz is written compressed.
#pragma once

#include <zlib.h>

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
  bool deflate_input(int flush);

  std::ostream& sink_;
  z_stream z_{};
  std::vector<char> in_, out_;
  bool finished_ = false;
};

}  // namespace ratesim::report
