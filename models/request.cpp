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

std::string_view name(LimitCause c) {
  switch (c) {
    case LimitCause::kRpm: return "rpm";
    case LimitCause::kItpm: return "itpm";
    case LimitCause::kOtpm: return "otpm";
    case LimitCause::kTpm: return "tpm";
    case LimitCause::kAcceleration: return "acceleration";
    case LimitCause::kSpend: return "spend";
    case LimitCause::kNone: return "none";
  }
  return "?";
}

}  // namespace ratesim::models
