#include "sim/scenario/retry_presets.hpp"

#include <chrono>

namespace ratesim::scenario {
namespace {

using namespace std::chrono_literals;

/// The Anthropic and OpenAI SDKs share this backoff: 2 retries, 0.5 s doubling to 8 s, shortened
/// by up to a quarter; retry-after obeyed when 0 < value <= 60 s; x-should-retry read first.
models::client::RetryConfig sdk_retry() {
  using namespace models::client;
  RetryConfig sdk;
  sdk.max_retries = 2;
  sdk.backoff = Backoff::kExponential;
  sdk.base = 500ms;
  sdk.cap = 8s;
  sdk.jitter = Jitter::kSdk;
  sdk.retry_after = RetryAfterPolicy::kObeyUpTo;
  sdk.retry_after_max = 60s;
  sdk.honor_should_retry = true;
  return sdk;
}

/// AWS SDKs' standard mode: 3 attempts, U · min(2^(attempt-1), 20) s, a retry quota; botocore
/// retries throttles (a 429) and 500/502/503/504, timeouts too; not a bare 529.
models::client::RetryConfig aws_standard_retry() {
  using namespace models::client;
  RetryConfig aws;
  aws.max_retries = 2;
  aws.backoff = Backoff::kExponential;
  aws.base = 1s;
  aws.cap = 20s;
  aws.jitter = Jitter::kFull;
  aws.retry_after = RetryAfterPolicy::kIgnore;
  aws.quota = RetryQuota{};
  aws.on_529 = false;
  return aws;
}

constexpr RetryPreset kRetryPresets[] = {
    {"anthropic-python", sdk_retry, RetryExpansion::kNone, true},
    // since v0.79 any retry-after is obeyed
    {"anthropic-typescript",
     [] {
       auto c = sdk_retry();
       c.retry_after = models::client::RetryAfterPolicy::kObey;
       return c;
     }},
    // since v2.52: obeyed up to 120 s; longer: no retry at all
    {"openai-python",
     [] {
       auto c = sdk_retry();
       c.retry_after = models::client::RetryAfterPolicy::kObeyOrGiveUp;
       c.retry_after_max = 120s;
       return c;
     }},
    // before v2.52: like Anthropic's, up to 60 s
    {"openai-python-legacy", sdk_retry},
    {"aws-standard", aws_standard_retry, RetryExpansion::kNone, true},
    // The OpenAI cookbook's parallel processor: failed requests go to a retry queue served
    // first, up to 5 attempts, no backoff; every dispatch pauses until 15 s after the latest
    // rate-limit error; request and token buckets of 1,500 RPM and 125,000 TPM.
    {"cookbook",
     [] {
       models::client::RetryConfig c;
       c.max_retries = 4;
       c.backoff = models::client::Backoff::kConstant;
       c.base = 0s;
       c.jitter = models::client::Jitter::kNone;
       c.retry_after = models::client::RetryAfterPolicy::kIgnore;
       return c;
     },
     RetryExpansion::kCookbook},
    {"none",
     [] {
       models::client::RetryConfig c;
       c.max_retries = 0;
       return c;
     }},
    // AWS adaptive mode: standard mode's retries around the CUBIC client rate limiter.
    {"aws-adaptive", aws_standard_retry, RetryExpansion::kAwsAdaptive},
    // botocore's default (legacy) mode: 5 attempts, U · 2^(attempt-1) s, no quota, no cap (four
    // retries reach 8 s at most)
    {"aws-legacy",
     [] {
       auto c = aws_standard_retry();
       c.max_retries = 4;
       c.cap = 1h;
       c.quota.reset();
       return c;
     },
     RetryExpansion::kNone, true},
};


}  // namespace

std::span<const RetryPreset> retry_presets() { return kRetryPresets; }

}  // namespace ratesim::scenario
