// Observes a run and emits one record per attempt as the client saw it, when its response came
// back (or the client stopped waiting): the attempts log of `run --attempts-log`. State is kept
// only for attempts in flight.
#pragma once

#include <array>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "models/observer.hpp"

namespace ratesim::metrics {

struct AttemptRecord {
  double arrival_s = 0;          ///< when its request arrived (before any client-side queue)
  double sent_s = 0;             ///< when the attempt left the client
  double decided_s = 0;          ///< when the provider (or the client's timeout) decided it
  double latency_s = 0;          ///< send to end of response (or to the client giving up on it)
  std::uint64_t request_id = 0;
  std::uint32_t attempt = 0;     ///< 1, 2, ...
  const std::string* model = nullptr;
  const std::string* workload = nullptr;
  models::AttemptResult result;
  bool batch = false;            ///< a Message Batches request
  std::uint32_t max_tokens = 0;
  std::uint32_t prompt_tokens = 0;  ///< the client's own count of the whole prompt
  // usage, for successes
  std::uint32_t input_tokens = 0, cache_write_tokens = 0, cache_read_tokens = 0, output_tokens = 0;
  bool has_headers = false;
  models::RateLimitHeaders headers{};
};

class AttemptsCollector final : public models::WorldObserver {
 public:
  using Sink = std::function<void(const AttemptRecord&)>;
  AttemptsCollector(std::vector<std::string> model_names, std::vector<std::string> workload_names, Sink sink);

  void on_attempt_outcome(models::Time now, const models::Request& r, const models::AttemptDecision& d) override;
  void on_attempt_returned(models::Time now, const models::Request& r) override;

 private:
  std::vector<std::string> models_, workloads_;
  Sink sink_;
  std::unordered_map<std::uint64_t, AttemptRecord> open_;  ///< by request id: its latest decision
};

}  // namespace ratesim::metrics
