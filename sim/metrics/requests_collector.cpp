#include "sim/metrics/requests_collector.hpp"

namespace ratesim::metrics {

RequestsCollector::RequestsCollector(std::vector<std::string> workload_names,
                                     std::vector<std::string> model_names, Sink sink)
    : workloads_(std::move(workload_names)), models_(std::move(model_names)), sink_(std::move(sink)) {}

void RequestsCollector::on_attempt_outcome(models::Time, const models::Request& r,
                                           const models::AttemptDecision& d) {
  Tally& t = pending_[r.id];
  switch (d.result.outcome) {
    case models::AttemptOutcome::k429: ++t.r429; break;
    case models::AttemptOutcome::k529: ++t.r529; break;
    default: break;
  }
  if (d.billed) {
    t.input += r.input_tokens;
    t.cache_write += r.cache_write_tokens;
    t.cache_read += r.cache_read_tokens;
    t.output += r.output_tokens;
    t.cost += d.charge.total();
  }
}

void RequestsCollector::on_request_done(models::Time now, const models::Request& r,
                                        models::RequestOutcome outcome) {
  Tally t;
  if (const auto it = pending_.find(r.id); it != pending_.end()) {
    t = it->second;
    pending_.erase(it);
  }
  sink_(RequestRow{.id = r.id,
                   .workload = &workloads_[r.workload],
                   .model = &models_[r.model],
                   .arrival_s = kernel::to_seconds(r.arrival),
                   .first_send_s = r.first_send == kernel::kNever ? -1 : kernel::to_seconds(r.first_send),
                   .done_s = kernel::to_seconds(now),
                   .outcome = outcome,
                   .attempts = r.attempts,
                   .r429 = t.r429,
                   .r529 = t.r529,
                   .input_tokens = t.input,
                   .cache_write_tokens = t.cache_write,
                   .cache_read_tokens = t.cache_read,
                   .output_tokens = t.output,
                   .cost_usd = t.cost});
}

}  // namespace ratesim::metrics
