#include "sim/scenario/units.hpp"

#include <catch2/catch.hpp>

using namespace ratesim::scenario;
using namespace std::chrono_literals;

TEST_CASE("durations read with and without units", "[scenario]") {
  CHECK(parse_duration("250ms") == 250ms);
  CHECK(parse_duration("2s") == 2s);
  CHECK(parse_duration("10m") == 10min);
  CHECK(parse_duration("1h30m") == 90min);
  CHECK(parse_duration("2m30s") == 150s);
  CHECK(parse_duration("1d") == 24h);
  CHECK(parse_duration("1.5h") == 90min);
  CHECK(parse_duration("500us") == 500us);
  CHECK(parse_duration("3") == 3s);
  CHECK(parse_duration("0.25") == 250ms);
  CHECK(parse_duration(" 5s ") == 5s);
}

TEST_CASE("malformed durations are refused", "[scenario]") {
  for (const char* bad : {"", "s", "10x", "-1s", "-3", "1m1h", "5 s s", "1h1h", "ms", "1.2.3s"})
    CHECK_FALSE(parse_duration(bad).has_value());
}

TEST_CASE("rates read per second, minute, hour and day", "[scenario]") {
  CHECK(parse_rate("20/s") == 20.0);
  CHECK(parse_rate("1200/min") == 20.0);
  CHECK(parse_rate("7200/h") == 2.0);
  CHECK(parse_rate("86400/day") == 1.0);
  CHECK(parse_rate("2.5") == 2.5);
  CHECK(parse_rate("60/m") == 1.0);
}

TEST_CASE("malformed rates are refused", "[scenario]") {
  for (const char* bad : {"", "fast", "20/", "/s", "20/week", "-1/s", "-2", "1/2/s"})
    CHECK_FALSE(parse_rate(bad).has_value());
}

TEST_CASE("durations are written back in the largest exact unit", "[scenario]") {
  CHECK(format_duration(24h * 365) == "365d");
  CHECK(format_duration(1h) == "1h");
  CHECK(format_duration(90s) == "90s");
  CHECK(format_duration(1ms) == "1ms");
  CHECK(format_duration(0s) == "0s");
  CHECK(format_duration(1500000us) == "1500ms");
  CHECK(format_duration(1500001us) == "1500001us");
}
