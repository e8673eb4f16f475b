// The properties the acceleration profiles are chosen to have (docs/provider.md):
// P1 usage at or below a profile's floor of every limit, in every window, is never refused;
// P2 a steady load within the limits, with initial_load equal to it, draws no acceleration 429s;
// P3 (moderate) a linear ramp from 0 to 90% of the binding limit over 2 h has under 1% of its
//    attempts refused by acceleration, while a backlog at full parallelism from a standstill is
//    partly refused in its first 10 minutes;
// P4 on the same scenario and seed, refusals grow: off ≤ lenient ≤ moderate ≤ strict.
#include <catch2/catch.hpp>

#include <deque>
#include <string>

#include "models/provider/acceleration_model.hpp"
#include "sim/kernel/random_stream.hpp"
#include "test_support.hpp"

using namespace ratesim;
using namespace ratesim::models::provider;
using namespace std::chrono_literals;
using kernel::kTimeZero;
using models::LimitCause;

namespace {

const std::vector<std::string> kProfiles{"lenient", "moderate", "strict"};

/// A tier-2-like Haiku group with one model; `accel` is the acceleration setting.
std::string provider(const std::string& accel) {
  return "provider:\n"
         "  otpm_accounting: actual\n"
         "  acceleration: " + accel + "\n"
         "  models:\n"
         "    m:\n"
         "      limits: {rpm: 1000, itpm: 450000, otpm: 90000}\n"
         "      price: {input: 1, output: 5}\n"
         "      latency: {ttft: {lognormal: {median: 600ms, sigma: 0.4}}, output_tps: 150}\n";
}

/// 3,000-token prompts: 150 a minute fill the 450,000 ITPM, the binding budget.
const std::string kSizes =
    " input_tokens: 3000, output_tokens: {uniform: [100, 300]}, max_tokens: 1024";

std::uint64_t acceleration_429s(const metrics::Summary& s) {
  return s.total.r429_of(LimitCause::kAcceleration);
}

}  // namespace

TEST_CASE("P1: usage within a profile's floor in every window is never refused", "[provider][acceleration]") {
  // Random arrival times and sizes, kept only while every window of one minute (exactly, not in
  // buckets) holds at most floor × the limits; the model must admit every one of them.
  const Limits limits{.rpm = 1000, .itpm = 450'000, .otpm = 90'000};
  for (const std::string& name : kProfiles) {
    const Acceleration a = *acceleration_profile(name);
    TrailingBaseline m(a, limits);
    kernel::RandomStream rng(7, "p1." + name);
    std::deque<std::pair<kernel::Time, Costs>> window;
    Costs in_window{};
    kernel::Time t = kTimeZero;
    int sent = 0, refused = 0;
    for (int i = 0; i < 20'000; ++i) {
      t += kernel::from_seconds(rng.uniform(0, 0.5));
      const Costs c{1, static_cast<std::int64_t>(rng.uniform(100, 20'000)), static_cast<std::int64_t>(rng.uniform(0, 2'000)), 0};
      while (!window.empty() && window.front().first <= t - a.short_window) {
        for (std::size_t b = 0; b < 3; ++b) in_window[b] -= window.front().second[b];
        window.pop_front();
      }
      const auto l = limits.in_order();
      bool fits = true;
      for (std::size_t b = 0; b < 3; ++b)
        fits = fits && static_cast<double>(in_window[b] + c[b]) <= a.floor * static_cast<double>(*l[b]);
      if (!fits) continue;
      kernel::Duration ra{0};
      ++sent;
      if (!m.allows(t, c, ra)) {
        ++refused;
        continue;
      }
      m.record(t, c);
      window.emplace_back(t, c);
      for (std::size_t b = 0; b < 3; ++b) in_window[b] += c[b];
    }
    INFO(name);
    CHECK(sent > 1'000);
    CHECK(refused == 0);
  }
}

TEST_CASE("P2: a steady load with initial_load equal to it draws no acceleration 429s",
          "[provider][acceleration]") {
  // Evenly spaced requests at 30%, 60% and 90% of ITPM (3,000 tokens each, 150 a minute fill it).
  for (const std::string& name : kProfiles) {
    for (const double load : {0.3, 0.6, 0.9}) {
      const std::string rate = std::to_string(150 * load) + "/min";
      const auto s = testing::run_yaml(
          "name: p2\nduration: 2h\n" +
          provider("{profile: " + name + ", initial_load: " + std::to_string(load) + "}") +
          "workloads:\n  - {name: w, model: m, arrivals: uniform, traffic: [{for: 2h, rate: " + rate +
          "}]," + kSizes + "}\n");
      INFO(name << " at " << load);
      CHECK(s.total.arrived > 1'000);
      CHECK(acceleration_429s(s) == 0);
    }
  }
  // Poisson arrivals fluctuate; the moderate profile's factor of two absorbs them.
  for (const double load : {0.3, 0.6, 0.9}) {
    const auto s = testing::run_yaml(
        "name: p2\nduration: 2h\n" +
        provider("{profile: moderate, initial_load: " + std::to_string(load) + "}") +
        "workloads:\n  - {name: w, model: m, traffic: [{for: 2h, rate: " +
        std::to_string(150 * load) + "/min}]," + kSizes + "}\n");
    INFO("poisson at " << load);
    CHECK(acceleration_429s(s) == 0);
  }
}

namespace {

/// A linear ramp from nothing to 90% of ITPM (135 requests a minute) over two hours, through the
/// Anthropic Python SDK's retries.
std::string ramp(const std::string& accel) {
  return "name: ramp\nduration: 2h\n" + provider(accel) +
         "workloads:\n  - {name: w, model: m, traffic: [{for: 2h, ramp_to: 135/min}]," + kSizes +
         ", client: [{retry: {preset: anthropic-python}}]}\n";
}

/// 3,000 requests ready at once, 32 at a time, from a standstill: about 2 s each, so 16 a second
/// are asked for, far above the 2.5 a second that ITPM allows.
std::string backlog(const std::string& accel) {
  return "name: backlog\nduration: 40m\n" + provider(accel) +
         "workloads:\n  - {name: w, model: m, backlog: {count: 3000, at: 0s}," + kSizes +
         ", client: [{semaphore: {limit: 32}}, {retry: {backoff: exponential, base: 1s, cap: 60s,"
         " jitter: full, max_retries: 8}}]}\n";
}

/// A chat that steps from 20% to 70% of ITPM at minute 10, evenly spaced, with retries.
std::string step(const std::string& accel) {
  return "name: step\nduration: 40m\n" + provider(accel) +
         "workloads:\n  - {name: w, model: m, arrivals: uniform, traffic: [{for: 10m, rate: 30/min},"
         " {for: 30m, rate: 105/min}]," + kSizes + ", client: [{retry: {preset: anthropic-python}}]}\n";
}

}  // namespace

TEST_CASE("P3: moderate lets a two-hour ramp to 90% through and refuses a cold backlog",
          "[provider][acceleration]") {
  const auto r = testing::run_yaml(ramp("moderate"));
  REQUIRE(r.total.attempts > 5'000);
  CHECK(static_cast<double>(acceleration_429s(r)) < 0.01 * static_cast<double>(r.total.attempts));

  // Without acceleration limits the backlog reaches 90% of ITPM within its first minute...
  const auto off = testing::run_yaml(backlog("off"));
  REQUIRE(off.groups.size() == 1);
  CHECK(off.groups[0].budgets[1].name == "itpm");
  CHECK(off.groups[0].budgets[1].first_429_s < 60);
  // ...and with them it is refused in its first ten minutes.
  const auto b = testing::run_yaml(backlog("moderate"));
  CHECK(acceleration_429s(b) > 0);
  CHECK(b.groups[0].first_acceleration_s >= 0);
  CHECK(b.groups[0].first_acceleration_s < 600);
}

TEST_CASE("P4: on the same scenario and seed, refusals grow from off to strict",
          "[provider][acceleration]") {
  for (const auto& make : {ramp, backlog, step}) {
    std::uint64_t previous = 0;
    for (const std::string& name : models::provider::acceleration_profile_names()) {
      const std::uint64_t n = acceleration_429s(testing::run_yaml(make(name)));
      INFO(make("x").substr(6, 8) << " " << name << ": " << n);
      if (name == "off") CHECK(n == 0);
      CHECK(n >= previous);
      previous = n;
    }
    CHECK(previous > 0);  // strict refuses something on each of these
  }
}
