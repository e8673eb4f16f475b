// Reads attempts logs: what a team records from its real client, one record per attempt, as
// JSON Lines or as CSV whose header names the same fields flattened with dots
// (`usage.input_tokens`, `headers.retry-after`). docs/calibrate.md lists the fields; `ratesim run
// --attempts-log` writes them. A malformed line is an InputError at file:line:col, or counted and
// skipped when asked.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "models/request.hpp"

namespace ratesim::calibrate {

inline constexpr double kNone = std::numeric_limits<double>::quiet_NaN();

/// One budget's anthropic-ratelimit-* headers on a response.
struct LoggedBudget {
  std::int64_t limit = 0;   ///< per minute; 0: not sent
  double remaining = kNone;
  double reset = kNone;     ///< when the budget is whole again, seconds on the log's clock
};

struct LoggedAttempt {
  double time = 0;             ///< when it was sent, seconds after the log's start
  double arrival = kNone;      ///< when its logical request arrived, before any client-side queue
  double latency = kNone;      ///< send to the end of the response
  double ttft = kNone;         ///< send to the first token, when recorded
  std::uint32_t request = 0;   ///< the logical request (an index into AttemptsLog::request_ids)
  std::uint32_t attempt = 0;   ///< 1, 2, ...; 0: not recorded
  std::uint16_t model = 0;     ///< an index into AttemptsLog::models
  std::uint16_t workload = 0;  ///< an index into AttemptsLog::workloads (0: not recorded)
  int status = 0;              ///< the HTTP status; 0: none (the client stopped waiting, or a network error)
  std::int64_t max_tokens = -1;    ///< -1: not recorded
  std::int64_t prompt_tokens = -1; ///< the client's own count of the whole prompt; -1: not recorded
  bool has_usage = false;
  std::int64_t input_tokens = 0, output_tokens = 0, cache_write_tokens = 0, cache_read_tokens = 0;
  std::array<LoggedBudget, models::kBudgetCount> budgets{};  ///< rpm, itpm, otpm, tpm
  double retry_after = kNone;  ///< seconds
  int should_retry = -1;       ///< the x-should-retry header: -1 absent, 0 false, 1 true
  /// For a 429: the cause its error message names (models::LimitCause::kNone when it names none).
  models::LimitCause named_cause = models::LimitCause::kNone;
  std::uint32_t line = 0;      ///< where it was read (1-based), for messages
  std::uint16_t file = 0;      ///< an index into AttemptsLog::files

  bool ok() const { return status >= 200 && status < 300; }
  double end() const { return time + (std::isnan(latency) ? 0.0 : latency); }
  /// The whole prompt: the client's count, else the usage's three input figures.
  std::int64_t prompt() const {
    if (prompt_tokens >= 0) return prompt_tokens;
    return has_usage ? input_tokens + cache_write_tokens + cache_read_tokens : -1;
  }
};

struct AttemptsLog {
  std::vector<std::string> files;
  std::vector<std::string> models;
  /// The optional `workload` field's values (a team's own tag for where a request comes from);
  /// the first is "", for attempts without one.
  std::vector<std::string> workloads{""};
  std::vector<std::string> request_ids;
  std::vector<LoggedAttempt> attempts;  ///< by send time (ties in reading order)
  double epoch = 0;        ///< the log's start (its first send or arrival) in Unix seconds (or as the log's numbers count)
  std::uint64_t skipped = 0;  ///< malformed lines skipped (with skip_bad)
  std::uint64_t first_skipped_line = 0;
  std::string first_skipped_file, first_skipped_reason;

  double span() const;  ///< first send to last end, seconds
};

struct ReadOptions {
  bool skip_bad = false;  ///< count malformed lines instead of stopping at the first
};

/// Reads the logs in `paths` (each JSON Lines, or CSV when its name ends in .csv) as one log.
/// Throws scenario::InputError for a file that cannot be read, a malformed line (unless
/// skip_bad), or a log without attempts.
AttemptsLog read_attempts_logs(const std::vector<std::string>& paths, const ReadOptions& options = {});

/// The 429 cause an error message names ("... 50,000 input tokens per minute" → itpm; the
/// acceleration limit; the spend limit); kNone when it names none.
models::LimitCause cause_from_message(std::string_view message);

}  // namespace ratesim::calibrate
