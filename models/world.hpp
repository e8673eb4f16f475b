// The wired world: workloads generating requests, each workload's client stack, and the
// provider, driven by the simulation's events.
//
// A request's life (docs/model.md): arrival → client layers → attempt sent → network delay →
// provider decision → (service time) → network delay → result travels outward through the
// layers → done, retried or given up. The world reports everything to observers and prints
// nothing.
//
// Three event handlers share the world's state, each in a file of its own:
//   Arrivals (world_arrivals.cpp)  open traffic, bursts and backlogs, closed-loop users, traces;
//   Attempts (world_attempts.cpp)  the attempt pipeline: provider, response, wake-ups, client
//                                  timeouts, deadlines, layer timers;
//   BatchApi (world_batch.cpp)     Message Batches submissions and their results.
// This file holds what they share: the client stack (in and out of layers) and a request's end.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "models/client/layer.hpp"
#include "models/observer.hpp"
#include "models/provider/provider.hpp"
#include "models/request_slab.hpp"
#include "models/traffic/arrival_process.hpp"
#include "models/workload_config.hpp"
#include "sim/kernel/simulation.hpp"

namespace ratesim::models {

struct WorldConfig {
  std::uint64_t seed = 1;
  Duration duration = std::chrono::hours(1);  ///< the horizon; pending work ends unfinished
  provider::ProviderConfig provider;
  std::vector<WorkloadConfig> workloads;
};

class World final : public client::LayerHost {
 public:
  /// REQUIRES: a validated config (every workload's model exists in the provider).
  World(const WorldConfig& config, kernel::Simulation& sim);
  ~World() override;

  /// REQUIRES: `o` outlives the world. Observers are called in the order they were added.
  void add_observer(WorldObserver* o) { observers_.push_back(o); }
  /// Keeps every response's rate-limit headers (for an attempts log), even when no client
  /// layer reads them. Call before run().
  void keep_headers() { keep_headers_ = true; }

  /// Runs the simulation to the horizon, then ends every pending request as unfinished. When
  /// the simulation's stop flag ends it early, returns at once (the results are incomplete).
  void run();

  const WorldConfig& config() const { return config_; }
  provider::Provider& provider() { return provider_; }
  const RequestSlab& requests() const { return slab_; }

  // LayerHost
  Time now() const override { return sim_.now(); }
  Request& request(client::Slot s) override { return slab_[s]; }
  void pass_inward(client::Slot s, std::size_t from) override;
  void wake_at(Time at, client::Slot s, std::size_t layer) override;
  void drop(client::Slot s) override { end_early(s, RequestOutcome::kDropped); }
  void give_up(client::Slot s) override { end_early(s, RequestOutcome::kGaveUp); }
  void timer_at(Time at, std::uint16_t workload, std::size_t layer, std::uint32_t token) override;
  const RateLimitHeaders* headers(client::Slot s) const override {
    return keep_headers_ && s < headers_.size() ? &headers_[s] : nullptr;
  }

 private:
  struct Workload;
  class Arrivals;
  class Attempts;
  class BatchApi;

  void enter_layer(client::Slot s, std::size_t layer);
  /// Ends a request before its attempts decided it (deadline, drop): every layer it is inside
  /// forgets it, an attempt still out is left to finish at the provider.
  void end_early(client::Slot s, RequestOutcome outcome);
  void finish(client::Slot s, RequestOutcome outcome);
  /// Calls `method` of every observer, in the order they were added, with `args`.
  template <typename Method, typename... Args>
  void notify(Method method, const Args&... args) {
    for (WorldObserver* o : observers_) (o->*method)(args...);
  }

  WorldConfig config_;
  kernel::Simulation& sim_;
  provider::Provider provider_;
  std::vector<std::unique_ptr<Workload>> workloads_;
  std::vector<WorldObserver*> observers_;
  RequestSlab slab_;
  std::uint64_t next_id_ = 0;
  bool keep_headers_ = false;              ///< some layer reads rate-limit headers
  std::vector<RateLimitHeaders> headers_;  ///< by slot, when kept
  std::unique_ptr<Arrivals> arrivals_;
  std::unique_ptr<Attempts> attempts_;
  std::unique_ptr<BatchApi> batch_;
};

}  // namespace ratesim::models
