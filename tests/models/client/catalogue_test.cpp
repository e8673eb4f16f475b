// The client layers of the catalogue, each against a hand-worked case or its reference's
// formula.
#include <catch2/catch.hpp>
#include <cmath>

#include "models/client/backoff.hpp"
#include "models/client/ramp_layer.hpp"
#include "models/client/throttle_layer.hpp"
#include "test_support.hpp"

using namespace ratesim;
using namespace ratesim::testing;
using namespace std::chrono_literals;
using models::RequestOutcome;

namespace {

// A provider that never limits, with 10 s of service per request: requests hold their slots.
std::string slow(const std::string& workload) {
  return "name: c\nduration: 2h\nprovider:\n  models:\n    m:\n      limits: {rpm: 1000000}\n"
         "      price: {input: 1, output: 1}\n      latency: {ttft: 10s, output_tps: 1000000000}\n"
         "workloads:\n" + workload;
}

/// Attempts in flight over time, sampled at each send.
struct InFlight : Recorder {
  std::vector<std::pair<double, int>> samples;
  void on_attempt_sent(models::Time now, const models::Request& r) override {
    Recorder::on_attempt_sent(now, r);
    samples.emplace_back(kernel::to_seconds(now), in_flight);
  }
};

using NullHost = ratesim::testing::FakeHost;

}  // namespace

TEST_CASE("a ramp's limit follows its shape", "[client]") {
  NullHost host;
  using Shape = models::client::RampConfig::Shape;
  const models::client::RampLayer linear({.from = 2, .to = 32, .over = 60min}, host, 0, 0);
  CHECK(linear.limit_after(0min) == 2);
  CHECK(linear.limit_after(30min) == 17);
  CHECK(linear.limit_after(60min) == 32);
  CHECK(linear.limit_after(5h) == 32);
  const models::client::RampLayer exp({.from = 2, .to = 32, .over = 60min, .shape = Shape::kExponential},
                                      host, 0, 0);
  CHECK(exp.limit_after(15min) == 4);  // 2 · 16^(1/4)
  CHECK(exp.limit_after(30min) == 8);
  const models::client::RampLayer steps({.from = 2, .to = 32, .over = 60min, .shape = Shape::kSteps,
                                         .steps = 3},
                                        host, 0, 0);
  CHECK(steps.limit_after(19min) == 2);
  CHECK(steps.limit_after(20min) == 12);
  CHECK(steps.limit_after(59min) == 22);
}

TEST_CASE("a ramp lets more requests through as its limit grows", "[client]") {
  InFlight rec;
  run_with(scenario_from(slow("  - {name: w, model: m, backlog: {count: 1000, at: 1m}, input_tokens: 1,"
                              " output_tokens: 1, max_tokens: 1,"
                              " client: [{ramp: {from: 1, to: 10, over: 9m}}]}\n")),
           rec);
  // One slot at first (from the first request, at 1 m), one more each minute.
  int early = 0, late = 0;
  for (const auto& [t, n] : rec.samples) {
    if (t < 2 * 60) early = std::max(early, n);
    if (t > 11 * 60) late = std::max(late, n);
  }
  CHECK(early == 1);
  CHECK(late == 10);
  CHECK(rec.max_in_flight == 10);
}

TEST_CASE("a full queue drops the newest or the oldest waiter", "[client]") {
  // One slot, room for two waiters; five requests at once: the first is served, two wait,
  // two are dropped.
  for (const auto& [policy, served] : {std::pair{"newest", std::vector<std::uint64_t>{0, 1, 2}},
                                       std::pair{"oldest", std::vector<std::uint64_t>{0, 3, 4}}}) {
    INFO("drop " << policy);
    Recorder rec;
    run_with(scenario_from(slow(std::string("  - {name: w, model: m, backlog: {count: 5}, input_tokens: 1,"
                                            " output_tokens: 1, max_tokens: 1,"
                                            " client: [{semaphore: {limit: 1, max_queue: 2, drop: ") +
                                policy + "}}]}\n")),
             rec);
    std::vector<std::uint64_t> sent;
    for (const auto& s : rec.sends) sent.push_back(s.id);
    CHECK(sent == served);
    int dropped = 0;
    for (const auto& d : rec.done) dropped += d.outcome == RequestOutcome::kDropped;
    CHECK(dropped == 2);
  }
}

TEST_CASE("cooldown holds new attempts until the pause after a 429 has passed", "[client]") {
  // rpm 60 with burst 1 s: one request per second passes. Requests every 0.5 s through
  // [retry, cooldown]: the first (0.5 s) takes the only token, the second (1.0 s) gets a 429
  // (the next token comes at 1.5 s), so nothing is sent again before 1.0 + 15 = 16 s.
  Recorder rec;
  run_with(scenario_from(
               "name: c\nduration: 20s\n" + provider_yaml("{rpm: 60}", "  burst: 1s\n") +
               "workloads:\n  - {name: w, model: m, arrivals: uniform, traffic: [{for: 20s, rate: 2/s}],"
               " input_tokens: 1, output_tokens: 1, max_tokens: 1, client: [{retry: {preset: none}},"
               " {cooldown: {pause: 15s}}]}\n"),
           rec);
  std::vector<double> times;
  for (const auto& s : rec.sends) times.push_back(s.t);
  REQUIRE(times.size() >= 3);
  CHECK(times[0] == 0.5);
  CHECK(times[1] == 1.0);   // refused for rpm
  CHECK(times[2] == 16.0);  // everything that arrived meanwhile waited for 1.0 + 15 s
}

TEST_CASE("each SDK preset's delays stay inside its formula for each retry", "[client]") {
  using namespace models::client;
  const models::AttemptResult no_header{.outcome = models::AttemptOutcome::k529};
  for (const char* name : {"anthropic-python", "anthropic-typescript", "openai-python",
                           "openai-python-legacy"}) {
    INFO(name);
    const auto s = scenario_from(slow(std::string("  - {name: w, model: m, backlog: {count: 1}, input_tokens: 1,"
                                                  " output_tokens: 1, max_tokens: 1,"
                                                  " client: [{retry: {preset: ") + name + "}}]}\n"));
    const auto& c = std::get<RetryConfig>(s.world.workloads[0].client[0]);
    CHECK(c.max_retries == 2);
    kernel::RandomStream rng(5, name);
    for (std::uint32_t k = 0; k < 2; ++k) {
      const double d = std::min(0.5 * std::pow(2.0, k), 8.0);  // min(0.5 · 2^k, 8)
      for (int i = 0; i < 1000; ++i) {
        const double x = kernel::to_seconds(*retry_delay(c, k, c.base, no_header, rng));
        REQUIRE(x >= 0.75 * d - 1e-6);  // jitter only shortens, by at most a quarter
        REQUIRE(x <= d + 1e-6);
      }
    }
  }
}

namespace {
/// The retry layer a preset expands to.
models::client::RetryConfig preset(const char* name) {
  const auto s = scenario_from(slow(std::string("  - {name: w, model: m, backlog: {count: 1}, input_tokens: 1,"
                                                " output_tokens: 1, max_tokens: 1,"
                                                " client: [{retry: {preset: ") + name + "}}]}\n"));
  return std::get<models::client::RetryConfig>(s.world.workloads[0].client[0]);
}
}  // namespace

TEST_CASE("SDK presets follow their retry-after rules", "[client]") {
  using namespace models::client;
  kernel::RandomStream rng(1);
  const models::AttemptResult ra30{.outcome = models::AttemptOutcome::k429, .retry_after = 30s};
  const models::AttemptResult ra90{.outcome = models::AttemptOutcome::k429, .retry_after = 90s};
  const models::AttemptResult ra200{.outcome = models::AttemptOutcome::k429, .retry_after = 200s};
  // Anthropic Python: obeyed up to 60 s, else the (shorter) backoff.
  CHECK(retry_delay(preset("anthropic-python"), 0, 500ms, ra30, rng) == 30s);
  CHECK(*retry_delay(preset("anthropic-python"), 0, 500ms, ra90, rng) <= 500ms);
  // Anthropic TypeScript: any value obeyed.
  CHECK(retry_delay(preset("anthropic-typescript"), 0, 500ms, ra200, rng) == 200s);
  // OpenAI Python: obeyed up to 120 s; longer means no retry at all.
  CHECK(retry_delay(preset("openai-python"), 0, 500ms, ra90, rng) == 90s);
  CHECK_FALSE(retry_delay(preset("openai-python"), 0, 500ms, ra200, rng).has_value());
  // Before v2.52 it behaved like Anthropic's.
  CHECK(*retry_delay(preset("openai-python-legacy"), 0, 500ms, ra90, rng) <= 500ms);
  // AWS standard: U · min(2^k, 20) s, retry-after ignored.
  const RetryConfig aws = preset("aws-standard");
  for (std::uint32_t k = 0; k < 6; ++k)
    for (int i = 0; i < 200; ++i)
      REQUIRE(kernel::to_seconds(*retry_delay(aws, k, aws.base, ra30, rng)) <=
              std::min(std::pow(2.0, k), 20.0) + 1e-6);
}

TEST_CASE("retry-after: 0 means at once to the TypeScript SDK and nothing to the Python SDK", "[client]") {
  using namespace models::client;
  kernel::RandomStream rng(3);
  const models::AttemptResult ra0{.outcome = models::AttemptOutcome::k429, .retry_after = 0s};
  CHECK(retry_delay(preset("anthropic-typescript"), 0, 500ms, ra0, rng) == 0s);
  // Python obeys only 0 < value <= 60 s: the backoff, 0.5 s × (1 − 0.25 U), is used instead.
  const double d = kernel::to_seconds(*retry_delay(preset("anthropic-python"), 0, 500ms, ra0, rng));
  CHECK(d >= 0.375);
  CHECK(d <= 0.5);
}

namespace {
/// Every request refused with the given x_should_retry setting; `client` a retry preset.
metrics::WorkloadSummary refused_with(const std::string& headers, const std::string& preset, const std::string& limits = "{itpm: 10}",
                              const std::string& overload = "") {
  return run_yaml("name: h\nduration: 1h\n" +
                  provider_yaml(limits, "  x_should_retry: " + headers + "\n" + overload) +
                  "workloads:\n  - {name: w, model: m, backlog: {count: 10}, input_tokens: 100, output_tokens: 1,"
                  " max_tokens: 1, client: [{retry: {preset: " + preset + "}}]}\n").total;
}
}  // namespace

TEST_CASE("the SDK presets obey x-should-retry before their status rules", "[client]") {
  // A 429 that says x-should-retry: false is not retried by the SDKs (1 attempt each), while a
  // client that does not read the header retries it as usual (AWS standard: 3 attempts).
  CHECK(refused_with("{rate_limit: false}", "anthropic-python").attempts == 10);
  CHECK(refused_with("{rate_limit: false}", "openai-python").attempts == 10);
  CHECK(refused_with("{rate_limit: true}", "anthropic-python").attempts == 30);
  CHECK(refused_with("{rate_limit: false}", "aws-standard").attempts == 30);
  // A 529 with x-should-retry: false is not retried either; with the header absent the SDK
  // retries it by status (every status >= 500).
  const std::string always_overloaded = "  overload: {rate: 1}\n";
  CHECK(refused_with("{overload: false}", "anthropic-python", "{rpm: 1000}", always_overloaded).attempts == 10);
  CHECK(refused_with("{overload: absent}", "anthropic-python", "{rpm: 1000}", always_overloaded).attempts == 30);
  // And x-should-retry: true makes an SDK retry what its status rules would not: a custom
  // retry layer that retries only 429s, reading the header, retries a 529 that says true.
  const auto s = run_yaml("name: h\nduration: 1h\n" +
                          provider_yaml("{rpm: 1000}", "  x_should_retry: {overload: true}\n" + always_overloaded) +
                          "workloads:\n  - {name: w, model: m, backlog: {count: 10}, input_tokens: 100, output_tokens: 1,"
                          " max_tokens: 1, client: [{retry: {on: [429], max_retries: 2, honor_should_retry: true}}]}\n");
  CHECK(s.total.attempts == 30);
}

TEST_CASE("AWS modes leave a bare 529 alone, the legacy mode tries five times", "[client]") {
  const std::string always_overloaded = "  overload: {rate: 1}\n";
  // botocore retries 500/502/503/504 and throttles, not 529: one attempt each.
  CHECK(refused_with("{}", "aws-standard", "{rpm: 1000}", always_overloaded).attempts == 10);
  CHECK(refused_with("{}", "aws-adaptive", "{rpm: 1000}", always_overloaded).attempts == 10);
  CHECK(refused_with("{}", "aws-legacy", "{rpm: 1000}", always_overloaded).attempts == 10);
  // A throttle (429) is retried: legacy mode makes 5 attempts, with no quota to stop it, each
  // delay U · 2^(attempt − 1) s.
  Recorder rec;
  run_with(scenario_from("name: h\nduration: 1h\n" + provider_yaml("{itpm: 10}") +
                         "workloads:\n  - {name: w, model: m, backlog: {count: 200}, input_tokens: 100,"
                         " output_tokens: 1, max_tokens: 1, client: [{retry: {preset: aws-legacy}}]}\n"),
           rec);
  CHECK(rec.sends.size() == 200 * 5);
  for (std::uint64_t id = 0; id < 200; ++id) {
    const auto t = rec.send_times(id);
    REQUIRE(t.size() == 5);
    for (std::size_t k = 1; k < t.size(); ++k) REQUIRE(t[k] - t[k - 1] <= std::pow(2.0, k - 1) + 1e-6);
  }
}

TEST_CASE("the AWS retry quota stops retries when it runs short", "[client]") {
  // Every request is refused (never fits). Each retry costs 5 of 500: 100 retries, then none.
  const auto s = run_yaml(
      "name: q\nduration: 1h\n" + provider_yaml("{itpm: 10}") +
      "workloads:\n  - {name: w, model: m, backlog: {count: 300}, input_tokens: 100, output_tokens: 1,"
      " max_tokens: 1, client: [{retry: {preset: aws-standard}}]}\n");
  CHECK(s.total.attempts == 300 + 100);
  CHECK(s.total.requests(RequestOutcome::kGaveUp) == 300);
}

namespace {
// Requests of 1,000 input tokens against an itpm of 100 never fit: every attempt is an
// immediate 429, so only the client layers decide what happens.
std::string refused(const std::string& traffic, const std::string& client, const std::string& duration = "2m") {
  return "name: r\nduration: " + duration + "\n" + provider_yaml("{itpm: 100}") +
         "workloads:\n  - {name: w, model: m, arrivals: uniform, traffic: " + traffic +
         ", input_tokens: 1000, output_tokens: 1, max_tokens: 1, client: " + client + "}\n";
}
}  // namespace

TEST_CASE("a window count forgets what is older than its window", "[client]") {
  models::client::WindowCount w(10s);
  w.add(kernel::kTimeZero + 1s, 3);
  w.add(kernel::kTimeZero + 5s, 2);
  CHECK(w.total(kernel::kTimeZero + 9s) == 5);
  CHECK(w.total(kernel::kTimeZero + 11s) == 2);  // the second 1 has left the window
  CHECK(w.total(kernel::kTimeZero + 1h) == 0);
}

TEST_CASE("throttling refuses locally as accepts fall behind requests", "[client]") {
  // Nothing is ever accepted: the n-th request (from 0) goes with probability 1/(n + 1), so
  // the attempts that reach the provider number about H(1000) ≈ 7.49 (variance ≈ 5.85).
  const auto s = run_yaml(refused("[{for: 100s, count: 1000}]", "[{throttle: {}}]"));
  CHECK(std::abs(static_cast<double>(s.total.attempts) - 7.485) < 5 * std::sqrt(5.85));
  CHECK(s.total.requests(RequestOutcome::kDropped) == 1000 - s.total.attempts);
  // A healthy backend that answers in 10 s: until the first answers come back there are no
  // accepts, so most early requests are refused, and the few let through bring few accepts: the
  // throttle opens up only gradually (about 100 s here). Once it has, accepts keep
  // (requests − 2·accepts) below zero and nothing more is refused in the remaining minutes.
  Recorder rec;
  run_with(scenario_from(slow("  - {name: w, model: m, traffic: [{for: 10m, rate: 2/s}], input_tokens: 1,"
                              " output_tokens: 1, max_tokens: 1, client: [{throttle: {}}]}\n")),
           rec);
  double last_refusal = 0;
  int refusals = 0;
  for (const auto& d : rec.done)
    if (d.outcome == RequestOutcome::kDropped) {
      last_refusal = std::max(last_refusal, d.t);
      ++refusals;
    }
  CHECK(refusals > 0);
  CHECK(last_refusal < 180);
}

TEST_CASE("a breaker opens after a window of failures and probes when half-open", "[client]") {
  // One request a second, every attempt refused at once. The 10th failure (10 s) opens it
  // for 30 s; at 40 s two probes go and fail, so it opens again until 71 s, and so on.
  Recorder rec;
  run_with(scenario_from(refused("[{for: 75s, rate: 1/s}]",
                                 "[{breaker: {window: 10, open_for: 30s, probes: 2}}]", "75s")),
           rec);
  std::vector<double> times;
  for (const auto& s : rec.sends) times.push_back(s.t);
  CHECK(times == std::vector<double>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 40, 41, 71, 72});
}

TEST_CASE("pacing sends a backlog at its buckets' rate", "[client]") {
  // rpm 60 with a 10 s burst: 10 at once, then one a second. Halved headroom: 5, then one
  // every 2 s.
  for (const auto& [client, expected] :
       {std::pair{"[{pace: {rpm: 60, burst: 10s}}]",
                  std::vector<double>{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5}},
        std::pair{"[{pace: {rpm: 60, burst: 10s, headroom: 0.5}}]",
                  std::vector<double>{0, 0, 0, 0, 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20}}}) {
    INFO(client);
    Recorder rec;
    run_with(scenario_from(slow(std::string("  - {name: w, model: m, backlog: {count: 15}, input_tokens: 1,"
                                            " output_tokens: 1, max_tokens: 1, client: ") + client + "}\n")),
             rec);
    std::vector<double> times;
    for (const auto& s : rec.sends) times.push_back(s.t);
    CHECK(times == expected);
  }
}

namespace {
// Two models in separate groups: "big" takes one request a second, "small" plenty.
std::string two_models(const std::string& workload) {
  return "name: r\nduration: 1m\nprovider:\n  burst: 1s\n  models:\n"
         "    big: {limits: {rpm: 60}, price: {input: 10, output: 10}, latency: {ttft: 1s, output_tps: 1000000}}\n"
         "    small: {limits: {rpm: 600000}, price: {input: 1, output: 1}, latency: {ttft: 1s, output_tps: 1000000}}\n"
         "workloads:\n" + workload;
}
/// Requests admitted by a group over the run: its net rpm use (mean use is per minute of the time
/// the work ran).
double admitted(const metrics::Summary& s, const std::string& group) {
  for (const auto& g : s.groups)
    if (g.name == group)
      return g.budgets[0].mean_util * g.budgets[0].limit * (s.measured_to_s - s.measured_from_s) / 60;
  return -1;
}
}  // namespace

TEST_CASE("route sends small prompts by rule and falls back on a 429", "[client]") {
  // Ten requests at once to "big": one passes, nine get a 429 and move to "small".
  const auto fb = run_yaml(two_models(
      "  - {name: w, model: big, backlog: {count: 10}, input_tokens: 500, output_tokens: 1, max_tokens: 1,"
      " client: [{route: {fallback: small}}]}\n"));
  CHECK(fb.total.requests(RequestOutcome::kOk) == 10);
  CHECK(admitted(fb, "big") == Approx(1));
  CHECK(admitted(fb, "small") == Approx(9));
  CHECK(fb.groups[0].budgets[0].r429 == 9);
  // Prompts of at most 100 tokens go to "small" by rule; the rest stay on "big".
  const auto rules = run_yaml(two_models(
      "  - {name: w, model: big, arrivals: uniform, traffic: [{for: 40s, rate: 1/s}],"
      " input_tokens: {empirical: {values: [50, 500]}}, output_tokens: 1, max_tokens: 1,"
      " client: [{route: {rules: [{max_input_tokens: 100, model: small}]}}]}\n"));
  CHECK(admitted(rules, "small") + admitted(rules, "big") == Approx(40));
  CHECK(rules.total.cost_input == Approx((admitted(rules, "small") * 50 * 1 + admitted(rules, "big") * 500 * 10) * 1e-6));
}

TEST_CASE("route weights split requests in proportion", "[client]") {
  const auto s = run_yaml(two_models(
      "  - {name: w, model: big, arrivals: uniform, traffic: [{for: 60s, rate: 100/s}], input_tokens: 1,"
      " output_tokens: 1, max_tokens: 1, client: [{route: {weights: {small: 3, big: 1}}}]}\n"));
  const double n = static_cast<double>(s.total.arrived);
  const double small = admitted(s, "small");
  CHECK(std::abs(small - 0.75 * n) < 5 * std::sqrt(n * 0.75 * 0.25));
}

TEST_CASE("a retry budget allows retries up to its share of recent requests", "[client]") {
  // Ten requests at once, all refused; each may retry 5 times, 100 ms apart. The budget
  // (ratio 0.5, no reserve) allows 0.5 × 10 = 5 retries in its 10 s window: 15 attempts.
  const auto s = run_yaml(refused("[{at: 0s, burst: 10}]",
                                  "[{retry: {backoff: constant, base: 100ms, jitter: none, max_retries: 5,"
                                  " honor_retry_after: false}}, {retry_budget: {ratio: 0.5, min_per_s: 0, ttl: 10s}}]",
                                  "5s"));
  CHECK(s.total.attempts == 15);
  CHECK(s.total.requests(RequestOutcome::kGaveUp) == 10);
  CHECK(load_error(refused("[{at: 0s, burst: 1}]", "[{retry_budget: {}}, {retry: {}}]")) ==
        "test.yaml:10:138: a retry_budget layer meters the retries that re-enter it: put it after "
        "(inside) a retry layer, e.g. [{retry: {}}, {retry_budget: {}}]");
}

TEST_CASE("the cookbook preset is a retry queue, a 15 s pause and two client buckets", "[client]") {
  const auto s = scenario_from(slow("  - {name: w, model: m, backlog: {count: 1}, input_tokens: 1,"
                                    " output_tokens: 1, max_tokens: 1, client: [{retry: {preset: cookbook}}]}\n"));
  const auto& layers = s.world.workloads[0].client;
  REQUIRE(layers.size() == 3);
  const auto& retry = std::get<models::client::RetryConfig>(layers[0]);
  CHECK(retry.max_retries == 4);  // 5 attempts
  CHECK(retry.base == 0s);
  CHECK(retry.retry_after == models::client::RetryAfterPolicy::kIgnore);
  CHECK(std::get<models::client::CooldownConfig>(layers[1]).pause == 15s);
  const auto& pace = std::get<models::client::PaceConfig>(layers[2]);
  CHECK(pace.limits.rpm == 1500);
  CHECK(pace.limits.tpm == 125000);
  CHECK(pace.retries_first);
}

TEST_CASE("with retries served first a retry overtakes waiting new requests", "[client]") {
  // A pace of one request a second (burst 1 s); every attempt is refused at once (the requests
  // never fit) and retried once with no delay. Five requests at once: in arrival order the
  // retries queue behind the new requests; served first, each retry goes right after its failure.
  Recorder rec;
  run_with(scenario_from(refused("[{at: 0s, burst: 5}]",
                                 "[{retry: {backoff: constant, base: 0s, jitter: none, max_retries: 1,"
                                 " honor_retry_after: false}}, {pace: {rpm: 60, burst: 1s}}]", "10s")),
           rec);
  std::vector<std::uint64_t> order_fifo;
  for (const auto& s : rec.sends) order_fifo.push_back(s.id);
  Recorder rec2;
  auto sc = scenario_from(refused("[{at: 0s, burst: 5}]",
                                  "[{retry: {backoff: constant, base: 0s, jitter: none, max_retries: 1,"
                                  " honor_retry_after: false}}, {pace: {rpm: 60, burst: 1s}}]", "10s"));
  std::get<models::client::PaceConfig>(sc.world.workloads[0].client[1]).retries_first = true;
  run_with(sc, rec2);
  std::vector<std::uint64_t> order_first;
  for (const auto& s : rec2.sends) order_first.push_back(s.id);
  CHECK(order_fifo == std::vector<std::uint64_t>{0, 1, 2, 3, 4, 0, 1, 2, 3, 4});
  CHECK(order_first == std::vector<std::uint64_t>{0, 0, 1, 1, 2, 2, 3, 3, 4, 4});
}

TEST_CASE("a queue layer bounds the waiting room of the gate after it", "[client]") {
  const auto s = scenario_from(slow("  - {name: w, model: m, backlog: {count: 5}, input_tokens: 1, output_tokens: 1,"
                                    " max_tokens: 1, client: [{queue: {max: 2, drop: oldest}}, {semaphore: {limit: 1}}]}\n"));
  const auto& gate = std::get<models::client::SemaphoreConfig>(s.world.workloads[0].client.at(0));
  CHECK(gate.max_queue == 2u);
  CHECK(gate.drop == models::client::DropPolicy::kOldest);
  CHECK(load_error(slow("  - {name: w, model: m, backlog: {count: 5}, input_tokens: 1, output_tokens: 1,"
                        " max_tokens: 1, client: [{queue: {max: 2}}, {retry: {}}]}\n")) ==
        "test.yaml:10:106: a queue layer bounds the waiting room of the gate after it: put a "
        "semaphore or ramp right after it");
}

TEST_CASE("a pace ramp starts at a share of the limits and reaches the whole", "[client]") {
  // rpm 60, burst 1 s (one at a time), ramp from 0.5 over 20 s: at first a request costs 2
  // tokens (one every 2 s); after 20 s it costs 1 (one a second).
  Recorder rec;
  run_with(scenario_from(slow("  - {name: w, model: m, backlog: {count: 30}, input_tokens: 1,"
                              " output_tokens: 1, max_tokens: 1,"
                              " client: [{pace: {rpm: 60, burst: 2s, ramp: {from: 0.5, over: 20s}}}]}\n")),
           rec);
  std::vector<double> gaps;
  for (std::size_t i = 1; i < rec.sends.size(); ++i) gaps.push_back(rec.sends[i].t - rec.sends[i - 1].t);
  REQUIRE(gaps.size() == 29);
  CHECK(gaps[1] > 1.5);           // early: about 2 s apart
  CHECK(gaps.back() == Approx(1.0));  // late: 1 s apart
}
