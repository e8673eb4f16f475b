#include "models/world.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <numeric>

#include "models/client/layer_factory.hpp"
#include "models/traffic/key_chooser.hpp"
#include "sim/kernel/ring_queue.hpp"

namespace ratesim::models {
using namespace std::chrono_literals;

namespace {

enum Kind : std::uint16_t {
  kArrival,       // a = workload: the next arrival of an open workload
  kBatch,         // a = workload, b = count: a burst or a backlog
  kAtProvider,    // a = slot, b = key: an attempt reaches the provider
  kProviderDone,  // a = output tokens to settle, b = otpm ticket << 16 | group: work is done
  kResponse,      // a = slot, b = key: an attempt's response reaches the client
  kWake,          // a = slot, b = generation << 32 | layer: a parked request moves on
  kDeadline,      // a = workload: the earliest pending deadline of the workload is due
  kUserNext,      // a = workload: a user of a closed-loop workload sends its next request
  kTraceNext,     // a = workload: the next record of a trace is due
  kLayerTimer,    // a = workload, b = layer << 32 | token: a client layer's timer
  kAttemptTimeout,  // a = slot, b = key: the client stops waiting for an attempt
  kBatchFlush,    // a = workload: submit what a batch workload has collected
  kBatchDone,     // a = batch id: a submitted batch has ended (all done, or 24 h)
};

std::uint64_t key(std::uint32_t generation, std::uint32_t low) {
  return (static_cast<std::uint64_t>(generation) << 32) | low;
}
std::uint32_t key_generation(std::uint64_t k) { return static_cast<std::uint32_t>(k >> 32); }
std::uint32_t key_low(std::uint64_t k) { return static_cast<std::uint32_t>(k); }

std::uint32_t draw_tokens(const kernel::Distribution& d, kernel::RandomStream& rng) {
  // Draws are at least 1 (the distributions' floor), so truncating x + 0.5 rounds half away
  // from zero exactly as std::round does, without the library call.
  const double x = std::clamp(d.sample(rng), 1.0, 4.0e9);
  return static_cast<std::uint32_t>(x + 0.5);
}

}  // namespace

/// A request's deadline. A workload's deadlines fall due in arrival order (one fixed deadline,
/// arrivals in time order), so a FIFO per workload and one pending event replace an event per
/// request, keeping the event heap small.
struct PendingDeadline {
  Time at;
  client::Slot slot;
  std::uint32_t generation;
};

struct World::Workload {
  const WorkloadConfig* config;
  std::uint16_t model;
  kernel::RandomStream arrivals_rng;
  kernel::RandomStream sizes_rng;
  kernel::RandomStream think_rng;
  std::optional<traffic::ArrivalProcess> process;
  std::vector<std::unique_ptr<client::ClientLayer>> layers;
  std::optional<traffic::KeyChooser> keys;  ///< which cached prefix a request uses
  std::size_t trace_next = 0;               ///< the next record of a trace workload
  std::vector<std::uint16_t> trace_models;  ///< provider model index per trace model name
  kernel::RingQueue<PendingDeadline> deadlines;
  bool deadline_scheduled = false;  ///< a kDeadline event is pending for deadlines.front()
  std::vector<client::Slot> batch_pending;  ///< batch workloads: collected, not yet submitted
  bool flush_scheduled = false;
};

/// A batch's results are available when all its requests are done or at this age; requests not
/// done by then expire (Anthropic Message Batches docs).
constexpr Duration kBatchExpiry = std::chrono::hours(24);

World::World(const WorldConfig& config, kernel::Simulation& sim)
    : config_(config),
      sim_(sim),
      handler_(sim.add_handler(this)),
      provider_(config_.provider, config_.seed) {
  for (const WorkloadConfig& wc : config_.workloads) {
    const std::string prefix = "workload." + wc.name;
    const int model = provider_.model_index(wc.model);
    assert(model >= 0);
    auto w = std::make_unique<Workload>(Workload{
        .config = &wc,
        .model = static_cast<std::uint16_t>(model),
        .arrivals_rng = kernel::RandomStream(config_.seed, prefix + ".arrivals"),
        .sizes_rng = kernel::RandomStream(config_.seed, prefix + ".sizes"),
        .think_rng = kernel::RandomStream(config_.seed, prefix + ".think"),
        .process = std::nullopt,
        .layers = {},
        .keys = std::nullopt,
        .trace_next = 0,
        .trace_models = {},
        .deadlines = {},
        .batch_pending = {},
    });
    if (wc.kind == WorkloadConfig::Kind::kOpen) w->process.emplace(wc.traffic, config_.duration);
    for (const std::string& m : wc.trace.models)
      w->trace_models.push_back(static_cast<std::uint16_t>(provider_.model_index(m)));
    if (wc.cache) {
      const auto index = static_cast<std::uint16_t>(workloads_.size());
      provider_.add_cache(index, wc.cache->ttl, wc.cache->keys);
      w->keys.emplace(*wc.cache);
    }
    for (std::size_t i = 0; i < wc.client.size(); ++i) {
      const std::string stream =
          prefix + ".client." + std::to_string(i) + "." + client::layer_kind(wc.client[i]);
      w->layers.push_back(client::make_layer(wc.client[i], *this,
                                             static_cast<std::uint16_t>(workloads_.size()), i,
                                             config_.seed, stream));
    }
    for (const auto& layer : w->layers) keep_headers_ = keep_headers_ || layer->reads_headers();
    workloads_.push_back(std::move(w));
  }
}

World::~World() = default;

void World::run() {
  start();
  const Time horizon = kernel::kTimeZero + config_.duration;
  sim_.run_until(horizon);
  if (sim_.stopped()) return;
  for (WorldObserver* o : observers_) o->on_horizon(horizon);
  slab_.for_each_live([&](client::Slot, Request& r) {
    if (r.finished) return;
    for (WorldObserver* o : observers_) o->on_request_done(horizon, r, RequestOutcome::kUnfinished);
  });
}

void World::start() {
  const Time horizon = kernel::kTimeZero + config_.duration;
  for (std::uint16_t w = 0; w < workloads_.size(); ++w) {
    const WorkloadConfig& wc = *workloads_[w]->config;
    if (wc.kind == WorkloadConfig::Kind::kBacklog) {
      const Time at = kernel::kTimeZero + wc.backlog.at;
      if (at <= horizon) sim_.schedule(at, handler_, kBatch, w, wc.backlog.count);
      continue;
    }
    if (wc.kind == WorkloadConfig::Kind::kTrace) {
      if (!wc.trace.records.empty() && kernel::kTimeZero + wc.trace.records[0].at <= horizon)
        sim_.schedule(kernel::kTimeZero + wc.trace.records[0].at, handler_, kTraceNext, w);
      continue;
    }
    if (wc.kind == WorkloadConfig::Kind::kUsers) {
      for (std::uint64_t u = 0; u < wc.users.count; ++u) schedule_user(w);
      continue;
    }
    schedule_next_arrival(w);
    const Duration cycle = wc.traffic.cycle();
    for (std::uint32_t rep = 0; rep < wc.traffic.repeat; ++rep) {
      for (const traffic::Burst& b : wc.traffic.bursts) {
        const Time at = kernel::kTimeZero + cycle * rep + b.at;
        if (at <= horizon) sim_.schedule(at, handler_, kBatch, w, b.count);
      }
    }
  }
}

void World::schedule_next_arrival(std::uint16_t w) {
  Workload& wl = *workloads_[w];
  const std::optional<Time> t = wl.process->next(wl.arrivals_rng);
  if (!t || *t > kernel::kTimeZero + config_.duration) return;
  sim_.schedule(std::max(*t, sim_.now()), handler_, kArrival, w);
}

void World::schedule_user(std::uint16_t w) {
  Workload& wl = *workloads_[w];
  // At least a millisecond of thought: a request that ends at once (a refusal with no network
  // delay) must not let a user loop at one instant for ever.
  // Drawn from a distribution with no upper bound: clamped to a year, like service times, so
  // that now + think cannot overflow (a year is past any horizon).
  const Duration think = std::clamp<Duration>(kernel::from_seconds(wl.config->users.think.sample(wl.think_rng)),
                                              1ms, std::chrono::hours(24 * 365));
  const Time at = sim_.now() + think;
  if (at <= kernel::kTimeZero + config_.duration) sim_.schedule(at, handler_, kUserNext, w);
}

void World::handle(const kernel::Event& e) {
  switch (e.kind) {
    case kArrival:
      arrive(static_cast<std::uint16_t>(e.a), 1);
      schedule_next_arrival(static_cast<std::uint16_t>(e.a));
      return;
    case kBatch:
      arrive(static_cast<std::uint16_t>(e.a), e.b);
      return;
    case kAtProvider:
      at_provider(e.a);
      return;
    case kProviderDone: {
      const auto group = static_cast<std::uint32_t>(e.b & 0xffff);
      const std::int64_t settled = provider_.complete(sim_.now(), group, e.b >> 16, e.a);
      if (settled != 0)
        for (WorldObserver* o : observers_)
          o->on_budget_settled(sim_.now(), group, index(LimitCause::kOtpm), settled);
      return;
    }
    case kResponse: {
      Request& r = slab_[e.a];
      assert(r.live && r.attempts_out > 0);
      --r.attempts_out;
      if (r.finished) {
        if (r.attempts_out == 0) slab_.release(e.a);
        return;
      }
      // An older attempt's late answer, or one the client stopped waiting for (timeout).
      if (key_low(e.b) != r.attempts || !r.awaiting) return;
      response(e.a);
      return;
    }
    case kAttemptTimeout: {
      Request& r = slab_[e.a];
      if (!r.live || r.finished || r.generation != key_generation(e.b) ||
          key_low(e.b) != r.attempts || !r.awaiting)
        return;
      // The provider may still serve it; the client treats it as failed now.
      r.last = AttemptResult{.outcome = AttemptOutcome::kTimeout};
      AttemptDecision d;
      d.result = r.last;
      d.group = provider_.group_of(r.model);
      for (WorldObserver* o : observers_) o->on_attempt_decided(sim_.now(), r, d);
      response(e.a);
      return;
    }
    case kWake: {
      const Request& r = slab_[e.a];
      if (!r.live || r.finished || r.generation != key_generation(e.b)) return;
      pass_inward(e.a, key_low(e.b));
      return;
    }
    case kDeadline:
      expire_deadlines(static_cast<std::uint16_t>(e.a));
      return;
    case kLayerTimer:
      workloads_[e.a]->layers[key_generation(e.b)]->on_timer(key_low(e.b));
      return;
    case kUserNext:
      arrive(static_cast<std::uint16_t>(e.a), 1);
      return;
    case kTraceNext:
      replay(static_cast<std::uint16_t>(e.a));
      return;
    case kBatchFlush:
      workloads_[e.a]->flush_scheduled = false;
      flush_batches(static_cast<std::uint16_t>(e.a));
      return;
    case kBatchDone:
      batch_done(e.a);
      return;
    default:
      assert(false && "unknown event kind");
  }
}

void World::replay(std::uint16_t w) {
  Workload& wl = *workloads_[w];
  const traffic::Trace& trace = wl.config->trace;
  // Every record due now (several may share a time), then the next one's event.
  while (wl.trace_next < trace.records.size() &&
         kernel::kTimeZero + trace.records[wl.trace_next].at <= sim_.now()) {
    const traffic::TraceRecord& rec = trace.records[wl.trace_next++];
    const double scale = trace.rate_scale;
    auto copies = static_cast<std::uint64_t>(scale);
    if (scale != std::floor(scale) && wl.arrivals_rng.uniform01() < scale - std::floor(scale)) ++copies;
    arrive(w, copies, &rec);
  }
  if (wl.trace_next < trace.records.size()) {
    const Time next = kernel::kTimeZero + trace.records[wl.trace_next].at;
    if (next <= kernel::kTimeZero + config_.duration) sim_.schedule(next, handler_, kTraceNext, w);
  }
}

void World::arrive(std::uint16_t w, std::uint64_t count, const traffic::TraceRecord* rec) {
  Workload& wl = *workloads_[w];
  const WorkloadConfig& wc = *wl.config;
  if (slab_.live() + count > kMaxLiveRequests)
    throw TooManyPending("workload '" + wc.name + "' would have " + std::to_string(slab_.live() + count) +
                         " requests pending at once at " + std::to_string(kernel::to_seconds(sim_.now())) +
                         " s: ratesim holds at most " + std::to_string(kMaxLiveRequests) +
                         " (about 190 bytes each); lower its rate or count, or let its client shed "
                         "load (a queue's max, a deadline)");
  for (std::uint64_t i = 0; i < count; ++i) {
    const client::Slot s = slab_.allocate();
    Request& r = slab_[s];
    r.id = next_id_++;
    r.workload = w;
    r.model = wl.model;
    r.arrival = sim_.now();
    if (rec) {
      r.prompt = rec->input_tokens;
      r.max_tokens = rec->max_tokens ? rec->max_tokens : draw_tokens(wc.max_tokens, wl.sizes_rng);
      r.output_tokens = std::min(rec->output_tokens, r.max_tokens);
      if (!wl.trace_models.empty()) r.model = wl.trace_models[rec->model];
    } else {
      r.prompt = draw_tokens(wc.input_tokens, wl.sizes_rng);
      r.max_tokens = draw_tokens(wc.max_tokens, wl.sizes_rng);
      r.output_tokens = std::min(draw_tokens(wc.output_tokens, wl.sizes_rng), r.max_tokens);
    }
    r.input_tokens = r.prompt;
    if (wc.cache) {
      r.cache_prefix = rec && rec->cached_tokens ? rec->cached_tokens : wc.cache->prefix_tokens;
      r.cache_key = wl.keys->pick(wl.sizes_rng);
    }
    if (wc.deadline) {
      r.deadline = r.arrival + *wc.deadline;
      wl.deadlines.push_back(PendingDeadline{r.deadline, s, r.generation});
      if (!wl.deadline_scheduled) {
        sim_.schedule(r.deadline, handler_, kDeadline, w);
        wl.deadline_scheduled = true;
      }
    }
    for (WorldObserver* o : observers_) o->on_arrival(sim_.now(), r);
    if (wc.batch) batch_arrival(w, s);
    else enter_layer(s, 0);
  }
}

void World::batch_arrival(std::uint16_t w, client::Slot s) {
  Workload& wl = *workloads_[w];
  wl.batch_pending.push_back(s);
  if (wl.batch_pending.size() >= wl.config->batch->size) {
    flush_batches(w);
  } else if (!wl.flush_scheduled) {
    sim_.schedule(sim_.now() + wl.config->batch->every, handler_, kBatchFlush, w);
    wl.flush_scheduled = true;
  }
}

void World::flush_batches(std::uint16_t w) {
  Workload& wl = *workloads_[w];
  while (!wl.batch_pending.empty() && submit_batch(w)) {
    if (wl.batch_pending.size() < wl.config->batch->size) break;  // the rest waits for `every`
  }
  // What is left (a partial batch, or a full processing queue) is tried again after `every`.
  if (!wl.batch_pending.empty() && !wl.flush_scheduled) {
    sim_.schedule(sim_.now() + wl.config->batch->every, handler_, kBatchFlush, w);
    wl.flush_scheduled = true;
  }
}

bool World::submit_batch(std::uint16_t w) {
  Workload& wl = *workloads_[w];
  const std::uint64_t room = provider_.batch_queue_limit() - std::min(batch_queue_, provider_.batch_queue_limit());
  const std::uint64_t n = std::min<std::uint64_t>({wl.config->batch->size, wl.batch_pending.size(), room});
  if (n == 0) return false;  // the processing queue is full: wait
  SubmittedBatch b{.requests = {}, .processing = {}, .submitted = sim_.now()};
  Duration longest{0};
  for (std::uint64_t i = 0; i < n; ++i) {
    const client::Slot s = wl.batch_pending[i];
    Request& r = slab_[s];
    ++r.attempts;
    r.first_send = sim_.now();
    for (WorldObserver* o : observers_) o->on_attempt_sent(sim_.now(), r);
    b.requests.emplace_back(s, r.generation);
    b.processing.push_back(provider_.batch_processing_time());
    longest = std::max(longest, b.processing.back());
  }
  wl.batch_pending.erase(wl.batch_pending.begin(), wl.batch_pending.begin() + static_cast<std::ptrdiff_t>(n));
  batch_queue_ += n;
  const auto id = static_cast<std::uint32_t>(batches_.size());
  batches_.push_back(std::move(b));
  sim_.schedule(sim_.now() + std::min(longest, kBatchExpiry), handler_, kBatchDone, id);
  return true;
}

void World::batch_done(std::uint32_t id) {
  SubmittedBatch b = std::move(batches_[id]);
  batches_[id] = SubmittedBatch{};
  batch_queue_ -= b.requests.size();
  for (std::size_t i = 0; i < b.requests.size(); ++i) {
    const auto [s, generation] = b.requests[i];
    Request& r = slab_[s];
    assert(r.live && r.generation == generation && !r.finished);
    const bool done = b.processing[i] <= kBatchExpiry;
    if (done) {
      AttemptDecision d;
      d.group = provider_.group_of(r.model);
      d.billed = true;
      d.charge = provider_.batch_charge(sim_.now(), r);
      r.last = d.result;
      for (WorldObserver* o : observers_) o->on_attempt_decided(sim_.now(), r, d);
    }
    for (WorldObserver* o : observers_) o->on_attempt_returned(sim_.now(), r);
    finish(s, done ? RequestOutcome::kOk : RequestOutcome::kExpired);
  }
}

void World::enter_layer(client::Slot s, std::size_t layer) {
  Workload& wl = *workloads_[slab_[s].workload];
  if (layer == wl.layers.size()) {
    send_attempt(s);
    return;
  }
  Request& r = slab_[s];
  r.depth = static_cast<std::uint8_t>(layer + 1);
  wl.layers[layer]->enter(s, r);
}

void World::pass_inward(client::Slot s, std::size_t from) {
  slab_[s].parked = false;
  enter_layer(s, from + 1);
}

void World::wake_at(Time at, client::Slot s, std::size_t layer) {
  sim_.schedule(at, handler_, kWake, s, key(slab_[s].generation, static_cast<std::uint32_t>(layer)));
}

void World::timer_at(Time at, std::uint16_t workload, std::size_t layer, std::uint32_t token) {
  sim_.schedule(std::max(at, sim_.now()), handler_, kLayerTimer, workload,
                key(static_cast<std::uint32_t>(layer), token));
}

void World::send_attempt(client::Slot s) {
  Request& r = slab_[s];
  ++r.attempts;
  ++r.attempts_out;
  if (r.first_send == kernel::kNever) r.first_send = sim_.now();
  r.last_send = sim_.now();
  r.awaiting = true;
  for (WorldObserver* o : observers_) o->on_attempt_sent(sim_.now(), r);
  if (const auto& t = workloads_[r.workload]->config->attempt_timeout)
    sim_.schedule(sim_.now() + *t, handler_, kAttemptTimeout, s, key(r.generation, r.attempts));
  sim_.schedule(sim_.now() + provider_.network_delay(), handler_, kAtProvider, s,
                key(r.generation, r.attempts));
}

void World::at_provider(client::Slot s) {
  Request& r = slab_[s];
  RateLimitHeaders* headers = nullptr;
  if (keep_headers_) {
    if (s >= headers_.size()) headers_.resize(s + 1);
    headers = &headers_[s];
  }
  provider::Decision d = provider_.decide(sim_.now(), r, headers);
  r.last = d.attempt.result;
  d.attempt.headers = headers;
  for (WorldObserver* o : observers_) o->on_attempt_decided(sim_.now(), r, d.attempt);
  Time back = sim_.now() + provider_.network_delay();
  if (d.attempt.billed) {
    const Time done = sim_.now() + d.service;
    if (d.settle_output > 0)
      sim_.schedule(done, handler_, kProviderDone, static_cast<std::uint32_t>(d.settle_output),
                    d.otpm_ticket << 16 | d.attempt.group);
    back += d.service;
  }
  sim_.schedule(back, handler_, kResponse, s, key(r.generation, r.attempts));
}

void World::response(client::Slot s) {
  slab_[s].awaiting = false;
  for (WorldObserver* o : observers_) o->on_attempt_returned(sim_.now(), slab_[s]);
  pass_outward(s);
}

void World::pass_outward(client::Slot s) {
  Request& r = slab_[s];
  auto& layers = workloads_[r.workload]->layers;
  for (std::size_t i = r.depth; i-- > 0;) {
    if (layers[i]->on_result(s, r) == client::Verdict::kKeep) {
      r.depth = static_cast<std::uint8_t>(i + 1);
      return;
    }
    r.depth = static_cast<std::uint8_t>(i);
  }
  finish(s, r.last.outcome == AttemptOutcome::kOk ? RequestOutcome::kOk : RequestOutcome::kGaveUp);
}

void World::expire_deadlines(std::uint16_t w) {
  Workload& wl = *workloads_[w];
  wl.deadline_scheduled = false;
  // Entries of requests that already ended are dropped as soon as they reach the front, due or
  // not, so the next event waits for a request still pending: most requests end long before
  // their deadline and never cost an event.
  while (!wl.deadlines.empty()) {
    const PendingDeadline d = wl.deadlines.front();
    const Request& r = slab_[d.slot];
    const bool pending = r.live && !r.finished && r.generation == d.generation;
    if (pending && d.at > sim_.now()) break;
    wl.deadlines.pop_front();
    if (pending) end_early(d.slot, RequestOutcome::kTimedOut);
  }
  if (!wl.deadlines.empty()) {
    sim_.schedule(wl.deadlines.front().at, handler_, kDeadline, w);
    wl.deadline_scheduled = true;
  }
}

void World::end_early(client::Slot s, RequestOutcome outcome) {
  Request& r = slab_[s];
  auto& layers = workloads_[r.workload]->layers;
  const bool parked = r.parked;
  for (std::size_t i = r.depth; i-- > 0;) {
    layers[i]->abandon(s, r, parked && i + 1 == r.depth);
  }
  r.depth = 0;
  if (r.awaiting) {
    r.awaiting = false;
    for (WorldObserver* o : observers_) o->on_attempt_returned(sim_.now(), r);
  }
  finish(s, outcome);
}

void World::finish(client::Slot s, RequestOutcome outcome) {
  Request& r = slab_[s];
  r.finished = true;
  for (WorldObserver* o : observers_) o->on_request_done(sim_.now(), r, outcome);
  if (workloads_[r.workload]->config->kind == WorkloadConfig::Kind::kUsers) schedule_user(r.workload);
  if (r.attempts_out == 0) slab_.release(s);
}

}  // namespace ratesim::models
