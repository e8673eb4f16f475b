// The simulated provider as a scenario describes it: models, the limit groups they share,
// the limiter algorithm, acceleration limits, overload and the network between client and
// provider. Every field has a default; docs/provider.md says which are documented behaviour
// and which are assumptions.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "models/named.hpp"
#include "sim/kernel/distribution.hpp"
#include "models/request.hpp"
#include "sim/kernel/time.hpp"

namespace ratesim::models::provider {

using kernel::Distribution;
using kernel::Duration;

/// Per-minute budgets of a limit group, one field per row of models::kBudgets (named so that
/// tests can use designated initialisers). An absent budget never limits.
struct Limits {
  std::optional<std::int64_t> rpm;   ///< requests per minute
  std::optional<std::int64_t> itpm;  ///< input tokens per minute (uncached + cache writes)
  std::optional<std::int64_t> otpm;  ///< output tokens per minute
  std::optional<std::int64_t> tpm;   ///< tokens per minute, input and output together (OpenAI)

  /// Budget `b` of kBudgets.
  std::optional<std::int64_t>& at(std::size_t b) {
    static_assert(kBudgetCount == 4, "a new row of kBudgets needs its field here");
    return b == 0 ? rpm : b == 1 ? itpm : b == 2 ? otpm : tpm;
  }
  const std::optional<std::int64_t>& at(std::size_t b) const { return const_cast<Limits&>(*this).at(b); }
  /// The limits in kBudgets order.
  std::array<std::optional<std::int64_t>, kBudgetCount> in_order() const { return {rpm, itpm, otpm, tpm}; }
  bool any() const { return rpm || itpm || otpm || tpm; }
};

/// The band of a price for long prompts: a request whose prompt (uncached input + cache writes +
/// cache reads) has more than `over_tokens` tokens is billed wholly at this band, output included.
struct LongPromptPrice {
  std::uint32_t over_tokens = 0;       ///< prompts of more tokens than this are long (at least 1)
  double input = 0;                    ///< USD per million uncached input tokens
  double output = 0;                   ///< USD per million output tokens
  std::optional<double> cache_read{};  ///< USD per million cache-read tokens; absent: the base band's multiple of input
  bool operator==(const LongPromptPrice&) const = default;
};

/// A model's prices, USD per million tokens, as the provider's pricing page gives them. Cache
/// writes are priced as multiples of input (price.hpp); cache reads have a price of their own.
struct Price {
  double input = 0;                              ///< uncached input tokens
  double output = 0;                             ///< output tokens
  std::optional<double> cache_read{};            ///< cache-read tokens; absent: 0.1 × input
  std::optional<LongPromptPrice> long_prompt{};  ///< absent: one band whatever the prompt's length
  bool operator==(const Price&) const = default;
};

struct Latency {
  Distribution ttft = Distribution::constant(0.5);        ///< seconds to the first token
  Distribution output_tps = Distribution::constant(100);  ///< output tokens per second
  std::optional<Distribution> prefill_tps;  ///< input tokens per second; absent: prefill is free
};

/// How a model treats cached prompt prefixes.
struct CachePolicy {
  std::uint32_t min_tokens = 1024;  ///< shorter prefixes are not cached
  bool reads_count = false;         ///< cache reads count toward itpm (some older models)
};

struct Model {
  std::string name;   ///< the API id, e.g. claude-haiku-4-5
  std::string group;  ///< the limit group whose budgets it draws on
  Price price;
  Latency latency;
  CachePolicy cache;
  /// Why the model's figures are not confirmed by a primary source (seen only in secondary
  /// copies of a page, say); empty: confirmed. A scenario that sends to it is warned.
  std::string unconfirmed{};
};

enum class LimiterKind {
  kTokenBucket,    ///< continuous refill, capacity limit × burst / 60 s
  kSlidingWindow,  ///< exact sum over the last 60 s
  kFixedWindow,    ///< counter reset each whole minute
};
inline constexpr Named<LimiterKind> kLimiterKinds[] = {{"token-bucket", LimiterKind::kTokenBucket},
                                                       {"sliding-window", LimiterKind::kSlidingWindow},
                                                       {"fixed-window", LimiterKind::kFixedWindow}};

struct Group {
  std::string name;
  Limits limits;
  LimiterKind limiter = LimiterKind::kTokenBucket;
  Duration burst = std::chrono::seconds(60);  ///< token bucket only
  /// The organization's rate-limits file that set these limits ("" when the scenario or its
  /// preset did).
  std::string limits_source;
};

enum class OtpmAccounting {
  kReserve,  ///< max_tokens held at admission, unused part refunded at completion
  kActual,   ///< admission needs one token of room; actual output debited at completion
};
inline constexpr Named<OtpmAccounting> kOtpmAccountings[] = {{"reserve", OtpmAccounting::kReserve},
                                                             {"actual", OtpmAccounting::kActual}};

/// The trailing-baseline acceleration model (docs/provider.md). An assumption: Anthropic documents
/// that a sharp rise in usage can draw 429s below the limits, and publishes no formula, threshold
/// or window. The defaults are the `moderate` profile (acceleration_profile()).
struct Acceleration {
  bool enabled = false;
  std::string profile = "moderate";  ///< the profile the values started from (for reports)
  double floor = 0.25;          ///< load always allowed in a short window, as a fraction of the limits
  double max_ratio = 2.0;       ///< load allowed in a short window as a multiple of the baseline
  Duration short_window = std::chrono::minutes(1); ///< the window over which the short-term load is summed
  Duration baseline_window = std::chrono::minutes(10);  ///< time constant of the baseline's exponential average
  double initial_load = 0;      ///< the baseline at the start, as a fraction of the limits
  /// `initial_load: steady`: the baseline starts at the scenario's own mean load over its first
  /// kSteadyWindow, by group and budget, for questions about a running service, not a launch.
  bool initial_load_steady = false;
  /// That load, as a fraction of each limit, by the organization's groups (ProviderConfig::groups
  /// order) and budget (kBudgets order); measured before the run by a run of the first
  /// kSteadyWindow without acceleration limits. Empty: not measured; initial_load applies.
  std::vector<std::array<double, kBudgetCount>> steady_load;
  /// The window `initial_load: steady` averages over.
  static constexpr Duration kSteadyWindow = std::chrono::minutes(10);
};

/// The organization's monthly spend limit (usage limit): once spent_usd plus what the run
/// spends reaches monthly_usd, every attempt gets a 429 with cause `spend` and no retry-after.
struct SpendLimit {
  double monthly_usd = 0;  ///< the tier's limit for a calendar month
  double spent_usd = 0;    ///< already spent this month when the scenario starts
};

/// The x-should-retry header the provider sends with each kind of refusal.
struct ShouldRetryHeaders {
  ShouldRetry rate_limit = ShouldRetry::kTrue;    ///< 429 from a budget (seen in the wild: true)
  ShouldRetry acceleration = ShouldRetry::kTrue;  ///< 429 acceleration (assumed like other 429s)
  ShouldRetry spend = ShouldRetry::kAbsent;       ///< 429 spend (assumed: no header)
  ShouldRetry overload = ShouldRetry::kAbsent;    ///< 529 (assumed: no header)
};

/// A period of extra 529s.
struct Incident {
  Duration at{0};
  Duration length{0};
  double rate = 0;  ///< added probability that an attempt gets a 529
};

struct Overload {
  double rate = 0;  ///< base probability that an attempt gets a 529
  std::vector<Incident> incidents;
};

/// How a request is measured against a `tpm` budget (OpenAI documents both readings).
enum class TpmCost {
  kSum,  ///< input + max_tokens (the OpenAI cookbook's estimate)
  kMax,  ///< max(input, max_tokens) (the rate-limits guide's wording)
};
inline constexpr Named<TpmCost> kTpmCosts[] = {{"input+max_tokens", TpmCost::kSum}, {"max", TpmCost::kMax}};

/// A workspace's own caps on the organization's limit groups (Anthropic lets an organization set
/// lower limits per workspace; the organization's limits always apply as well). A budget a
/// workspace does not cap is limited by the organization's alone.
struct Workspace {
  struct GroupCaps {
    std::string group;  ///< a limit group of the provider
    Limits limits;      ///< the budgets this workspace caps in that group
  };
  std::string name;
  std::vector<GroupCaps> caps;
};

struct ProviderConfig {
  std::vector<Model> models;
  std::vector<Group> groups;
  std::vector<Workspace> workspaces;  ///< caps of the workspaces that workloads name
  OtpmAccounting otpm_accounting = OtpmAccounting::kReserve;
  bool rejected_consume = false;  ///< a refused attempt still takes a request from rpm if it can
  TpmCost tpm_cost = TpmCost::kSum;
  Acceleration acceleration;
  Overload overload;
  std::optional<SpendLimit> spend_limit;  ///< absent: no monthly limit
  ShouldRetryHeaders should_retry;
  Duration network_delay{0};  ///< one way, client to provider and back
  std::uint64_t batch_queue_limit = 100'000;  ///< Message Batches requests waiting at once
  /// Requests a minute to the Message Batches endpoints (the tier's batch RPM). Recorded, not
  /// enforced: a batch workload calls them once per batch it submits.
  std::optional<std::int64_t> batch_rpm{};
  /// Time a batch request takes to process, seconds. An assumption: Anthropic says most batches
  /// finish within an hour. A batch ends with its slowest request, so the default (lognormal,
  /// median 6 min, sigma 0.5) makes a 100-request batch end after about 19 minutes and a
  /// 100,000-request batch after about 50 (the expected maximum of n draws).
  Distribution batch_processing = Distribution::lognormal(360, 0.5);
};

}  // namespace ratesim::models::provider
