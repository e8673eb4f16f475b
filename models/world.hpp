// The wired world: workloads generating requests, each workload's client stack, and the
// provider, driven by the simulation's events.
//
// A request's life (docs/model.md): arrival → client layers → attempt sent → network delay →
// provider decision → (service time) → network delay → result travels outward through the
// layers → done, retried or given up. The world reports everything to observers and prints
// nothing.
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

class World final : public kernel::EventHandler, public client::LayerHost {
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

  // EventHandler
  void handle(const kernel::Event& e) override;

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

  void start();
  /// `count` requests of workload `w` arrive now; sizes from `rec` when replaying a trace.
  void arrive(std::uint16_t w, std::uint64_t count, const traffic::TraceRecord* rec = nullptr);
  void replay(std::uint16_t w);
  void schedule_next_arrival(std::uint16_t w);
  void enter_layer(client::Slot s, std::size_t layer);
  void send_attempt(client::Slot s);
  void at_provider(client::Slot s);
  void response(client::Slot s);
  void pass_outward(client::Slot s);
  void expire_deadlines(std::uint16_t w);
  void schedule_user(std::uint16_t w);
  void batch_arrival(std::uint16_t w, client::Slot s);
  void flush_batches(std::uint16_t w);
  bool submit_batch(std::uint16_t w);
  void batch_done(std::uint32_t id);
  /// Ends a request before its attempts decided it (deadline, drop): every layer it is inside
  /// forgets it, an attempt still out is left to finish at the provider.
  void end_early(client::Slot s, RequestOutcome outcome);
  void finish(client::Slot s, RequestOutcome outcome);

  WorldConfig config_;
  kernel::Simulation& sim_;
  std::uint16_t handler_;
  provider::Provider provider_;
  std::vector<std::unique_ptr<Workload>> workloads_;
  std::vector<WorldObserver*> observers_;
  RequestSlab slab_;
  std::uint64_t next_id_ = 0;
  bool keep_headers_ = false;              ///< some layer reads rate-limit headers
  std::vector<RateLimitHeaders> headers_;  ///< by slot, when kept

  /// A batch submitted to the Message Batches API.
  struct SubmittedBatch {
    std::vector<std::pair<client::Slot, std::uint32_t>> requests;  ///< slot, generation
    std::vector<Duration> processing;  ///< each request's processing time
    Time submitted{};
  };
  std::vector<SubmittedBatch> batches_;  ///< by id; emptied when done
  std::uint64_t batch_queue_ = 0;        ///< requests the provider is processing, all batches
};

}  // namespace ratesim::models
