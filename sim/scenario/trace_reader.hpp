// Reads a recorded trace: a CSV file with a header row naming its columns, in any order:
// time_s, input_tokens, output_tokens (required), and max_tokens, model, cached_tokens
// (optional). Rows must be in time order. A bad row is an InputError at file:line:col.
#pragma once

#include <string>

#include "models/traffic/traffic_config.hpp"

namespace ratesim::scenario {

/// Reads `path`; record times are multiplied by `time_scale`.
models::traffic::Trace read_trace(const std::string& path, double time_scale);

}  // namespace ratesim::scenario
