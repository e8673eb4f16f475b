// An organization's configured limits (a saved rate-limits listing, rate_limits_reader.hpp)
// laid over a provider, so that a scenario runs on the limits the organization really has
// rather than a tier's defaults.
//
// The rules:
// - A `model_group` entry applies to the provider's models it lists. Names match when they are
//   equal, or equal once a trailing -YYYYMMDD date is removed (the listing names each model and
//   its aliases: claude-sonnet-4-6 and claude-sonnet-4-6-20260217 are one model).
// - Each limit it gives replaces that budget of the group holding those models; a limiter type it
//   omits keeps the provider's value. The limiter types map to budgets through models::kBudgets.
// - When the provider groups the models differently (they are in several groups, or their group
//   also holds models the entry does not list), they move to a new group named after the entry's
//   display name ("Claude Sonnet 4.x" → claude-sonnet-4-x), with a warning. The new group takes
//   the limiter and burst of the first model's group; each budget the entry omits takes the
//   smallest of the old groups' values. Groups left without models are removed.
// - A `batch` entry's requests_per_minute sets the Message Batches API's RPM (batch_rpm).
// - Entries of every other group type (files, skills, token_count, web_search, ...) are named
//   together in one warning; every limiter type ratesim does not simulate, in a warning of its
//   own. Entries that list none of the provider's models are not used, without a warning.
// - A next_page that is not null (the file is one page of several) is a warning.
// - A model listed by two entries is an InputError at its second listing.
#pragma once

#include <string>
#include <vector>

#include "models/provider/provider_config.hpp"
#include "sim/scenario/rate_limits_reader.hpp"

namespace ratesim::scenario {

/// Whether two model ids name the same model: equal, or equal without a trailing -YYYYMMDD.
bool same_model(const std::string& a, const std::string& b);

/// A group name made from a display name: lower case, each run of other characters one '-'
/// ("Claude Sonnet 4.x" → "claude-sonnet-4-x").
std::string group_slug(const std::string& display_name);

/// Lays `file` over `p` by the rules above; returns the warnings, one sentence each, each
/// beginning with the place in the file it is about.
std::vector<std::string> apply_organization_limits(const RateLimitsFile& file, models::provider::ProviderConfig& p);

}  // namespace ratesim::scenario
