#include "sim/cli/parallel.hpp"

#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace ratesim::cli {

void parallel_for(std::size_t n, int jobs, const std::function<void(std::size_t)>& body,
                  report::RunProgress* progress) {
  std::atomic<std::size_t> next{0};
  std::exception_ptr error;
  std::mutex error_mutex;
  std::atomic<bool> failed{false};
  auto worker = [&] {
    for (std::size_t i = next++; i < n; i = next++) {
      if (failed) return;  // one run failed (or was interrupted): start no more
      try {
        body(i);
        if (progress) progress->done();
      } catch (...) {
        const std::lock_guard lock(error_mutex);
        if (!error) error = std::current_exception();
        failed = true;
      }
    }
  };
  std::vector<std::thread> pool;
  for (int j = 1; j < jobs; ++j) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  if (error) std::rethrow_exception(error);
}

}  // namespace ratesim::cli
