#include "sim/report/gzip_stream.hpp"

#include <stdexcept>

namespace ratesim::report {

namespace {
constexpr std::size_t kBuffer = 1 << 16;
}

GzipStreambuf::GzipStreambuf(std::ostream& sink) : sink_(sink), in_(kBuffer), out_(kBuffer) {
  // windowBits 15 + 16: a gzip header and trailer rather than zlib's; the default level.
  if (deflateInit2(&z_, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error("zlib could not start compressing");
  setp(in_.data(), in_.data() + in_.size());
}

GzipStreambuf::~GzipStreambuf() { deflateEnd(&z_); }

bool GzipStreambuf::deflate_input(int flush) {
  z_.next_in = reinterpret_cast<Bytef*>(pbase());
  z_.avail_in = static_cast<uInt>(pptr() - pbase());
  int result = Z_OK;
  do {
    z_.next_out = reinterpret_cast<Bytef*>(out_.data());
    z_.avail_out = static_cast<uInt>(out_.size());
    result = deflate(&z_, flush);
    if (result == Z_STREAM_ERROR) return false;
    sink_.write(out_.data(), static_cast<std::streamsize>(out_.size() - z_.avail_out));
    if (!sink_) return false;
  } while (z_.avail_out == 0 || (flush == Z_FINISH && result != Z_STREAM_END));
  setp(in_.data(), in_.data() + in_.size());
  return true;
}

GzipStreambuf::int_type GzipStreambuf::overflow(int_type c) {
  if (finished_ || !deflate_input(Z_NO_FLUSH)) return traits_type::eof();
  if (!traits_type::eq_int_type(c, traits_type::eof())) {
    *pptr() = traits_type::to_char_type(c);
    pbump(1);
  }
  return traits_type::not_eof(c);
}

int GzipStreambuf::sync() { return 0; }  // the data goes out in whole blocks, and at finish()

bool GzipStreambuf::finish() {
  if (finished_) return true;
  finished_ = true;
  return deflate_input(Z_FINISH) && sink_.flush().good();
}

}  // namespace ratesim::report
