// The world's private parts: per-workload state and its three event handlers. Included only by
// world.cpp and the handlers' own files.
#pragma once

#include <optional>
#include <vector>

#include "models/event_payload.hpp"
#include "models/traffic/key_chooser.hpp"
#include "models/world.hpp"
#include "sim/kernel/ring_queue.hpp"

namespace ratesim::models {

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
  bool deadline_scheduled = false;  ///< a deadline event is pending for deadlines.front()
  std::vector<client::Slot> batch_pending;  ///< batch workloads: collected, not yet submitted
  bool flush_scheduled = false;
};

/// Requests come into the world: open traffic (one event per arrival), bursts and backlogs (one
/// event per group), closed-loop users (one per user's next request), traces (one per record time).
class World::Arrivals final : public kernel::EventHandler {
 public:
  explicit Arrivals(World& world);
  /// Schedules every workload's first arrivals.
  void start();
  /// A closed-loop user's request ended: the user thinks, then sends the next.
  void user_done(std::uint16_t workload) { schedule_user(workload); }
  void handle(const kernel::Event& e) override;

 private:
  /// `count` requests of workload `w` arrive now; sizes from `rec` when replaying a trace.
  void arrive(std::uint16_t w, std::uint64_t count, const traffic::TraceRecord* rec = nullptr);
  void replay(std::uint16_t w);
  void schedule_next_arrival(std::uint16_t w);
  void schedule_user(std::uint16_t w);

  /// Open traffic's arrivals come due one at a time in time order, so the first few workloads'
  /// go through lanes instead of the heap (each lane costs every event a comparison, so not all).
  static constexpr std::size_t kArrivalLanes = 4;

  World& world_;
  std::uint16_t handler_;
  std::vector<std::size_t> arrival_lane_;  ///< by workload; kNoLane: the heap
  static constexpr std::size_t kNoLane = SIZE_MAX;
};

/// The attempt pipeline: an attempt leaves the client, reaches the provider after the network
/// delay, is decided, is served, and its response comes back; meanwhile a client timeout may
/// give up on it, a deadline may end its request, and parked requests and layer timers wake.
class World::Attempts final : public kernel::EventHandler {
 public:
  explicit Attempts(World& world);
  /// An attempt of the request in `s` leaves the client now.
  void send(client::Slot s);
  void wake_at(Time at, client::Slot s, std::size_t layer);
  void timer_at(Time at, std::uint16_t workload, std::size_t layer, std::uint32_t token);
  /// The request in `s` of workload `w` has a deadline: it ends then unless done.
  void track_deadline(std::uint16_t w, client::Slot s, const Request& r);
  void handle(const kernel::Event& e) override;

 private:
  void at_provider(client::Slot s);
  void settle(const SettlementRef& ref);
  void response_arrives(const RequestRef& ref);
  void client_timeout(const RequestRef& ref);
  /// The client has the latest attempt's result (or gave up on it): it travels outward.
  void respond(client::Slot s);
  void pass_outward(client::Slot s);
  void expire_deadlines(std::uint16_t w);
  void served(const RequestRef& ref);
  void schedule(Time at, std::uint16_t kind, std::uint32_t a, std::uint64_t b = 0) {
    world_.sim_.schedule(at, handler_, kind, a, b);
  }
  /// Schedules `kind` one network delay from now: such events come due in the order they are
  /// scheduled, so they go through a lane instead of the heap.
  void schedule_across_network(std::uint16_t kind, const RequestRef& ref) {
    world_.sim_.schedule_in_lane(network_lane_, world_.sim_.now() + world_.provider_.network_delay(), handler_,
                                 kind, ref.a(), ref.b());
  }

  /// An attempt the provider is serving, whose end settles output tokens and sends the response
  /// back: one event instead of two. One per request slot; a request with a second attempt in
  /// service at once (after a client timeout) has that one's two events scheduled apart.
  struct InService {
    SettlementRef settlement;
    std::uint64_t response_place = 0;  ///< the response's place among equal-time events
    bool busy = false;
  };

  World& world_;
  std::uint16_t handler_;
  std::size_t network_lane_;
  std::vector<InService> in_service_;  ///< by request slot
};

/// The Message Batches API: a batch workload's requests are collected, submitted `size` at a
/// time or `every` after the oldest, processed while the provider's queue has room, and end
/// when their batch ends (all done, or 24 hours).
class World::BatchApi final : public kernel::EventHandler {
 public:
  explicit BatchApi(World& world);
  /// A request of batch workload `w` arrived.
  void arrival(std::uint16_t w, client::Slot s);
  void handle(const kernel::Event& e) override;

 private:
  void flush(std::uint16_t w);
  bool submit(std::uint16_t w);
  void done(std::uint32_t id);
  /// The request in `s`, sent at `now`, is refused by the monthly spend limit: a 429 `spend`,
  /// no charge, and the request ends gave_up.
  void refuse(Time now, client::Slot s);

  /// A batch submitted to the Message Batches API.
  struct SubmittedBatch {
    std::vector<std::pair<client::Slot, std::uint32_t>> requests;  ///< slot, generation
    std::vector<Duration> processing;  ///< each request's processing time
    Time submitted{};
  };

  World& world_;
  std::uint16_t handler_;
  std::vector<SubmittedBatch> batches_;  ///< by id; emptied when done
  std::uint64_t queue_ = 0;              ///< requests the provider is processing, all batches
};

}  // namespace ratesim::models
