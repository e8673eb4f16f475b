// A client strategy layer and the stack it lives in (docs/strategies.md).
//
// A workload's layers form a stack, outermost first, like middleware. A request enters layer 0,
// each layer passes it inward (now or later), and past the innermost layer an attempt is sent.
// The attempt's result then travels outward, innermost layer first; each layer either lets it
// pass out (the request leaves that layer) or keeps the request — a retry layer keeps it,
// sleeps, and passes it inward again, so it re-enters only the layers after itself. A result
// that passes out of layer 0 ends the request: ok if the attempt succeeded, gave_up otherwise.
//
// Layers never see events; the host turns wake-ups into events and back.
#pragma once

#include <cstdint>

#include "models/request.hpp"

namespace ratesim::models::client {

using Slot = std::uint32_t;

/// What a layer may ask of the stack it sits in.
class LayerHost {
 public:
  virtual ~LayerHost() = default;
  virtual Time now() const = 0;
  virtual Request& request(Slot s) = 0;
  /// Passes the request from layer `from` to the next layer inward, or sends an attempt when
  /// `from` is the innermost. Clears `parked`.
  ///
  /// The call may re-enter the caller before it returns: a layer further in may end the request
  /// at once (a full queue drops it, a retry budget gives up), and then every layer the request
  /// is inside gets abandon() — the caller included. So a caller must have finished changing its
  /// own state for this request before it calls pass_inward, must not touch the request or `r`
  /// after it returns unless it checks that the request is still current, and must expect its
  /// abandon() to have run. A layer may pass several requests inward in one loop (a semaphore
  /// admitting waiters) if each iteration keeps to this.
  virtual void pass_inward(Slot s, std::size_t from) = 0;
  /// The rate-limit headers of the request's latest response, or null when no layer of the
  /// world declared it reads them (ClientLayer::reads_headers).
  virtual const RateLimitHeaders* headers(Slot s) const = 0;
  /// Parks the request in layer `layer` until `at`, then passes it inward from there.
  /// A request that ends meanwhile (deadline) is never woken.
  virtual void wake_at(Time at, Slot s, std::size_t layer) = 0;
  /// Ends the request now as `dropped` (shed by a layer): every layer it is inside, the caller
  /// included, gets abandon() (the caller with `parked_here` if it set `parked`) before drop
  /// returns; the caller must not pass the request on afterwards.
  virtual void drop(Slot s) = 0;
  /// Ends the request now as `gave_up` (a layer refuses to let it retry), like drop().
  virtual void give_up(Slot s) = 0;
  /// Calls on_timer(token) of layer `layer` of workload `workload` at `at` (for layers that act
  /// on time, not on requests).
  virtual void timer_at(Time at, std::uint16_t workload, std::size_t layer, std::uint32_t token) = 0;
};

enum class Verdict {
  kPassOut,  ///< the result goes on outward; the request has left this layer
  kKeep,     ///< this layer keeps the request (it will pass it inward again later)
};

class ClientLayer {
 public:
  virtual ~ClientLayer() = default;

  /// The request enters this layer. The layer must pass it inward, now or later (setting
  /// `parked` while it waits inside), or end it (LayerHost::drop, give_up). It may be re-entered
  /// during the call (see LayerHost::pass_inward).
  virtual void enter(Slot s, Request& r) = 0;

  /// The result of the request's latest attempt (in r.last) travels outward through this layer.
  /// On kKeep the layer owns the request again and must pass it inward later.
  virtual Verdict on_result(Slot s, Request& r) = 0;

  /// The request ends while inside this layer: its deadline passed, or a layer dropped it or
  /// gave up — possibly this layer, from within its own enter(), on_result() or pass_inward().
  /// `parked_here`: it was waiting in this layer rather than passed inward. The layer must
  /// forget it (release what it holds for it); it may leave queue entries behind, since entries
  /// of ended requests are skipped (WaitQueue). The host never wakes the request again.
  virtual void abandon(Slot s, Request& r, bool parked_here) = 0;

  /// Whether the layer reads responses' rate-limit headers (LayerHost::headers). The world keeps
  /// them only if some layer does.
  virtual bool reads_headers() const { return false; }

  /// A timer the layer set with LayerHost::timer_at is due.
  virtual void on_timer(std::uint32_t /*token*/) {}
};

}  // namespace ratesim::models::client
