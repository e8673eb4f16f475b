// An adaptive concurrency limit (Netflix concurrency-limits): a semaphore whose limit is
// re-estimated from every result passing out through it — its round-trip time and whether it
// was a drop (429, 529 or timeout).
//
//   aimd:      drop → limit × backoff; else, when at least half the limit is in use, limit + 1.
//   cubic:     drop → W_max = limit, limit × β, K = (W_max (1 − β) / C)^(1/3); else
//              limit = C (t − t_drop − K)^3 + W_max (the CUBIC window, time in seconds).
//   vegas:     queue = ⌈limit (1 − rtt_noload / rtt)⌉; with α = 3·l, β = 6·l, l = max(1, ⌊log10
//              limit⌋): queue ≤ l → +β; < α → +l; > β → −l; a drop → −l. The no-load RTT is the
//              least seen, re-probed every probe_multiplier × limit samples (jittered ×0.5–1).
//   gradient2: gradient = max(0.5, min(1, long_rtt / rtt)); limit' = limit·gradient + queue_size,
//              smoothed: limit·(1 − smoothing) + limit'·smoothing. long_rtt is an exponential
//              average over long_window samples.
// All stay within [min, max]; aimd, vegas and gradient2 do not grow while less than half the
// limit is in use.
#pragma once

#include "models/client/semaphore_layer.hpp"
#include "sim/kernel/random_stream.hpp"

namespace ratesim::models::client {

class AdaptiveLayer final : public SemaphoreLayer {
 public:
  AdaptiveLayer(const AdaptiveConfig& config, LayerHost& host, std::size_t index,
                kernel::RandomStream rng);

  Verdict on_result(Slot s, Request& r) override;

  /// The current estimate, before rounding down to whole slots.
  double estimate() const { return limit_; }

 private:
  void update(double rtt_s, bool drop, std::uint32_t inflight);

  AdaptiveConfig config_;
  kernel::RandomStream rng_;
  double limit_;
  // cubic
  double w_max_ = 0;
  double k_ = 0;
  Time last_drop_{};
  bool dropped_once_ = false;
  // vegas
  double rtt_noload_ = 0;
  std::uint64_t probe_count_ = 0;
  double probe_jitter_ = 1;
  // gradient2
  double long_rtt_ = 0;
  std::uint32_t samples_ = 0;
};

}  // namespace ratesim::models::client
