// The retry presets: the official clients' default retry behaviour, one row each, from their
// sources (docs/strategies.md). A retry layer's `preset:` names a row, and calibrate matches a
// log's retries against the rows; no other file spells a preset's settings.
#pragma once

#include <span>
#include <string_view>

#include "models/client/layer_config.hpp"

namespace ratesim::scenario {

/// The layers a retry preset brings besides its retry layer.
enum class RetryExpansion {
  kNone,
  kCookbook,     ///< the OpenAI cookbook's cooldown and pace after the retry
  kAwsAdaptive,  ///< AWS adaptive mode's client rate limiter after the retry
};

struct RetryPreset {
  std::string_view name;
  /// The defaults of the preset's retry layer; the layer's other keys override them.
  models::client::RetryConfig (*settings)();
  RetryExpansion expands = RetryExpansion::kNone;
  /// Whether calibrate proposes it for a log. A log shows retries, backoff, jitter and whether
  /// retry-after was waited for: the other rows differ from a fitted one only in what a log
  /// cannot show (retry-after beyond 60 s, layers after the retry) or never retry.
  bool fitted = false;
};

/// Every retry preset, in the order `preset:` lists them in its error messages.
std::span<const RetryPreset> retry_presets();

}  // namespace ratesim::scenario
