// The budgets a provider meters and the causes a 429 can have: one table each, in the order
// every output follows. Limiters, collectors, the CSV and JSON writers, the attempts log and
// calibrate's header reader iterate these tables; no other file spells a budget's name. A new
// budget (a daily one, another provider's) is a row here plus the cost rule that feeds it.
//
// Scopes are a second axis: the organization's limits always apply and, when a workload names a
// workspace with its own caps, the workspace's too. A refusal records (scope, cause).
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "sim/kernel/time.hpp"

namespace ratesim::models {

/// Why a 429 came. The first kBudgetCount causes are budgets of a limit group, in the table's
/// order, which also breaks ties between budgets; `acceleration` is a sharp rise in usage;
/// `spend` is the organization's monthly spend limit.
enum class LimitCause : std::uint8_t { kRpm, kItpm, kOtpm, kTpm, kAcceleration, kSpend, kNone };
inline constexpr std::size_t kLimitCauseCount = 6;  ///< causes a 429 can have
inline constexpr std::size_t kBudgetCount = 4;      ///< the budget rows of kCauses

constexpr std::size_t index(LimitCause c) { return static_cast<std::size_t>(c); }
constexpr LimitCause budget_cause(std::size_t b) { return static_cast<LimitCause>(b); }
constexpr bool is_budget(LimitCause c) { return index(c) < kBudgetCount; }

/// What an attempt costs a budget at the moment it is admitted.
enum class BudgetCost : std::uint8_t {
  kRequest,  ///< one per attempt
  kInput,    ///< uncached + cache-write input tokens (+ cache reads where the model counts them)
  kOutput,   ///< max_tokens (reserve accounting) or one token of room (actual accounting)
  kTokens,   ///< input and output together (tpm_cost: input + max_tokens, or the larger)
};

/// A 429's cause: its name in scenarios and outputs, the API's wording, and the cure.
struct CauseSpec {
  std::string_view name;     ///< summary.json key, CSV column suffix, table row: "itpm"
  std::string_view message;  ///< the 429's error message, as the API words it
  std::string_view cure;     ///< what the diagnosis advises against it
  /// Lower-case phrases, '|'-separated, by which an error message names this cause (a budget's
  /// are tried in table order, after the others: "tokens per minute" ends "input tokens per minute").
  std::string_view phrases;
};

/// A budget of a limit group.
struct BudgetSpec {
  std::string_view header;     ///< anthropic-ratelimit-<header>-{limit,remaining,reset}
  std::string_view per;        ///< what it counts, for messages: "input tokens per minute"
  kernel::Duration window;     ///< the period its limit is stated over
  BudgetCost cost;             ///< what an attempt costs it at admission
  std::string_view corrected;  ///< when that cost is corrected, for docs and --help
  bool tokens;                 ///< counts tokens: the API rounds its remaining to thousands
  /// The limiter type that carries it in Anthropic's rate-limits listing (Admin API
  /// GET /v1/organizations/rate_limits, as documented in 2026): "input_tokens_per_minute".
  std::string_view api_type;
};

inline constexpr std::array<CauseSpec, kLimitCauseCount> kCauses{{
    {"rpm", "This request would exceed the rate limit for requests per minute",
     "fewer, bundled calls (several items per request, or the Batch API)", "requests per minute"},
    {"itpm", "This request would exceed the rate limit for input tokens per minute",
     "shorter prompts, or prompt caching of a shared prefix at least the model's minimum (cache "
     "reads do not count toward ITPM)",
     "input tokens per minute"},
    {"otpm", "This request would exceed the rate limit for output tokens per minute",
     "shorter answers, or fewer at once (with reserve accounting, also a tighter max_tokens: it is "
     "held until the answer is complete)",
     "output tokens per minute"},
    {"tpm", "This request would exceed the rate limit for tokens per minute",
     "shorter prompts and a tighter max_tokens (both are charged up front)", "tokens per minute"},
    {"acceleration", "Rate limited: a sharp increase in usage (acceleration limit)",
     "ramp up gradually (a ramp or adaptive layer) and keep usage steady, or state the "
     "organization's usage before the run (provider.acceleration.initial_load); the acceleration "
     "model is an assumption: see 'ratesim run --sensitivity'",
     "acceleration|sharp increase"},
    {"spend", "You have reached your monthly spend limit",
     "the monthly spend limit is reached: retrying does not help until next month; a higher tier, "
     "the Batch API (half price), prompt caching, or spreading the work over months",
     "spend limit|spending limit"},
}};

inline constexpr std::array<BudgetSpec, kBudgetCount> kBudgets{{
    {"requests", "requests per minute", std::chrono::minutes(1), BudgetCost::kRequest, "never", false,
     "requests_per_minute"},
    {"input-tokens", "input tokens per minute", std::chrono::minutes(1), BudgetCost::kInput,
     "never (the prompt is known when the request arrives)", true, "input_tokens_per_minute"},
    {"output-tokens", "output tokens per minute", std::chrono::minutes(1), BudgetCost::kOutput,
     "at completion: reserve refunds the unused max_tokens, actual debits the output produced", true,
     "output_tokens_per_minute"},
    {"tokens", "tokens per minute", std::chrono::minutes(1), BudgetCost::kTokens, "never", true,
     "tokens_per_minute"},
}};

/// The header that carries the most restrictive token budget in effect (Anthropic's
/// anthropic-ratelimit-tokens-*). It shares its name with the `tpm` budget's header: where a
/// group has only `tpm`, that is what it reports.
inline constexpr std::string_view kTokensHeader = "tokens";

std::string_view name(LimitCause c);
const CauseSpec& spec(LimitCause c);
const BudgetSpec& budget_spec(std::size_t b);

/// Whose limit refused an attempt.
enum class Scope : std::uint8_t {
  kOrganization,  ///< the organization's limits (always in force)
  kWorkspace,     ///< a workspace's own, lower caps (only where the workload names a workspace)
};
inline constexpr std::size_t kScopeCount = 2;
std::string_view name(Scope s);

/// 429 counters by (scope, cause): the organization's causes in kCauses order, then each budget
/// as a workspace's (acceleration and spend are organization-wide).
inline constexpr std::size_t kRefusalCount = kLimitCauseCount + kBudgetCount;
constexpr std::size_t refusal_index(Scope s, LimitCause c) {
  return s == Scope::kWorkspace && is_budget(c) ? kLimitCauseCount + index(c) : index(c);
}
constexpr Scope refusal_scope(std::size_t i) {
  return i < kLimitCauseCount ? Scope::kOrganization : Scope::kWorkspace;
}
constexpr LimitCause refusal_cause(std::size_t i) {
  return static_cast<LimitCause>(i < kLimitCauseCount ? i : i - kLimitCauseCount);
}
/// A refusal counter's name in CSV columns: "itpm", "workspace_itpm".
std::string refusal_key(std::size_t i);
/// How the table and the diagnosis name a refusal: "itpm", "itpm (workspace batch-team)";
/// `workspace` empty: "itpm (workspace)".
std::string refusal_label(std::size_t i, std::string_view workspace = {});

}  // namespace ratesim::models
