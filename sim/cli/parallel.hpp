// Independent runs spread over threads. Each index is handled exactly once; results are written
// by the callee into their own slots, so the output never depends on the number of threads.
#pragma once

#include <cstddef>
#include <functional>

#include "sim/report/run_progress.hpp"

namespace ratesim::cli {

/// Calls `body(i)` for every i in [0, n) on `jobs` threads (the caller's included). The first
/// exception thrown by any call is rethrown once all threads have stopped.
/// REQUIRES: jobs >= 1; `body` is safe to call concurrently for different i.
/// With `progress`, each finished call counts as one run done.
void parallel_for(std::size_t n, int jobs, const std::function<void(std::size_t)>& body,
                  report::RunProgress* progress = nullptr);

}  // namespace ratesim::cli
