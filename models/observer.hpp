// What the world reports as it runs. The engine never prints: metrics, CSV writers and progress
// displays are observers. Every method has an empty default, so an observer overrides only what
// it needs. Calls arrive in simulated-time order; `now` never decreases.
#pragma once

#include "models/request.hpp"

namespace ratesim::models {

/// The price of one successful attempt, USD, by token kind.
struct Charge {
  double input = 0;
  double cache_write = 0;
  double cache_read = 0;
  double output = 0;
  double total() const { return input + cache_write + cache_read + output; }
};

class WorldObserver {
 public:
  virtual ~WorldObserver() = default;
  /// A request arrived (before any client layer saw it).
  virtual void on_arrival(Time /*now*/, const Request& /*r*/) {}
  /// An attempt left the client; r.attempts counts it.
  virtual void on_attempt_sent(Time /*now*/, const Request& /*r*/) {}
  /// The provider decided an attempt. `charge` is non-null for a successful (billed) attempt.
  virtual void on_attempt_decided(Time /*now*/, const Request& /*r*/,
                                  const AttemptResult& /*result*/, const Charge* /*charge*/) {}
  /// The client stopped waiting for an attempt: its response came back, or the request was
  /// abandoned while it was out.
  virtual void on_attempt_returned(Time /*now*/, const Request& /*r*/) {}
  /// The request ended with `outcome`.
  virtual void on_request_done(Time /*now*/, const Request& /*r*/, RequestOutcome /*outcome*/) {}
  /// The run reached its horizon. Only on_request_done(..., kUnfinished) calls follow, one for
  /// each request still pending.
  virtual void on_horizon(Time /*now*/) {}
};

}  // namespace ratesim::models
