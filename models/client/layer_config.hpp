// Client strategy layers as a scenario describes them. A workload's client is a list of these,
// outermost first.
#pragma once

#include <chrono>
#include <cstdint>
#include <iterator>
#include <optional>
#include <string_view>
#include <variant>
#include <vector>

#include "models/named.hpp"
#include "models/provider/provider_config.hpp"
#include "sim/kernel/time.hpp"

namespace ratesim::models::client {

using kernel::Duration;
using models::Named;

/// Which waiting request a full queue sheds.
enum class DropPolicy {
  kNewest,  ///< the one arriving (tail drop)
  kOldest,  ///< the one that has waited longest (head drop)
};
inline constexpr Named<DropPolicy> kDropPolicies[] = {{"newest", DropPolicy::kNewest}, {"oldest", DropPolicy::kOldest}};

/// At most `limit` requests inside the layer at once; the rest wait in FIFO order, at most
/// `max_queue` of them when set (the excess is dropped).
struct SemaphoreConfig {
  std::uint32_t limit = 1;
  std::optional<std::uint32_t> max_queue;
  DropPolicy drop = DropPolicy::kNewest;
};

/// A semaphore whose limit grows from `from` to `to` over `over`, counted from the first
/// request that enters it.
struct RampConfig {
  enum class Shape {
    kLinear,       ///< from + (to − from) · x
    kExponential,  ///< from · (to / from)^x
    kSteps,        ///< from + (to − from) · ⌊x · steps⌋ / steps
  };
  std::uint32_t from = 1;
  std::uint32_t to = 8;
  Duration over = std::chrono::minutes(10);
  Shape shape = Shape::kLinear;
  std::uint32_t steps = 4;  ///< kSteps only
  std::optional<std::uint32_t> max_queue;
  DropPolicy drop = DropPolicy::kNewest;
};
inline constexpr Named<RampConfig::Shape> kRampShapes[] = {{"linear", RampConfig::Shape::kLinear},
                                                            {"exponential", RampConfig::Shape::kExponential},
                                                            {"steps", RampConfig::Shape::kSteps}};

/// Client-side adaptive throttling (Google SRE book, "Handling Overload"): a request entering
/// the layer is refused locally (dropped) with probability max(0, (requests − k·accepts) /
/// (requests + 1)) over the last `window`.
struct ThrottleConfig {
  double k = 2.0;
  Duration window = std::chrono::minutes(2);
};

/// A circuit breaker (resilience4j defaults): closed until at least `window` results are known
/// and `failure_rate` of the last `window` failed; then open (requests dropped) for `open_for`;
/// then half-open, letting `probes` requests through and closing or opening again on their
/// failure rate.
struct BreakerConfig {
  double failure_rate = 0.5;
  std::uint32_t window = 100;
  Duration open_for = std::chrono::seconds(60);
  std::uint32_t probes = 10;
};

/// Client-side token buckets (the OpenAI cookbook's approach): a request waits until every
/// bucket has room for its estimated cost — 1 request; its prompt (itpm); its max_tokens (otpm);
/// prompt + max_tokens (tpm) — then takes it; nothing is refunded. Each bucket holds `burst`
/// of its limit × `headroom`.
struct PaceConfig {
  provider::Limits limits;  ///< the client's own per-minute budgets (at least one)
  Duration burst = std::chrono::seconds(60);
  double headroom = 1.0;
  bool retries_first = false;  ///< retries wait in a queue served before new requests (cookbook)
  /// Optional ramp: the buckets' rates start at `ramp_from` of their limits and grow linearly to
  /// the whole limit over `ramp_over`, from the first request.
  double ramp_from = 1.0;
  Duration ramp_over{0};
};

/// The AWS SDK's adaptive-mode client rate limiter: off until the first throttle (429); then a
/// token bucket whose rate follows CUBIC — on a throttle W_max = the rate in use, K =
/// (W_max (1 − β)/C)^(1/3), rate × β; after it C (t − t_throttle − K)^3 + W_max — never below
/// `min_rate`, never above twice the measured response rate (measured on every response in 0.5 s
/// buckets, weight 0.8 on the newest). The bucket fills from the start, switched on or not, so
/// it keeps the tokens it holds (at most max(rate, 1)) when the first throttle switches it on.
/// `retry: {preset: aws-adaptive}` puts it inside AWS standard retries.
struct AwsRateConfig {
  double c = 0.4;
  double beta = 0.7;
  double min_rate = 0.5;   ///< per second
  double smoothing = 0.8;  ///< weight of the newest send-rate bucket
};

/// A retry budget (Finagle): within the last `ttl`, retries may number at most
/// `ratio` × requests + `min_per_s` × ttl. Placed inside a retry layer, it meters the retries
/// that re-enter it; a retry over budget ends its request as gave_up.
struct RetryBudgetConfig {
  double ratio = 0.2;
  double min_per_s = 10;
  Duration ttl = std::chrono::seconds(10);
};

/// Picks the model of each request: the first rule that matches its prompt size, else a draw by
/// weight, else the workload's model; on a 429 a request may move once to a fallback model.
struct RouteConfig {
  struct Rule {
    std::uint32_t max_input_tokens = 0;  ///< matches prompts of at most this many tokens
    std::uint16_t model = 0;             ///< provider model index
  };
  std::vector<Rule> rules;
  std::vector<std::pair<std::uint16_t, double>> weights;  ///< provider model index, weight
  std::optional<std::uint16_t> fallback;  ///< model to resend to after a 429
};

/// An adaptive concurrency limit: a semaphore whose limit follows the responses.
struct AdaptiveConfig {
  enum class Algorithm {
    kAimd,       ///< +1 when at least half the limit is in use, × backoff on a drop
    kCubic,      ///< CUBIC window: C (t − K)^3 + W_max, × beta on a drop
    kVegas,      ///< delay-based: queue = limit (1 − rtt_noload / rtt)
    kGradient2,  ///< delay-based: gradient of long-term over current RTT
  };
  Algorithm algorithm = Algorithm::kAimd;
  double initial = 20;
  double min = 20;
  double max = 200;
  double backoff = 0.9;   ///< aimd: multiplier on a drop
  double cubic_c = 0.4;   ///< cubic
  double cubic_beta = 0.7;
  double smoothing = 0.2;     ///< gradient2
  double queue_size = 4;      ///< gradient2
  std::uint32_t long_window = 600;  ///< gradient2: samples in the long-term RTT average
  std::uint32_t probe_multiplier = 30;  ///< vegas: re-measure the no-load RTT this often
};
inline constexpr Named<AdaptiveConfig::Algorithm> kAdaptiveAlgorithms[] = {
    {"aimd", AdaptiveConfig::Algorithm::kAimd},
    {"cubic", AdaptiveConfig::Algorithm::kCubic},
    {"vegas", AdaptiveConfig::Algorithm::kVegas},
    {"gradient2", AdaptiveConfig::Algorithm::kGradient2}};

/// After a 429 passes through the layer, requests entering it wait until `pause` after that 429
/// (the OpenAI cookbook's global pause).
struct CooldownConfig {
  Duration pause = std::chrono::seconds(15);
};

enum class Backoff {
  kConstant,      ///< base every time
  kExponential,   ///< min(cap, base · 2^k) before retry k (k = 0, 1, ...)
  kDecorrelated,  ///< min(cap, U(base, 3 · previous delay)), AWS "decorrelated jitter"
};
inline constexpr Named<Backoff> kBackoffs[] = {
    {"constant", Backoff::kConstant}, {"exponential", Backoff::kExponential}, {"decorrelated", Backoff::kDecorrelated}};

enum class Jitter {
  kNone,   ///< the delay as computed
  kFull,   ///< U(0, d)
  kEqual,  ///< d/2 + U(0, d/2)
  kSdk,    ///< d · (1 − 0.25 U): the Anthropic and OpenAI SDKs' jitter, which only shortens
};
inline constexpr Named<Jitter> kJitters[] = {
    {"none", Jitter::kNone}, {"full", Jitter::kFull}, {"equal", Jitter::kEqual}, {"sdk", Jitter::kSdk}};

enum class RetryAfterPolicy {
  kIgnore,    ///< always use the backoff
  kObey,      ///< wait exactly retry-after when the response has one (0: retry at once)
  kObeyUpTo,  ///< wait exactly retry-after when 0 < it <= `retry_after_max`, else the backoff
  kObeyOrGiveUp,  ///< wait retry-after when 0 < it <= `retry_after_max`; longer: do not retry
};

/// A client-wide retry quota (AWS SDK standard mode): a retry spends `retry_cost` (a timeout
/// `timeout_cost`) and is not made when the quota is short; a success gives back what its
/// request's last retry spent, or `success_refund` when it needed none.
struct RetryQuota {
  std::uint32_t capacity = 500;
  std::uint32_t retry_cost = 5;
  std::uint32_t timeout_cost = 10;
  std::uint32_t success_refund = 1;
};

struct RetryConfig {
  bool on_429 = true;      ///< retry rate-limit errors
  bool on_529 = true;      ///< retry overload errors
  bool on_timeout = true;  ///< retry attempts that timed out
  std::uint32_t max_retries = 3;
  Backoff backoff = Backoff::kExponential;
  Duration base = std::chrono::seconds(1);
  Duration cap = std::chrono::seconds(60);
  Jitter jitter = Jitter::kFull;
  RetryAfterPolicy retry_after = RetryAfterPolicy::kObey;
  Duration retry_after_max = std::chrono::seconds(60);  ///< kObeyUpTo and kObeyOrGiveUp
  std::optional<RetryQuota> quota;
  /// Read the x-should-retry header before the status rules (the official Anthropic and OpenAI
  /// SDKs do): `true` retries whatever the status, `false` never does; retries left still count.
  bool honor_should_retry = false;
};

using LayerConfig = std::variant<SemaphoreConfig, RetryConfig, RampConfig, CooldownConfig,
                                 ThrottleConfig, BreakerConfig, PaceConfig, AdaptiveConfig,
                                 RouteConfig, RetryBudgetConfig, AwsRateConfig>;

/// Each layer kind's name (its random stream's, and the scenario key's where one reads it), in
/// the order of LayerConfig's alternatives.
inline constexpr std::string_view kLayerKinds[] = {"semaphore", "retry",    "ramp",  "cooldown",
                                                   "throttle",  "breaker",  "pace",  "adaptive",
                                                   "route",     "retry_budget", "aws_rate"};
static_assert(std::size(kLayerKinds) == std::variant_size_v<LayerConfig>);

}  // namespace ratesim::models::client
