// The attempt pipeline: an attempt leaves the client, meets the provider, and its response comes
// back through the client's layers; client timeouts, deadlines, wake-ups and layer timers.
#include <cassert>

#include "models/world_parts.hpp"

namespace ratesim::models {
namespace {

enum Kind : std::uint16_t {
  kAtProvider,      // RequestRef (number: attempt): an attempt reaches the provider
  kProviderDone,    // SettlementRef: the provider finished serving; settle the output tokens
  kServed,          // RequestRef (number: attempt): the provider finished serving; settle the
                    // output tokens kept in in_service_, and the response sets out
  kResponse,        // RequestRef (number: attempt): an attempt's response reaches the client
  kAttemptTimeout,  // RequestRef (number: attempt): the client stops waiting for an attempt
  kWake,            // RequestRef (number: layer): a parked request moves on
  kDeadline,        // a = workload: the earliest pending deadline of the workload is due
  kLayerTimer,      // LayerTimerRef: a client layer's timer
};

}  // namespace

World::Attempts::Attempts(World& world)
    : world_(world), handler_(world.sim_.add_handler(this)), network_lane_(world.sim_.add_lane()) {}

void World::Attempts::handle(const kernel::Event& e) {
  switch (e.kind) {
    case kAtProvider:
      at_provider(RequestRef::of(e).slot);
      return;
    case kProviderDone:
      settle(SettlementRef::of(e));
      return;
    case kServed:
      served(RequestRef::of(e));
      return;
    case kResponse:
      response_arrives(RequestRef::of(e));
      return;
    case kAttemptTimeout:
      client_timeout(RequestRef::of(e));
      return;
    case kWake: {
      const RequestRef ref = RequestRef::of(e);
      if (world_.slab_[ref.slot].current(ref.generation)) world_.pass_inward(ref.slot, ref.number);
      return;
    }
    case kDeadline:
      expire_deadlines(static_cast<std::uint16_t>(e.a));
      return;
    case kLayerTimer: {
      const LayerTimerRef ref = LayerTimerRef::of(e);
      world_.workloads_[ref.workload]->layers[ref.layer]->on_timer(ref.token);
      return;
    }
    default:
      assert(false && "unknown attempt event");
  }
}

void World::Attempts::send(client::Slot s) {
  Request& r = world_.slab_[s];
  const Time now = world_.sim_.now();
  ++r.attempts;
  ++r.attempts_out;
  if (r.first_send == kernel::kNever) r.first_send = now;
  r.last_send = now;
  r.awaiting = true;
  world_.notify(&WorldObserver::on_attempt_sent, now, r);
  const RequestRef attempt{s, r.generation, r.attempts};
  if (const auto& t = world_.workloads_[r.workload]->config->attempt_timeout)
    schedule(now + *t, kAttemptTimeout, attempt.a(), attempt.b());
  schedule_across_network(kAtProvider, attempt);
}

void World::Attempts::at_provider(client::Slot s) {
  Request& r = world_.slab_[s];
  const Time now = world_.sim_.now();
  RateLimitHeaders* headers = nullptr;
  if (world_.keep_headers_) {
    if (s >= world_.headers_.size()) world_.headers_.resize(s + 1);
    headers = &world_.headers_[s];
  }
  provider::Decision d = world_.provider_.decide(now, r, headers);
  r.last = d.attempt.result;
  d.attempt.headers = headers;
  world_.notify(&WorldObserver::on_attempt_outcome, now, r, d.attempt);
  const RequestRef attempt{s, r.generation, r.attempts};
  if (!d.attempt.billed) {
    schedule_across_network(kResponse, attempt);
    return;
  }
  if (d.settle_output > 0) {
    const SettlementRef settlement{static_cast<std::uint32_t>(d.settle_output),
                                   static_cast<std::uint64_t>((now - kernel::kTimeZero).count()),
                                   static_cast<std::uint16_t>(d.settle_group)};
    if (s >= in_service_.size()) in_service_.resize(s + 1);
    if (!in_service_[s].busy) {
      // The response's place is taken now, so it runs exactly where it would had it been
      // scheduled now, as below.
      schedule(now + d.service, kServed, attempt.a(), attempt.b());
      in_service_[s] = InService{settlement, world_.sim_.reserve_place(), true};
      return;
    }
    schedule(now + d.service, kProviderDone, settlement.a(), settlement.b());
  }
  schedule(now + d.service + world_.provider_.network_delay(), kResponse, attempt.a(), attempt.b());
}

void World::Attempts::served(const RequestRef& ref) {
  InService& x = in_service_[ref.slot];
  assert(x.busy);
  x.busy = false;
  settle(x.settlement);
  world_.sim_.schedule_reserved(x.response_place, network_lane_, world_.sim_.now() + world_.provider_.network_delay(),
                                handler_, kResponse, ref.a(), ref.b());
}

void World::Attempts::settle(const SettlementRef& ref) {
  const Time now = world_.sim_.now();
  const Time taken_at = kernel::kTimeZero + Duration{static_cast<std::int64_t>(ref.taken_at)};
  const std::int64_t settled = world_.provider_.complete(now, ref.group, taken_at, ref.tokens);
  if (settled == 0) return;
  const std::uint32_t org = world_.provider_.group_parent(ref.group);
  world_.notify(&WorldObserver::on_budget_settled, now, org, index(LimitCause::kOtpm), settled);
  if (org != ref.group)
    world_.notify(&WorldObserver::on_budget_settled, now, std::uint32_t{ref.group}, index(LimitCause::kOtpm), settled);
}

void World::Attempts::response_arrives(const RequestRef& ref) {
  Request& r = world_.slab_[ref.slot];
  assert(r.live && r.attempts_out > 0);
  --r.attempts_out;
  if (r.finished) {
    if (r.attempts_out == 0) world_.slab_.release(ref.slot);
    return;
  }
  // An older attempt's late answer, or one the client stopped waiting for (timeout).
  if (ref.number != r.attempts || !r.awaiting) return;
  respond(ref.slot);
}

void World::Attempts::client_timeout(const RequestRef& ref) {
  Request& r = world_.slab_[ref.slot];
  if (!r.current(ref.generation) || ref.number != r.attempts || !r.awaiting) return;
  // The provider may still serve it; the client treats it as failed now.
  r.last = AttemptResult{.outcome = AttemptOutcome::kTimeout};
  AttemptDecision d;
  d.result = r.last;
  d.group = world_.provider_.group_of(r.model);
  // Observers see the client's timeout as this attempt's decision: it is what the client acts on.
  world_.notify(&WorldObserver::on_attempt_outcome, world_.sim_.now(), r, d);
  respond(ref.slot);
}

void World::Attempts::respond(client::Slot s) {
  world_.slab_[s].awaiting = false;
  world_.notify(&WorldObserver::on_attempt_returned, world_.sim_.now(), world_.slab_[s]);
  pass_outward(s);
}

void World::Attempts::pass_outward(client::Slot s) {
  Request& r = world_.slab_[s];
  auto& layers = world_.workloads_[r.workload]->layers;
  for (std::size_t i = r.depth; i-- > 0;) {
    if (layers[i]->on_result(s, r) == client::Verdict::kKeep) {
      r.depth = static_cast<std::uint8_t>(i + 1);
      return;
    }
    r.depth = static_cast<std::uint8_t>(i);
  }
  world_.finish(s, r.last.outcome == AttemptOutcome::kOk ? RequestOutcome::kOk : RequestOutcome::kGaveUp);
}

void World::Attempts::wake_at(Time at, client::Slot s, std::size_t layer) {
  const RequestRef wake{s, world_.slab_[s].generation, static_cast<std::uint32_t>(layer)};
  schedule(at, kWake, wake.a(), wake.b());
}

void World::Attempts::timer_at(Time at, std::uint16_t workload, std::size_t layer, std::uint32_t token) {
  const LayerTimerRef timer{workload, static_cast<std::uint32_t>(layer), token};
  schedule(std::max(at, world_.sim_.now()), kLayerTimer, timer.a(), timer.b());
}

void World::Attempts::track_deadline(std::uint16_t w, client::Slot s, const Request& r) {
  Workload& wl = *world_.workloads_[w];
  wl.deadlines.push_back(PendingDeadline{r.deadline, s, r.generation});
  if (!wl.deadline_scheduled) {
    schedule(r.deadline, kDeadline, w);
    wl.deadline_scheduled = true;
  }
}

void World::Attempts::expire_deadlines(std::uint16_t w) {
  Workload& wl = *world_.workloads_[w];
  wl.deadline_scheduled = false;
  // Entries of requests that already ended are dropped as soon as they reach the front, due or
  // not, so the next event waits for a request still pending: most requests end long before
  // their deadline and never cost an event.
  while (!wl.deadlines.empty()) {
    const PendingDeadline d = wl.deadlines.front();
    const bool pending = world_.slab_[d.slot].current(d.generation);
    if (pending && d.at > world_.sim_.now()) break;
    wl.deadlines.pop_front();
    if (pending) world_.end_early(d.slot, RequestOutcome::kTimedOut);
  }
  if (!wl.deadlines.empty()) {
    schedule(wl.deadlines.front().at, kDeadline, w);
    wl.deadline_scheduled = true;
  }
}

}  // namespace ratesim::models
