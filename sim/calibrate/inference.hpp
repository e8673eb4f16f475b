// What an attempts log leaves out, inferred from what it shows: the cause of each 429 whose
// message names no budget, and the prompt of each request that never succeeded (SDK-based
// recorders log no prompt size for a refused attempt). calibrate, the fitted trace and backtest
// all take them from here, so they agree. docs/calibrate.md ("How causes are inferred") gives the
// rules and what a log cannot tell.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "sim/calibrate/attempts_reader.hpp"
#include "sim/calibrate/fit.hpp"
#include "sim/calibrate/log_summary.hpp"

namespace ratesim::calibrate {

/// Per budget: half the step the log's `remaining` headers are rounded to (Anthropic rounds token
/// remainders to thousands: 500), 0 when they look exact. A remaining within it of what a request
/// needs counts as exhausted.
using HeaderSlack = std::array<double, models::kBudgetCount>;
HeaderSlack header_slack(const AttemptsLog& log);

/// Where a request's prompt comes from.
enum class PromptSource : std::uint8_t {
  kLogged,   ///< one of its attempts recorded it (a later success, or the client's own count)
  kBounded,  ///< never seen; refused for its size, so above a bound: drawn from the fit above it
  kFitted,   ///< never seen and no bound: drawn from the model's fit
  kNone,     ///< never seen and nothing to fit: the log has no prompt sizes at all
};

/// A refusal with room in every budget but input, for a request whose prompt the log never
/// shows, counts as one for its size when the fitted prompts exceed the input room at least this
/// often; below, the room was larger than any plausible prompt: acceleration.
inline constexpr double kPlausibleSize = 0.01;

/// The cause of a 429 that the log cannot tell (kNone is also "not a 429").
inline constexpr models::LimitCause kUnknownCause = models::LimitCause::kNone;

/// Per-model causes: one count per models::LimitCause, then unknown.
using CauseCounts = std::array<std::uint64_t, models::kLimitCauseCount + 1>;

struct Inference {
  HeaderSlack slack{};
  /// Per model of the log: its prompts' lognormal, requests refused for their size counted as
  /// censored at the bound they were refused at (n == 0: no prompt in the log).
  std::vector<LognormalFit> prompt_fit;
  /// Per model: its successes' outputs, for requests that never succeeded.
  std::vector<SizeFit> output_fit;
  std::vector<std::int64_t> largest_max_tokens;  ///< per model: the largest max_tokens or output seen (4,096 without)
  /// Per logical request (logical_requests' order): the prompt (logged, else drawn as its
  /// source says), where it comes from, and the bound it was refused above (0: none).
  std::vector<std::int64_t> prompt;
  std::vector<PromptSource> prompt_source;
  std::vector<double> prompt_above;
  /// Per logical request, what it contributes to a fit of prompt sizes (each -1: nothing): the
  /// prompt its first attempt showed, or the input room its first attempt was refused for size
  /// at. Only the first attempt goes out at a time independent of the prompt's size.
  std::vector<double> fit_exact, fit_above;
  /// Per attempt of the log: the cause of a 429 (kUnknownCause: the log cannot tell).
  std::vector<models::LimitCause> cause;
  std::vector<CauseCounts> causes;  ///< per model
};

/// Infers causes and prompts for `log`, whose logical requests are `requests`.
Inference infer(const AttemptsLog& log, const std::vector<LoggedRequest>& requests);

/// The cause of 429 `a` whose request's prompt is `prompt` (-1: unknown) by its message, else its
/// headers: the exhausted budget that needs the longest to refill (ties: the table's order),
/// acceleration when every budget had room by more than `slack` explains, unknown without
/// headers or when only the unknown prompt could decide.
models::LimitCause infer_cause(const LoggedAttempt& a, std::int64_t prompt, const HeaderSlack& slack);

/// A request as a replay sends it: the fitted trace and backtest both take these.
struct ReplaySizes {
  std::int64_t prompt = 1, output = 1, max_tokens = 1, cached = 0;
  PromptSource prompt_source = PromptSource::kLogged;
  bool output_logged = true;   ///< false: it never succeeded, drawn from its model's outputs
  bool max_tokens_logged = true;
};
ReplaySizes replay_sizes(const Inference& inference, const LoggedRequest& r, std::size_t index);

/// A uniform number in (0, 1) fixed by (index, stream): the draws of a request's missing sizes,
/// the same on every run.
double fixed_uniform(std::uint64_t index, std::uint64_t stream);

}  // namespace ratesim::calibrate
