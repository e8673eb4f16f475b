// Requests come into the world: open traffic, bursts and backlogs, closed-loop users, traces.
#include <algorithm>
#include <cassert>
#include <cmath>

#include "models/world_parts.hpp"

namespace ratesim::models {
namespace {

using namespace std::chrono_literals;

enum Kind : std::uint16_t {
  kArrival,    // a = workload: the next arrival of an open workload
  kGroup,      // a = workload, b = count: a burst or a backlog
  kUserNext,   // a = workload: a user of a closed-loop workload sends its next request
  kTraceNext,  // a = workload: the next record of a trace is due
};

std::uint32_t draw_tokens(const kernel::Distribution& d, kernel::RandomStream& rng) {
  // Draws are at least 1 (the distributions' floor), so truncating x + 0.5 rounds half away
  // from zero exactly as std::round does, without the library call.
  const double x = std::clamp(d.sample(rng), 1.0, 4.0e9);
  return static_cast<std::uint32_t>(x + 0.5);
}

}  // namespace

World::Arrivals::Arrivals(World& world) : world_(world), handler_(world.sim_.add_handler(this)) {
  std::size_t lanes = 0;
  for (const auto& wl : world_.workloads_) {
    const bool open = wl->config->kind == WorkloadConfig::Kind::kOpen && !wl->config->traffic.phases.empty();
    std::size_t lane = kNoLane;
    if (open && lanes < kArrivalLanes) {
      lane = world_.sim_.add_lane();
      ++lanes;
    }
    arrival_lane_.push_back(lane);
  }
}

void World::Arrivals::start() {
  kernel::Simulation& sim = world_.sim_;
  const Time horizon = kernel::kTimeZero + world_.config_.duration;
  for (std::uint16_t w = 0; w < world_.workloads_.size(); ++w) {
    const WorkloadConfig& wc = *world_.workloads_[w]->config;
    if (wc.kind == WorkloadConfig::Kind::kBacklog) {
      const Time at = kernel::kTimeZero + wc.backlog.at;
      if (at <= horizon) sim.schedule(at, handler_, kGroup, w, wc.backlog.count);
      continue;
    }
    if (wc.kind == WorkloadConfig::Kind::kTrace) {
      if (!wc.trace.records.empty() && kernel::kTimeZero + wc.trace.records[0].at <= horizon)
        sim.schedule(kernel::kTimeZero + wc.trace.records[0].at, handler_, kTraceNext, w);
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
        if (at <= horizon) sim.schedule(at, handler_, kGroup, w, b.count);
      }
    }
  }
}

void World::Arrivals::handle(const kernel::Event& e) {
  const auto w = static_cast<std::uint16_t>(e.a);
  switch (e.kind) {
    case kArrival:
      arrive(w, 1);
      schedule_next_arrival(w);
      return;
    case kGroup:
      arrive(w, e.b);
      return;
    case kUserNext:
      arrive(w, 1);
      return;
    case kTraceNext:
      replay(w);
      return;
    default:
      assert(false && "unknown arrival event");
  }
}

void World::Arrivals::schedule_next_arrival(std::uint16_t w) {
  Workload& wl = *world_.workloads_[w];
  const std::optional<Time> t = wl.process->next(wl.arrivals_rng);
  if (!t || *t > kernel::kTimeZero + world_.config_.duration) return;
  const Time at = std::max(*t, world_.sim_.now());
  if (arrival_lane_[w] == kNoLane) world_.sim_.schedule(at, handler_, kArrival, w);
  else world_.sim_.schedule_in_lane(arrival_lane_[w], at, handler_, kArrival, w);
}

void World::Arrivals::schedule_user(std::uint16_t w) {
  Workload& wl = *world_.workloads_[w];
  // At least a millisecond of thought: a request that ends at once (a refusal with no network
  // delay) must not let a user loop at one instant for ever.
  // Drawn from a distribution with no upper bound: clamped to a year, like service times, so
  // that now + think cannot overflow (a year is past any horizon).
  const Duration think = std::clamp<Duration>(kernel::from_seconds(wl.config->users.think.sample(wl.think_rng)),
                                              1ms, std::chrono::hours(24 * 365));
  const Time at = world_.sim_.now() + think;
  if (at <= kernel::kTimeZero + world_.config_.duration) world_.sim_.schedule(at, handler_, kUserNext, w);
}

void World::Arrivals::replay(std::uint16_t w) {
  Workload& wl = *world_.workloads_[w];
  const traffic::Trace& trace = wl.config->trace;
  const Time now = world_.sim_.now();
  // Every record due now (several may share a time), then the next one's event.
  while (wl.trace_next < trace.records.size() && kernel::kTimeZero + trace.records[wl.trace_next].at <= now) {
    const traffic::TraceRecord& rec = trace.records[wl.trace_next++];
    const double scale = trace.rate_scale;
    auto copies = static_cast<std::uint64_t>(scale);
    if (scale != std::floor(scale) && wl.arrivals_rng.uniform01() < scale - std::floor(scale)) ++copies;
    arrive(w, copies, &rec);
  }
  if (wl.trace_next < trace.records.size()) {
    const Time next = kernel::kTimeZero + trace.records[wl.trace_next].at;
    if (next <= kernel::kTimeZero + world_.config_.duration) world_.sim_.schedule(next, handler_, kTraceNext, w);
  }
}

void World::Arrivals::arrive(std::uint16_t w, std::uint64_t count, const traffic::TraceRecord* rec) {
  Workload& wl = *world_.workloads_[w];
  const WorkloadConfig& wc = *wl.config;
  RequestSlab& slab = world_.slab_;
  const Time now = world_.sim_.now();
  if (slab.live() + count > kMaxLiveRequests)
    throw TooManyPending("workload '" + wc.name + "' would have " + std::to_string(slab.live() + count) +
                         " requests pending at once at " + std::to_string(kernel::to_seconds(now)) +
                         " s: ratesim holds at most " + std::to_string(kMaxLiveRequests) +
                         " (about 190 bytes each); lower its rate or count, or let its client shed "
                         "load (a queue's max, a deadline)");
  for (std::uint64_t i = 0; i < count; ++i) {
    const client::Slot s = slab.allocate();
    Request& r = slab[s];
    r.id = world_.next_id_++;
    r.workload = w;
    r.model = wl.model;
    r.arrival = now;
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
      world_.attempts_->track_deadline(w, s, r);
    }
    world_.notify(&WorldObserver::on_arrival, now, r);
    if (wc.batch) world_.batch_->arrival(w, s);
    else world_.enter_layer(s, 0);
  }
}

}  // namespace ratesim::models
