// Observes a run and emits one row per request when it ends (requests.csv, `run --requests`).
// It keeps state only for requests still pending, so memory follows the number in flight.
#pragma once

#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "models/observer.hpp"

namespace ratesim::metrics {

struct RequestRow {
  std::uint64_t id = 0;
  const std::string* workload = nullptr;
  const std::string* model = nullptr;
  double arrival_s = 0;
  double first_send_s = -1;  ///< -1: never sent
  double done_s = 0;
  models::RequestOutcome outcome = models::RequestOutcome::kOk;
  std::uint32_t attempts = 0;
  std::uint32_t r429 = 0;
  std::uint32_t r529 = 0;
  std::uint64_t input_tokens = 0;  ///< uncached, of successful attempts
  std::uint64_t cache_write_tokens = 0;
  std::uint64_t cache_read_tokens = 0;
  std::uint64_t output_tokens = 0;
  double cost_usd = 0;
};

class RequestsCollector final : public models::WorldObserver {
 public:
  using Sink = std::function<void(const RequestRow&)>;
  RequestsCollector(std::vector<std::string> workload_names, std::vector<std::string> model_names,
                    Sink sink);

  void on_attempt_outcome(models::Time now, const models::Request& r,
                          const models::AttemptDecision& d) override;
  void on_request_done(models::Time now, const models::Request& r,
                       models::RequestOutcome outcome) override;

 private:
  struct Tally {
    std::uint32_t r429 = 0, r529 = 0;
    std::uint64_t input = 0, cache_write = 0, cache_read = 0, output = 0;
    double cost = 0;
  };
  std::vector<std::string> workloads_;
  std::vector<std::string> models_;
  Sink sink_;
  std::unordered_map<std::uint64_t, Tally> pending_;  ///< by request id
};

}  // namespace ratesim::metrics
