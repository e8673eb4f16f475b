// The retry presets table, which both a retry layer's `preset:` and calibrate read.
#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <vector>

#include "sim/scenario/retry_presets.hpp"

using namespace ratesim;
using namespace std::chrono_literals;

TEST_CASE("calibrate proposes the retry presets a log can tell apart", "[scenario]") {
  std::vector<std::string> fitted;
  for (const auto& p : scenario::retry_presets())
    if (p.fitted) fitted.emplace_back(p.name);
  // In table order, which is the order calibrate tries them.
  CHECK(fitted == std::vector<std::string>{"anthropic-python", "aws-standard", "aws-legacy"});
}

TEST_CASE("the retry presets carry their clients' documented defaults", "[scenario]") {
  using models::client::Jitter;
  using models::client::RetryAfterPolicy;
  const auto settings = [](std::string_view name) {
    for (const auto& p : scenario::retry_presets())
      if (p.name == name) return p.settings();
    FAIL("no retry preset " << name);
    return models::client::RetryConfig{};
  };
  // The Anthropic SDK: 2 retries from 0.5 s, its own jitter, retry-after obeyed up to 60 s.
  const auto sdk = settings("anthropic-python");
  CHECK(sdk.max_retries == 2);
  CHECK(sdk.base == 500ms);
  CHECK(sdk.jitter == Jitter::kSdk);
  CHECK(sdk.retry_after == RetryAfterPolicy::kObeyUpTo);
  // AWS standard: 3 attempts from 1 s, full jitter, retry-after ignored; legacy: 5 attempts.
  const auto aws = settings("aws-standard");
  CHECK(aws.max_retries == 2);
  CHECK(aws.base == 1s);
  CHECK(aws.jitter == Jitter::kFull);
  CHECK(aws.retry_after == RetryAfterPolicy::kIgnore);
  CHECK(settings("aws-legacy").max_retries == 4);
  CHECK_FALSE(settings("aws-legacy").quota.has_value());
}
