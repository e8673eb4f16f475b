// An organization's rate limits as Anthropic's Admin API lists them: a saved response of
// `GET /v1/organizations/rate_limits` (platform.claude.com/docs, Rate Limits API, as documented
// in 2026), `{"data": [{"group_type": "model_group", "group": {"display_name": ...},
// "models": [...], "limits": [{"type": "requests_per_minute", "value": 5000}, ...]}, ...],
// "next_page": null}`. Read into plain structs that keep where each value stood in the file, so
// that whoever applies them can point at an entry.
//
// The shape is checked here (a malformed file is an InputError at file:line:col, naming the
// offending value and what was expected); what the entries mean for a provider is not
// (organization_limits.hpp). Keys the reader does not use are ignored: the API may add fields.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ratesim::scenario {

/// A place in the file, 1-based (column in bytes).
struct FilePosition {
  int line = 0;
  int column = 0;
};

/// One limiter of an entry.
struct RateLimitValue {
  std::string type;       ///< the limiter type, e.g. requests_per_minute
  std::int64_t value = 0; ///< a whole number from 1 to kMaxRateLimit
  FilePosition at;        ///< where the limiter's object begins
};

/// One rate-limit group of the listing.
struct RateLimitEntry {
  std::string id;            ///< the entry's id ("" when absent)
  std::string group_type;    ///< model_group, batch, files, skills, token_count, web_search, ...
  std::string group_id;      ///< the group's rlg_… id ("" when absent)
  std::string display_name;  ///< e.g. "Claude Sonnet 4.x" ("" when absent)
  std::vector<std::string> models;        ///< model ids and aliases; empty when null
  std::vector<FilePosition> model_at;     ///< where each of `models` is
  std::vector<RateLimitValue> limits;
  FilePosition at;  ///< where the entry's object begins
  std::size_t index = 0;  ///< its place in `data`, from 0

  /// How messages name it: "'Claude Sonnet 4.x'", or "'batch'" when it has no display name.
  std::string label() const;
};

/// The whole listing.
struct RateLimitsFile {
  std::string path;  ///< as messages name it
  std::vector<RateLimitEntry> entries;
  bool more_pages = false;  ///< next_page is not null: the file is one page of several
};

/// Largest limit value accepted, as for a scenario's budgets: far above any published tier.
inline constexpr std::int64_t kMaxRateLimit = 1'000'000'000;

/// Reads the file at `path` (at most kMaxScenarioBytes). Throws InputError.
RateLimitsFile read_rate_limits(const std::string& path);

/// Reads the listing from `text`; `path` names it in messages. Throws InputError.
RateLimitsFile parse_rate_limits(const std::string& text, const std::string& path);

}  // namespace ratesim::scenario
