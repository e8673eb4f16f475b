// The Message Batches API: collection, submission while the provider's queue has room, results.
//
// The monthly spend limit holds for batches too (Anthropic, "Batch processing": "batches may go
// slightly over your Workspace's configured spend limit"): a batch created once the limit is
// reached is refused whole, and a request of a running batch that is processed once it is
// reached is refused; the request whose charge crosses the limit is still served and charged in
// full, which is the slight overshoot. Each refused request ends gave_up after one attempt, a
// 429 `spend`, at no cost.
#include <algorithm>
#include <cassert>

#include "models/world_parts.hpp"

namespace ratesim::models {
namespace {

enum Kind : std::uint16_t {
  kFlush,  // a = workload: submit what a batch workload has collected
  kDone,   // a = batch id: a submitted batch has ended (all done, or 24 h)
};

/// A batch's results are available when all its requests are done or at this age; requests not
/// done by then expire (Anthropic Message Batches docs).
constexpr Duration kBatchExpiry = std::chrono::hours(24);

}  // namespace

World::BatchApi::BatchApi(World& world) : world_(world), handler_(world.sim_.add_handler(this)) {}

void World::BatchApi::handle(const kernel::Event& e) {
  switch (e.kind) {
    case kFlush:
      world_.workloads_[e.a]->flush_scheduled = false;
      flush(static_cast<std::uint16_t>(e.a));
      return;
    case kDone:
      done(e.a);
      return;
    default:
      assert(false && "unknown batch event");
  }
}

void World::BatchApi::arrival(std::uint16_t w, client::Slot s) {
  Workload& wl = *world_.workloads_[w];
  wl.batch_pending.push_back(s);
  if (wl.batch_pending.size() >= wl.config->batch->size) {
    flush(w);
  } else if (!wl.flush_scheduled) {
    world_.sim_.schedule(world_.sim_.now() + wl.config->batch->every, handler_, kFlush, w);
    wl.flush_scheduled = true;
  }
}

void World::BatchApi::flush(std::uint16_t w) {
  Workload& wl = *world_.workloads_[w];
  while (!wl.batch_pending.empty() && submit(w)) {
    if (wl.batch_pending.size() < wl.config->batch->size) break;  // the rest waits for `every`
  }
  // What is left (a partial batch, or a full processing queue) is tried again after `every`.
  if (!wl.batch_pending.empty() && !wl.flush_scheduled) {
    world_.sim_.schedule(world_.sim_.now() + wl.config->batch->every, handler_, kFlush, w);
    wl.flush_scheduled = true;
  }
}

bool World::BatchApi::submit(std::uint16_t w) {
  Workload& wl = *world_.workloads_[w];
  provider::Provider& provider = world_.provider_;
  const Time now = world_.sim_.now();
  if (provider.spend_exhausted()) {
    // The create call itself gets the 429, whatever room the queue has: nothing is queued and
    // nothing is charged.
    const auto n = static_cast<std::ptrdiff_t>(std::min<std::uint64_t>(wl.config->batch->size, wl.batch_pending.size()));
    const std::vector<client::Slot> refused(wl.batch_pending.begin(), wl.batch_pending.begin() + n);
    wl.batch_pending.erase(wl.batch_pending.begin(), wl.batch_pending.begin() + n);
    for (const client::Slot s : refused) {
      Request& r = world_.slab_[s];
      ++r.attempts;
      r.first_send = now;
      world_.notify(&WorldObserver::on_attempt_sent, now, r);
      refuse(now, s);
    }
    return true;
  }
  const std::uint64_t room = provider.batch_queue_limit() - std::min(queue_, provider.batch_queue_limit());
  const std::uint64_t n = std::min<std::uint64_t>({wl.config->batch->size, wl.batch_pending.size(), room});
  if (n == 0) return false;  // the processing queue is full: wait
  SubmittedBatch b{.requests = {}, .processing = {}, .submitted = now};
  Duration longest{0};
  for (std::uint64_t i = 0; i < n; ++i) {
    const client::Slot s = wl.batch_pending[i];
    Request& r = world_.slab_[s];
    ++r.attempts;
    r.first_send = now;
    world_.notify(&WorldObserver::on_attempt_sent, now, r);
    b.requests.emplace_back(s, r.generation);
    b.processing.push_back(provider.batch_processing_time());
    longest = std::max(longest, b.processing.back());
  }
  wl.batch_pending.erase(wl.batch_pending.begin(), wl.batch_pending.begin() + static_cast<std::ptrdiff_t>(n));
  queue_ += n;
  const auto id = static_cast<std::uint32_t>(batches_.size());
  batches_.push_back(std::move(b));
  world_.sim_.schedule(now + std::min(longest, kBatchExpiry), handler_, kDone, id);
  return true;
}

void World::BatchApi::done(std::uint32_t id) {
  SubmittedBatch b = std::move(batches_[id]);
  batches_[id] = SubmittedBatch{};
  queue_ -= b.requests.size();
  const Time now = world_.sim_.now();
  for (std::size_t i = 0; i < b.requests.size(); ++i) {
    const auto [s, generation] = b.requests[i];
    Request& r = world_.slab_[s];
    assert(r.current(generation));
    const bool ok = b.processing[i] <= kBatchExpiry;
    // Charged at the batch's end in submission order, so the spend limit is met in that order.
    if (ok && world_.provider_.spend_exhausted()) {
      refuse(now, s);
      continue;
    }
    if (ok) {
      AttemptDecision d;
      d.group = world_.provider_.group_of(r.model);
      d.billed = true;
      d.charge = world_.provider_.batch_charge(now, r);
      r.last = d.result;
      world_.notify(&WorldObserver::on_attempt_outcome, now, r, d);
    }
    world_.notify(&WorldObserver::on_attempt_returned, now, r);
    world_.finish(s, ok ? RequestOutcome::kOk : RequestOutcome::kExpired);
  }
}

void World::BatchApi::refuse(Time now, client::Slot s) {
  Request& r = world_.slab_[s];
  AttemptDecision d;
  d.group = world_.provider_.group_of(r.model);
  d.result.outcome = AttemptOutcome::k429;
  d.result.cause = LimitCause::kSpend;
  d.result.should_retry = world_.provider_.config().should_retry.spend;
  r.last = d.result;
  world_.notify(&WorldObserver::on_attempt_outcome, now, r, d);
  world_.notify(&WorldObserver::on_attempt_returned, now, r);
  world_.finish(s, RequestOutcome::kGaveUp);
}

}  // namespace ratesim::models
