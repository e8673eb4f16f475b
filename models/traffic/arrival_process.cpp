#include "models/traffic/arrival_process.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace ratesim::models::traffic {

Duration OpenTraffic::cycle() const {
  Duration total{0};
  for (const Phase& p : phases) total += p.length;
  return total;
}

double integrated_rate(const Phase& p, double r0, double t) {
  const double length = kernel::to_seconds(p.length);
  switch (p.kind) {
    case Phase::Kind::kRate:
      return p.rate * t;
    case Phase::Kind::kRampTo:
      return r0 * t + 0.5 * (p.rate - r0) / length * t * t;
    case Phase::Kind::kCount:
      return static_cast<double>(p.count) * t / length;
    case Phase::Kind::kPause:
      return 0;
    case Phase::Kind::kSine: {
      const double w = 2 * std::numbers::pi / kernel::to_seconds(p.period);
      return p.rate * t + p.amplitude / w * (1 - std::cos(w * t));
    }
  }
  return 0;
}

namespace {

/// The τ in [lo, hi] where the phase's integrated rate reaches `target` (it is non-decreasing):
/// Newton steps, falling back to bisection when a step leaves the bracket.
double solve_sine(const Phase& p, double target, double lo, double hi) {
  const double w = 2 * std::numbers::pi / kernel::to_seconds(p.period);
  double t = lo;
  for (int i = 0; i < 100 && hi - lo > 1e-9; ++i) {
    const double f = integrated_rate(p, 0, t) - target;
    if (f < 0) lo = t;
    else hi = t;
    const double rate = p.rate + p.amplitude * std::sin(w * t);
    const double next = rate > 0 ? t - f / rate : lo - 1;
    t = next > lo && next < hi ? next : 0.5 * (lo + hi);
  }
  return t;
}

}  // namespace

double expected_arrivals(const OpenTraffic& traffic, kernel::Duration horizon) {
  const double end = kernel::to_seconds(horizon);
  const double cycle = kernel::to_seconds(traffic.cycle());
  double total = 0;
  for (std::uint32_t rep = 0; rep < traffic.repeat; ++rep) {
    const double start = rep * cycle;
    if (start > end || (rep > 0 && cycle <= 0)) break;
    for (const Burst& b : traffic.bursts)
      if (start + kernel::to_seconds(b.at) <= end) total += static_cast<double>(b.count);
    double t = start, previous_rate = 0;
    for (const Phase& p : traffic.phases) {
      const double length = kernel::to_seconds(p.length);
      const double covered = std::clamp(end - t, 0.0, length);  // the part before the horizon
      switch (p.kind) {
        case Phase::Kind::kRate:
          total += p.rate * covered;
          previous_rate = p.rate;
          break;
        case Phase::Kind::kRampTo: {
          const double at_cut = previous_rate + (p.rate - previous_rate) * covered / length;
          total += 0.5 * (previous_rate + at_cut) * covered;
          previous_rate = p.rate;
          break;
        }
        case Phase::Kind::kCount:
          total += static_cast<double>(p.count) * covered / length;
          previous_rate = static_cast<double>(p.count) / length;
          break;
        case Phase::Kind::kPause:
          previous_rate = 0;
          break;
        case Phase::Kind::kSine:
          total += integrated_rate(p, 0, covered);
          previous_rate = p.rate + p.amplitude * std::sin(2 * std::numbers::pi * length /
                                                          kernel::to_seconds(p.period));
          break;
      }
      t += length;
    }
  }
  return total;
}

ArrivalProcess::ArrivalProcess(const OpenTraffic& traffic, Duration horizon)
    : traffic_(traffic), horizon_(horizon == Duration::max() ? kernel::kNever : kernel::kTimeZero + horizon) {
  if (traffic_.phases.empty() || traffic_.repeat == 0) rep_ = traffic_.repeat;  // nothing to play
}

double ArrivalProcess::start_rate(std::size_t i) const {
  if (i == 0) return 0;
  const Phase& prev = traffic_.phases[i - 1];
  switch (prev.kind) {
    case Phase::Kind::kRate:
    case Phase::Kind::kRampTo:
      return prev.rate;
    case Phase::Kind::kCount:
      return prev.length.count() > 0 ? static_cast<double>(prev.count) / kernel::to_seconds(prev.length)
                                     : 0;
    case Phase::Kind::kPause:
      return 0;
    case Phase::Kind::kSine:
      return prev.rate + prev.amplitude * std::sin(2 * std::numbers::pi * kernel::to_seconds(prev.length) /
                                                   kernel::to_seconds(prev.period));
  }
  return 0;
}

bool ArrivalProcess::advance_phase() {
  phase_start_ += traffic_.phases[phase_].length;
  tau_ = 0;
  entered_ = false;
  if (++phase_ == traffic_.phases.size()) {
    phase_ = 0;
    if (++rep_ >= traffic_.repeat) return false;
  }
  return true;
}

double ArrivalProcess::draw_need(kernel::RandomStream& rng) const {
  return traffic_.arrivals == Arrivals::kPoisson ? rng.exponential(1.0) : 1.0;
}

std::optional<Time> ArrivalProcess::next(kernel::RandomStream& rng) {
  // Phases that start after the horizon bring nothing: stop there, however many repetitions are
  // left (a million repetitions of a quiet phase would otherwise spin here).
  while (rep_ < traffic_.repeat && phase_start_ <= horizon_) {
    const Phase& p = traffic_.phases[phase_];
    const double length = kernel::to_seconds(p.length);
    switch (p.kind) {
      case Phase::Kind::kPause:
        break;
      case Phase::Kind::kCount: {
        if (!entered_) {
          left_ = p.count;
          entered_ = true;
        }
        if (left_ == 0) break;
        if (traffic_.arrivals == Arrivals::kUniform) {
          // N evenly spaced arrivals ending at the phase's end: T/N, 2T/N, ..., T.
          const std::uint64_t k = p.count - left_ + 1;
          tau_ = length * static_cast<double>(k) / static_cast<double>(p.count);
        } else {
          // The smallest of `left_` uniform points on (tau_, length].
          const double u = rng.uniform01();
          tau_ += (length - tau_) * (1.0 - std::pow(1.0 - u, 1.0 / static_cast<double>(left_)));
        }
        --left_;
        return phase_start_ + kernel::from_seconds(tau_);
      }
      case Phase::Kind::kSine: {
        if (need_ < 0) need_ = draw_need(rng);
        const double target = integrated_rate(p, 0, tau_) + need_;
        const double end = integrated_rate(p, 0, length);
        if (target > end) {
          need_ = target - end;
          break;
        }
        tau_ = solve_sine(p, target, tau_, length);
        need_ = -1;
        return phase_start_ + kernel::from_seconds(tau_);
      }
      case Phase::Kind::kRate:
      case Phase::Kind::kRampTo: {
        const double r0 = p.kind == Phase::Kind::kRate ? p.rate : start_rate(phase_);
        const double slope = p.kind == Phase::Kind::kRate ? 0.0 : (p.rate - r0) / length;
        // Λ(τ) = r0 τ + slope τ² / 2 within the phase.
        const auto lambda = [&](double t) { return r0 * t + 0.5 * slope * t * t; };
        if (need_ < 0) need_ = draw_need(rng);
        const double target = lambda(tau_) + need_;
        if (target > lambda(length)) {
          need_ = target - lambda(length);  // carry what is left into the next phase
          break;
        }
        // Solve r0 τ + slope τ²/2 = target in the numerically stable form.
        const double disc = std::max(0.0, r0 * r0 + 2.0 * slope * target);
        const double denom = r0 + std::sqrt(disc);
        tau_ = denom > 0 ? 2.0 * target / denom : length;
        need_ = -1;
        return phase_start_ + kernel::from_seconds(tau_);
      }
    }
    if (!advance_phase()) break;
  }
  return std::nullopt;
}

}  // namespace ratesim::models::traffic
