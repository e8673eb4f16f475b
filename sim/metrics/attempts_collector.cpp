#include "sim/metrics/attempts_collector.hpp"

namespace ratesim::metrics {

AttemptsCollector::AttemptsCollector(std::vector<std::string> model_names, std::vector<std::string> workload_names,
                                     Sink sink)
    : models_(std::move(model_names)), workloads_(std::move(workload_names)), sink_(std::move(sink)) {}

void AttemptsCollector::on_attempt_outcome(models::Time now, const models::Request& r,
                                           const models::AttemptDecision& d) {
  // The latest decision wins: a timed-out attempt is decided by the provider first and by the
  // client's timeout after, and the client saw the timeout.
  AttemptRecord& a = open_[r.id];
  a.request_id = r.id;
  a.arrival_s = kernel::to_seconds(r.arrival);
  a.decided_s = kernel::to_seconds(now);
  a.attempt = r.attempts;
  a.model = &models_[r.model];
  a.workload = &workloads_[r.workload];
  a.result = d.result;
  a.batch = r.last_send == kernel::kNever;
  a.max_tokens = r.max_tokens;
  a.prompt_tokens = r.prompt;
  const bool ok = d.result.outcome == models::AttemptOutcome::kOk;
  a.input_tokens = ok ? r.input_tokens : 0;
  a.cache_write_tokens = ok ? r.cache_write_tokens : 0;
  a.cache_read_tokens = ok ? r.cache_read_tokens : 0;
  a.output_tokens = ok ? r.output_tokens : 0;
  a.has_headers = d.headers != nullptr && d.result.outcome != models::AttemptOutcome::kTimeout;
  if (a.has_headers) a.headers = *d.headers;
}

void AttemptsCollector::on_attempt_returned(models::Time now, const models::Request& r) {
  const auto it = open_.find(r.id);
  if (it == open_.end()) return;  // a request abandoned before any decision (deadline)
  AttemptRecord a = it->second;
  open_.erase(it);
  const models::Time sent = r.last_send == kernel::kNever ? r.first_send : r.last_send;
  a.sent_s = kernel::to_seconds(sent);
  a.latency_s = kernel::to_seconds(now - sent);
  sink_(a);
}

}  // namespace ratesim::metrics
