#include "models/world.hpp"

#include <algorithm>
#include <cassert>

#include "models/client/layer_factory.hpp"
#include "models/world_parts.hpp"

namespace ratesim::models {

World::World(const WorldConfig& config, kernel::Simulation& sim)
    : config_(config), sim_(sim), provider_(config_.provider, config_.seed) {
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
    if (!wc.workspace.empty()) {
      const auto& spaces = config_.provider.workspaces;
      const auto it = std::find_if(spaces.begin(), spaces.end(), [&](const auto& s) { return s.name == wc.workspace; });
      // A workspace that caps nothing is not in the provider's list: the organization's limits alone apply.
      if (it != spaces.end())
        provider_.set_workspace(static_cast<std::uint16_t>(workloads_.size()), static_cast<std::size_t>(it - spaces.begin()));
    }
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
  arrivals_ = std::make_unique<Arrivals>(*this);
  attempts_ = std::make_unique<Attempts>(*this);
  batch_ = std::make_unique<BatchApi>(*this);
}

World::~World() = default;

void World::run() {
  arrivals_->start();
  const Time horizon = kernel::kTimeZero + config_.duration;
  sim_.run_until(horizon);
  if (sim_.stopped()) return;
  notify(&WorldObserver::on_horizon, horizon);
  slab_.for_each_live([&](client::Slot, Request& r) {
    if (!r.finished) notify(&WorldObserver::on_request_done, horizon, r, RequestOutcome::kUnfinished);
  });
}

void World::enter_layer(client::Slot s, std::size_t layer) {
  Workload& wl = *workloads_[slab_[s].workload];
  if (layer == wl.layers.size()) {
    attempts_->send(s);
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

void World::wake_at(Time at, client::Slot s, std::size_t layer) { attempts_->wake_at(at, s, layer); }

void World::timer_at(Time at, std::uint16_t workload, std::size_t layer, std::uint32_t token) {
  attempts_->timer_at(at, workload, layer, token);
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
    notify(&WorldObserver::on_attempt_returned, sim_.now(), r);
  }
  finish(s, outcome);
}

void World::finish(client::Slot s, RequestOutcome outcome) {
  Request& r = slab_[s];
  r.finished = true;
  notify(&WorldObserver::on_request_done, sim_.now(), r, outcome);
  if (workloads_[r.workload]->config->kind == WorkloadConfig::Kind::kUsers) arrivals_->user_done(r.workload);
  if (r.attempts_out == 0) slab_.release(s);
}

}  // namespace ratesim::models
