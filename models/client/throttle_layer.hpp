// Client-side adaptive throttling (Google SRE book, "Handling Overload"): a request entering
// the layer is refused locally with probability p = max(0, (requests − K·accepts) /
// (requests + 1)), counted over the last `window` (requests: all that entered, refused ones
// included; accepts: results that came back ok). Refused requests end as `dropped`.
#pragma once

#include <vector>

#include "models/client/layer.hpp"
#include "models/client/layer_config.hpp"
#include "sim/kernel/random_stream.hpp"

namespace ratesim::models::client {

/// Counts over a sliding window, in one-second buckets.
class WindowCount {
 public:
  explicit WindowCount(Duration window);
  void add(Time now, std::uint64_t n = 1);
  std::uint64_t total(Time now);

 private:
  void advance(Time now);
  std::vector<std::uint64_t> buckets_;
  std::int64_t current_ = 0;  ///< the second the newest bucket counts
  std::uint64_t total_ = 0;
};

class ThrottleLayer final : public ClientLayer {
 public:
  ThrottleLayer(const ThrottleConfig& config, LayerHost& host, std::size_t index,
                kernel::RandomStream rng);

  void enter(Slot s, Request& r) override;
  Verdict on_result(Slot s, Request& r) override;
  void abandon(Slot, Request&, bool) override {}

  /// The refusal probability now (tests).
  double probability(Time now);

 private:
  ThrottleConfig config_;
  LayerHost& host_;
  std::size_t index_;
  kernel::RandomStream rng_;
  WindowCount requests_;
  WindowCount accepts_;
};

}  // namespace ratesim::models::client
