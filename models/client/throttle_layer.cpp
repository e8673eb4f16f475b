#include "models/client/throttle_layer.hpp"

#include <algorithm>

namespace ratesim::models::client {

WindowCount::WindowCount(Duration window)
    : buckets_(static_cast<std::size_t>(std::max<std::int64_t>(1, window / std::chrono::seconds(1))), 0) {}

void WindowCount::advance(Time now) {
  const std::int64_t second = (now - kernel::kTimeZero) / std::chrono::seconds(1);
  const auto n = static_cast<std::int64_t>(buckets_.size());
  // Empty the buckets of the seconds that have passed (all of them after a long gap).
  for (std::int64_t s = current_ + 1; s <= second && s <= current_ + n; ++s) {
    std::uint64_t& b = buckets_[static_cast<std::size_t>(s % n)];
    total_ -= b;
    b = 0;
  }
  current_ = std::max(current_, second);
}

void WindowCount::add(Time now, std::uint64_t n) {
  advance(now);
  buckets_[static_cast<std::size_t>(current_ % static_cast<std::int64_t>(buckets_.size()))] += n;
  total_ += n;
}

std::uint64_t WindowCount::total(Time now) {
  advance(now);
  return total_;
}

ThrottleLayer::ThrottleLayer(const ThrottleConfig& config, LayerHost& host, std::size_t index,
                             kernel::RandomStream rng)
    : config_(config),
      host_(host),
      index_(index),
      rng_(rng),
      requests_(config.window),
      accepts_(config.window) {}

double ThrottleLayer::probability(Time now) {
  const auto requests = static_cast<double>(requests_.total(now));
  const auto accepts = static_cast<double>(accepts_.total(now));
  return std::max(0.0, (requests - config_.k * accepts) / (requests + 1));
}

void ThrottleLayer::enter(Slot s, Request& r) {
  const double p = probability(host_.now());
  requests_.add(host_.now());
  if (p > 0 && rng_.uniform01() < p) {
    r.parked = true;  // it never went inward
    host_.drop(s);
    return;
  }
  host_.pass_inward(s, index_);
}

Verdict ThrottleLayer::on_result(Slot, Request& r) {
  if (r.last.outcome == AttemptOutcome::kOk) accepts_.add(host_.now());
  return Verdict::kPassOut;
}

}  // namespace ratesim::models::client
