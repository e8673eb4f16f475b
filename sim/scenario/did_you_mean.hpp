// Suggestions for misspelt names: the closest known word by edit distance.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ratesim::scenario {

/// Levenshtein distance (insertions, deletions, substitutions, and swaps of neighbours).
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The option closest to `word`, if it is close enough to be a likely misspelling
/// (distance at most 2, and less than half the word's length).
std::optional<std::string> closest(std::string_view word, const std::vector<std::string>& options);

/// " (did you mean 'x'?)" or "".
std::string did_you_mean(std::string_view word, const std::vector<std::string>& options);

}  // namespace ratesim::scenario
