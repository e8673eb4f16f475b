// The attempts log (`run --attempts-log F.jsonl`): JSON Lines, one object per attempt, with the
// field names a team records from its real client (the API's own usage and header names), so a
// simulated log and a real one can be read by the same tools. docs/outputs.md lists the fields.
#pragma once

#include <ostream>

#include "sim/metrics/attempts_collector.hpp"

namespace ratesim::report {

class AttemptsLog {
 public:
  explicit AttemptsLog(std::ostream& out) : out_(out) {}
  void write(const metrics::AttemptRecord& a);

 private:
  std::ostream& out_;
};

}  // namespace ratesim::report
