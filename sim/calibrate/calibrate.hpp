// `ratesim calibrate`: what an attempts log says about the provider and the client, per model,
// each value with its evidence. docs/calibrate.md explains every estimate.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "sim/calibrate/attempts_reader.hpp"
#include "sim/calibrate/fit.hpp"
#include "sim/calibrate/inference.hpp"
#include "sim/calibrate/log_summary.hpp"

namespace ratesim::calibrate {

struct LimitFit {
  std::int64_t limit = 0;     ///< the most frequent *-limit value; 0: never sent
  std::uint64_t n = 0;        ///< responses that carried it
  std::uint64_t distinct = 0; ///< distinct values seen (more than one: the limit changed)
};

struct BurstFit {
  double seconds = 0;        ///< token-bucket size as time at the limit's rate; 0: no evidence
  std::uint64_t n = 0;       ///< remaining/reset pairs used
  Interval quartiles;        ///< of the per-pair estimates, seconds
  std::string budget;        ///< the budget the estimate comes from
};

struct LatencyFit {
  bool measured_ttft = false;  ///< true: from the log's ttft_s; false: the intercepts of the fit
  LognormalFit ttft;           ///< seconds
  double output_tps = 0;
  Interval output_tps_ci;
  std::optional<double> prefill_tps;  ///< when the prompt's share of the latency is significant
  Interval prefill_tps_ci;
  std::uint64_t n = 0;         ///< successes used
  double ks = 0;               ///< KS distance of the ttft values from the fitted lognormal
  std::vector<std::array<double, 2>> qq;  ///< (fitted, observed) ttft quantiles
};

struct Incident {
  double at = 0, length = 0, rate = 0;  ///< seconds, seconds, extra 529 share
};

struct OverloadFit {
  std::uint64_t r529 = 0, attempts = 0;
  double rate = 0;  ///< outside incidents
  Interval ci;
  std::vector<Incident> incidents;
};

struct AccelerationEvidence {
  std::uint64_t r429 = 0;
  std::uint64_t named = 0;            ///< 429s whose message names acceleration
  std::uint64_t with_room = 0;        ///< 429s with room in every budget for the request (inferred)
  struct Example {
    double time = 0;
    double last_minute = 0;   ///< requests sent in the minute before
    double baseline = 0;      ///< mean requests per minute over the ten minutes before that
  };
  std::vector<Example> examples;  ///< the first few
  double median_rise = 0;         ///< median of last_minute / baseline over the evidence 429s
};

struct ModelFit {
  std::string name;
  std::uint64_t attempts = 0, requests = 0, ok = 0;
  std::array<LimitFit, models::kBudgetCount> limits{};
  BurstFit burst;
  LatencyFit latency;
  OverloadFit overload;
  AccelerationEvidence acceleration;
  CauseCounts causes{};  ///< its 429s by inferred cause, then unknown
  std::string preset;  ///< a preset whose limits for this model equal the log's; empty: none
};

struct RetryFit {
  std::uint64_t requests = 0, retried = 0, gave_up = 0;
  std::uint32_t max_attempts = 0;
  double mean_attempts = 0;
  std::uint64_t after_retry_after = 0;  ///< retries that followed a retry-after header
  std::uint64_t obeyed = 0;             ///< ... sent after it had passed (within 0.25 s or 10%)
  std::uint64_t early = 0;              ///< ... sent before it had passed
  std::uint64_t backoff_gaps = 0;       ///< gaps without a retry-after to explain them
  double base = 0, cap = 0;             ///< 0: not observed
  std::string jitter;                   ///< full, equal, sdk, none, or empty: not observed
  std::string preset;                   ///< a retry preset the evidence fits; empty: none
  std::string why;                      ///< one line: why that preset, or what did not fit
};

/// Requests that come from one place: a workload the log names (its `workload` field), else a
/// model (or, for a replayed trace, the whole log). The fitted scenario has a workload for each.
struct StreamFit {
  std::string name;
  std::uint16_t model = 0;            ///< the model most of its requests use
  int workload = -1;                  ///< the log's workload index; -1: all of them
  int only_model = -1;                ///< the only model it takes; -1: any
  std::uint64_t requests = 0;
  SizeFit input, output, max_tokens;
  std::uint64_t cached_requests = 0;  ///< successes that read or wrote the cache
  double cached_prefix = 0;           ///< their median cached tokens
  RetryFit retry;
  std::uint64_t queued = 0;           ///< requests that waited over 1 ms between arrival and first send
  double queued_median = 0;           ///< their median wait, seconds
  std::uint32_t most_in_progress = 0; ///< most requests between first send and last end at once
  bool takes(const LoggedRequest& r) const {
    return (workload < 0 || r.workload == workload) && (only_model < 0 || r.model == only_model);
  }
};

struct Calibration {
  std::vector<std::string> files;
  std::uint64_t attempts = 0, requests = 0, skipped = 0;
  double span = 0;
  double epoch = 0;
  std::vector<ModelFit> models;
  std::vector<StreamFit> streams;
  std::vector<LoggedRequest> logical;  ///< for the fitted trace
  Inference inference;                 ///< causes and unseen prompts, per attempt and request of `logical`
  std::vector<std::string> model_names;
  std::vector<std::string> workload_names;  ///< the log's (the first is "": untagged)
  /// What the fitted scenario calls each model and stream: scenario_name() of the log's name,
  /// made unique.
  std::vector<std::string> model_ids, stream_ids;
};

/// `name` as a scenario's model or workload name: letters, digits, '-' and '_' (anything else
/// becomes '-', as in Bedrock's "anthropic.claude-...-v1:0"); never empty, never starting with '-'.
std::string scenario_name(std::string_view name);

/// `per_model`: without workload tags, one stream per model (the phases form) instead of one
/// for the whole log.
Calibration calibrate(const AttemptsLog& log, bool per_model = false);

/// Whether the log shows acceleration-style 429s (room in every budget, or a message naming
/// acceleration): at least 3, and at least 1% of its 429s. Fewer is what a few misread headers
/// produce (a remainder just past the rounding), and an acceleration model turned on by them
/// would refuse far more than the log did.
bool shows_acceleration(const Calibration& c);

/// The preset tiers' limits per model, for matching: (preset, model, rpm, itpm, otpm, tpm).
struct PresetLimits {
  std::string preset, model, group;
  bool superseded = false;  ///< a tier no longer offered (its file says `superseded:`)
  std::array<std::int64_t, models::kBudgetCount> limits{};
};
const std::vector<PresetLimits>& preset_limits();

}  // namespace ratesim::calibrate
