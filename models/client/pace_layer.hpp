// Client-side pacing (the OpenAI cookbook's parallel processor): token buckets on requests and
// tokens, each continuously refilled and holding `burst` of its limit × `headroom`. A request
// waits (in arrival order) until every bucket has room for its estimated cost, then takes it;
// nothing is refunded. Costs: 1 request; the prompt (itpm); max_tokens (otpm); prompt +
// max_tokens (tpm).
#pragma once

#include <array>
#include <memory>

#include "models/client/layer.hpp"
#include "models/client/wait_queue.hpp"
#include "models/client/layer_config.hpp"
#include "models/provider/token_bucket.hpp"
#include "sim/kernel/ring_queue.hpp"

namespace ratesim::models::client {

class PaceLayer final : public ClientLayer {
 public:
  PaceLayer(const PaceConfig& config, LayerHost& host, std::uint16_t workload, std::size_t index);

  void enter(Slot s, Request& r) override;
  Verdict on_result(Slot, Request&) override { return Verdict::kPassOut; }
  void abandon(Slot, Request&, bool) override {}
  void on_timer(std::uint32_t token) override;

 private:
  using Costs = std::array<std::int64_t, 4>;
  /// The request's costs, scaled up by 1 / (the ramp's share of the limits now).
  Costs costs(const Request& r) const;
  /// How long until `c` fits every bucket (0: now).
  Duration wait(const Costs& c);
  /// Lets waiting requests go while they fit; sets a timer for the first that does not.
  void release();

  LayerHost& host_;
  std::uint16_t workload_;
  std::size_t index_;
  std::array<std::unique_ptr<provider::TokenBucket>, 4> buckets_;  ///< rpm, itpm, otpm, tpm
  WaitQueue waiting_;
  WaitQueue retries_;  ///< retries_first: served before waiting_
  bool retries_first_;
  double ramp_from_;
  Duration ramp_over_;
  bool started_ = false;
  Time start_{};
  bool timer_set_ = false;
};

}  // namespace ratesim::models::client
