#include "sim/report/gzip_stream.hpp"

#include <zlib.h>

#include <catch2/catch.hpp>
#include <sstream>
#include <string>

using ratesim::report::GzipStreambuf;

namespace {

/// Inflates a whole gzip stream; throws if it is not one.
std::string gunzip(const std::string& gz) {
  z_stream z{};
  REQUIRE(inflateInit2(&z, 15 + 16) == Z_OK);
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
  z.avail_in = static_cast<uInt>(gz.size());
  std::string out;
  char buf[1 << 16];
  int result = Z_OK;
  while (result != Z_STREAM_END) {
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    result = inflate(&z, Z_NO_FLUSH);
    REQUIRE((result == Z_OK || result == Z_STREAM_END));
    out.append(buf, sizeof buf - z.avail_out);
  }
  CHECK(z.avail_in == 0);  // nothing after the trailer
  inflateEnd(&z);
  return out;
}

}  // namespace

TEST_CASE("what goes through the gzip buffer comes back whole, across many blocks", "[report]") {
  // About 5.5 MB of CSV-like lines: several 1 MiB blocks compressed on the side, then the rest
  // at finish().
  std::string text;
  for (int i = 0; i < 100'000; ++i)
    text += std::to_string(i) + ",load,claude-haiku-4-5," + std::to_string(i * 0.001237) + ",ok,1,0,0,812,0\n";
  std::ostringstream sink;
  {
    GzipStreambuf gz(sink);
    std::ostream out(&gz);
    // Written in uneven pieces, so block boundaries fall inside lines.
    for (std::size_t at = 0; at < text.size(); at += 977) out << text.substr(at, 977);
    REQUIRE(gz.finish());
  }
  const std::string compressed = sink.str();
  CHECK(compressed.size() * 3 < text.size());
  CHECK(gunzip(compressed) == text);
}

TEST_CASE("a gzip buffer with nothing written is a valid empty gzip file", "[report]") {
  std::ostringstream sink;
  GzipStreambuf gz(sink);
  REQUIRE(gz.finish());
  CHECK(gunzip(sink.str()).empty());
}

TEST_CASE("a sink that fails makes the gzip buffer report failure, not crash", "[report]") {
  std::ostringstream sink;
  sink.setstate(std::ios::badbit);
  GzipStreambuf gz(sink);
  std::ostream out(&gz);
  const std::string block(3 << 20, 'x');
  out << block;  // the first full block fails on the compressing side
  CHECK_FALSE(gz.finish());
}
