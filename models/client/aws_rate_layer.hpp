// The AWS SDK's adaptive retry mode client rate limiter (botocore retries/adaptive.py,
// throttling.py, bucket.py): see AwsRateConfig. Attempts wait in arrival order for a token.
#pragma once

#include "models/client/layer.hpp"
#include "models/client/wait_queue.hpp"
#include "models/client/layer_config.hpp"
#include "sim/kernel/ring_queue.hpp"

namespace ratesim::models::client {

class AwsRateLayer final : public ClientLayer {
 public:
  AwsRateLayer(const AwsRateConfig& config, LayerHost& host, std::uint16_t workload, std::size_t index);

  void enter(Slot s, Request& r) override;
  Verdict on_result(Slot s, Request& r) override;
  void abandon(Slot, Request&, bool) override {}
  void on_timer(std::uint32_t token) override;

  bool enabled() const { return enabled_; }
  double fill_rate() const { return fill_rate_; }
  double measured_rate() const { return measured_; }
  double tokens() const { return tokens_; }

 private:
  /// Counts a response; returns the smoothed response rate.
  double record_response();
  void refill();
  void set_rate(double rate);
  void release();

  AwsRateConfig config_;
  LayerHost& host_;
  std::uint16_t workload_;
  std::size_t index_;
  bool enabled_ = false;
  double fill_rate_ = 1;  ///< botocore's bucket starts at one token a second, holding none
  double capacity_ = 1;
  double tokens_ = 0;
  Time last_refill_{};
  double w_max_ = 0;
  double k_ = 0;
  Time last_throttle_{};
  // Response-rate measurement in 0.5 s buckets.
  double measured_ = 0;
  double bucket_ = 0;  ///< start of the current bucket, seconds
  std::uint64_t bucket_count_ = 0;
  WaitQueue waiting_;
  bool timer_set_ = false;
};

}  // namespace ratesim::models::client
