#include "models/request.hpp"

namespace ratesim::models {

std::string_view name(RequestOutcome o) {
  switch (o) {
    case RequestOutcome::kOk: return "ok";
    case RequestOutcome::kGaveUp: return "gave_up";
    case RequestOutcome::kTimedOut: return "timed_out";
    case RequestOutcome::kDropped: return "dropped";
    case RequestOutcome::kExpired: return "expired";
    case RequestOutcome::kUnfinished: return "unfinished";
  }
  return "?";
}

std::string_view name(AttemptOutcome o) {
  switch (o) {
    case AttemptOutcome::kOk: return "ok";
    case AttemptOutcome::k429: return "429";
    case AttemptOutcome::k529: return "529";
    case AttemptOutcome::kTimeout: return "timeout";
  }
  return "?";
}

}  // namespace ratesim::models
