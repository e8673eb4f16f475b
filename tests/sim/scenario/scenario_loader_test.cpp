#include "sim/scenario/scenario_loader.hpp"

#include <catch2/catch.hpp>

#include "sim/scenario/input_error.hpp"
#include "test_support.hpp"

using namespace ratesim;
using namespace ratesim::testing;
using namespace std::chrono_literals;

namespace {

// A valid scenario; tests replace one line to break it.
const std::string kBase = R"(name: base
seed: 3
duration: 1h
provider:
  burst: 30s
  network_delay: 20ms
  models:
    small:
      group: shared
      limits: {rpm: 1000, itpm: 450000, otpm: 90000}
      price: {input: 1.0, output: 5.0}
      latency: {ttft: {lognormal: {median: 600ms, sigma: 0.4}}, output_tps: 150}
    tiny:
      group: shared
      price: {input: 0.25, output: 1.25}
      latency: {ttft: 300ms, output_tps: {uniform: [100, 200]}, prefill_tps: 20000}
workloads:
  - name: chat
    model: small
    arrivals: poisson
    traffic:
      - {for: 10m, rate: 2/s}
      - {for: 20m, ramp_to: 1200/min}
      - {at: 5m, burst: 100}
    input_tokens: {lognormal: {median: 6000, sigma: 0.3}}
    output_tokens: {uniform: [80, 400]}
    max_tokens: 512
    deadline: 60s
    client:
      - semaphore: {limit: 16}
      - retry: {on: [429, 529], max_retries: 4, backoff: decorrelated, base: 1s, cap: 30s, jitter: none, honor_retry_after: 60s}
  - name: backfill
    model: tiny
    backlog: {count: 2000, at: 20m}
    input_tokens: 3000
    output_tokens: {normal: {mean: 200, sd: 50}}
    max_tokens: {empirical: {values: [256, 512], weights: [3, 1]}}
)";

std::string with(const std::string& from, const std::string& to) {
  std::string s = kBase;
  const auto at = s.find(from);
  REQUIRE(at != std::string::npos);
  s.replace(at, from.size(), to);
  return s;
}

}  // namespace

TEST_CASE("a complete scenario loads into configuration structs", "[scenario]") {
  const auto s = scenario_from(kBase);
  CHECK(s.name == "base");
  CHECK(s.world.seed == 3);
  CHECK(s.world.duration == 1h);
  CHECK(s.world.provider.groups[0].burst == 30s);
  CHECK(s.world.provider.network_delay == 20ms);
  REQUIRE(s.world.provider.models.size() == 2);
  REQUIRE(s.world.provider.groups.size() == 1);  // both models share one group's budgets
  CHECK(s.world.provider.groups[0].limits.itpm == 450000);
  REQUIRE(s.world.workloads.size() == 2);
  const auto& chat = s.world.workloads[0];
  REQUIRE(chat.traffic.phases.size() == 2);
  CHECK(chat.traffic.phases[1].rate == 20.0);
  REQUIRE(chat.traffic.bursts.size() == 1);
  CHECK(chat.traffic.bursts[0].count == 100);
  CHECK(chat.deadline == 60s);
  REQUIRE(chat.client.size() == 2);
  const auto& retry = std::get<models::client::RetryConfig>(chat.client[1]);
  CHECK_FALSE(retry.on_timeout);
  CHECK(retry.max_retries == 4);
  CHECK(retry.backoff == models::client::Backoff::kDecorrelated);
  CHECK(retry.retry_after == models::client::RetryAfterPolicy::kObeyUpTo);
  CHECK(retry.retry_after_max == 60s);
  const auto& backfill = s.world.workloads[1];
  CHECK(backfill.kind == models::WorkloadConfig::Kind::kBacklog);
  CHECK(backfill.backlog.at == 20min);
}

TEST_CASE("scenario errors name the place, the value and what was expected", "[scenario]") {
  CHECK(load_error(with("duration: 1h", "duration: 1h\nwarmup: 1h")) ==
        "test.yaml:4:9: invalid value '1h' for 'warmup': expected a duration shorter than the scenario's "
        "duration (1h), so that something is measured");
  CHECK(load_error(with("  burst: 30s", "  burst: 30s\n  acceleration: {initial_load: stedy}")) ==
        "test.yaml:6:32: invalid value 'stedy' for 'initial_load': expected a share of the limits (a number >= "
        "0, e.g. 0.4) or 'steady' (the scenario's own mean load over its first 10 minutes)");
  CHECK(load_error(with("ramp_to: 1200/min", "ramp_too: 1200/min")) ==
        "test.yaml:23:20: unknown key 'ramp_too' in traffic phase (did you mean 'ramp_to'?)");
  CHECK(load_error(with("duration: 1h", "duration: 1hour")) ==
        "test.yaml:3:11: invalid duration '1hour' for 'duration': expected a duration: a number of "
        "seconds or numbers with units (us, ms, s, m, h, d), e.g. 250ms, 2s, 1h30m");
  CHECK(load_error(with("rate: 2/s", "rate: 2/week")) ==
        "test.yaml:22:26: invalid rate '2/week' for 'rate': expected a number per second or a "
        "number per unit, e.g. 20/s, 1200/min, 5000/h");
  CHECK(load_error(with("limit: 16", "limit: 0")) ==
        "test.yaml:30:28: invalid value '0' for 'limit': expected a whole number >= 1");
  CHECK(load_error(with("model: tiny", "model: tinny")) ==
        "test.yaml:33:12: unknown model 'tinny' in workload 'backfill' (did you mean 'tiny'?): the "
        "provider defines small, tiny");
  CHECK(load_error(with("jitter: none", "jitter: partial")) ==
        "test.yaml:31:100: invalid value 'partial' for 'jitter': expected one of none, full, equal "
        "or sdk");
  CHECK(load_error(with("- semaphore: {limit: 16}", "- semaphor: {limit: 16}")) ==
        "test.yaml:30:9: unknown client layer 'semaphor': expected one of semaphore, ramp, adaptive, "
        "pace, retry, retry_budget, cooldown, throttle, breaker, queue, route (did you mean "
        "'semaphore'?)");
  CHECK(load_error(with("    model: small\n", "")) ==
        "test.yaml:18:5: missing key 'model' in workload 'chat'");
  CHECK(load_error(with("uniform: [80, 400]", "uniform: [400, 80]")) ==
        "test.yaml:26:30: invalid range for 'output_tokens.uniform': high 80 is below low 400");
  CHECK(load_error(with("backlog: {count: 2000, at: 20m}", "traffic: [{for: 1m, rate: 1}]\n    backlog: {count: 2000}")) ==
        "test.yaml:32:5: workload 'backfill' needs exactly one of 'traffic' (open arrivals), "
        "'backlog' (requests ready at once), 'users' (a closed loop) or 'trace' (recorded "
        "requests)");
  CHECK(load_error(with("{at: 5m, burst: 100}", "{for: 5m, burst: 100}")) ==
        "test.yaml:24:15: a burst phase happens at one instant: give 'at', not 'for'");
  CHECK(load_error(with("{for: 10m, rate: 2/s}", "{for: 10m, rate: 2/s, count: 5}")) ==
        "test.yaml:22:9: traffic phase has both 'rate' and 'count': give one per phase");
}

TEST_CASE("a group without limits and a group with two different limits are refused", "[scenario]") {
  CHECK(load_error(with("      limits: {rpm: 1000, itpm: 450000, otpm: 90000}\n", "")) ==
        "test.yaml:8:5: group 'shared' has no limits: give 'limits: {rpm, itpm, otpm}' on one of "
        "its models or under provider.groups.shared");
  CHECK(load_error(with("      price: {input: 0.25", "      limits: {rpm: 5}\n      price: {input: 0.25")) ==
        "test.yaml:15:15: model 'tiny' gives limits for group 'shared' that differ from those of "
        "model 'small'; set them once, under provider.groups.shared.limits");
}

TEST_CASE("a YAML syntax error reports its position", "[scenario]") {
  CHECK(load_error("name: x\nduration: [1h\n") ==
        "test.yaml:3:1: YAML syntax error: end of sequence flow not found");
}

TEST_CASE("a missing file is reported without a position", "[scenario]") {
  try {
    scenario::load_scenario_file("no/such/file.yaml");
    FAIL("expected an error");
  } catch (const scenario::InputError& e) {
    CHECK(std::string(e.what()) == "no/such/file.yaml: cannot open scenario file: No such file or directory");
  }
}

TEST_CASE("values that would overflow or never finish are refused", "[scenario]") {
  CHECK(load_error(with("limit: 16", "limit: 4294967297")) ==
        "test.yaml:30:28: invalid value '4294967297' for 'limit': expected a whole number <= "
        "1000000000");
  CHECK(load_error(with("deadline: 60s", "deadline: 1e300")) ==
        "test.yaml:28:15: invalid duration '1e300' for 'deadline': expected at most 365d");
  CHECK(load_error(with("burst: 30s", "burst: 2h")) ==
        "test.yaml:5:10: invalid duration '2h' for 'burst': expected at most 1h");
  // A rate above a million a second is refused as such.
  CHECK(load_error(with("rate: 2/s", "rate: 1e9/s")) ==
        "test.yaml:22:26: invalid rate '1e9/s' for 'rate': expected at most 1000000 per second");
  // A million a second for four hours is 1.44e10 requests: more than one run simulates.
  CHECK(load_error("name: x\nduration: 4h\nprovider:\n  models:\n    m: {limits: {rpm: 60}, price: {input: 1, "
                   "output: 1}, latency: {ttft: 1s, output_tps: 100}}\nworkloads:\n  - {name: w, model: m, traffic: "
                   "[{for: 4h, rate: 1e6/s}], input_tokens: 1, output_tokens: 1, max_tokens: 1}\n") ==
        "test.yaml:7:5: workload 'w' would bring about 1.44e+10 requests within the horizon; one run simulates at "
        "most 1e+10: check its rates and counts");
}

TEST_CASE("an empty file, a list and a repeated key are refused with a position", "[scenario]") {
  CHECK(load_error("") ==
        "test.yaml:1:1: expected a scenario: a mapping with name, duration, provider and workloads");
  CHECK(load_error("- a\n") ==
        "test.yaml:1:1: expected a scenario: a mapping with name, duration, provider and workloads");
  CHECK(load_error("name: x\nname: y\n") == "test.yaml:2:1: duplicate key 'name' in scenario");
}

namespace {
const std::string kPreset = R"(name: p
duration: 1h
provider:
  preset: anthropic/tier-1
  limiter: sliding-window
  otpm_accounting: actual
  rejected_consume: true
  overload: {rate: 0.001, incidents: [{at: 40m, for: 10m, rate: 0.3}]}
  groups:
    sonnet-4: {limiter: fixed-window}
  models:
    claude-haiku-4-5: {latency: {ttft: 2s, output_tps: 50}}
workloads:
  - name: w
    model: claude-sonnet-4-5
    traffic: [{for: 10m, rate: 1/s}]
    input_tokens: 8000
    output_tokens: 100
    max_tokens: 200
    cache: {prefix_tokens: 6000, ttl: 1h, keys: 20, choose: zipf, zipf_s: 1.1}
)";
}  // namespace

TEST_CASE("a preset supplies the provider and the scenario overrides any field", "[scenario]") {
  const auto s = scenario_from(kPreset);
  const auto& p = s.world.provider;
  REQUIRE(p.models.size() == 6);
  CHECK(p.models[0].name == "claude-haiku-4-5");
  CHECK(p.models[0].latency.ttft.a == 2.0);   // overridden
  CHECK(p.models[0].price.output == 5.0);     // from the preset
  CHECK(p.models[0].cache.min_tokens == 4096);
  CHECK(p.acceleration.enabled);              // the Anthropic presets switch it on
  CHECK(p.otpm_accounting == models::provider::OtpmAccounting::kActual);
  CHECK(p.rejected_consume);
  CHECK(p.overload.incidents.size() == 1);
  CHECK(p.batch_queue_limit == 100000);
  REQUIRE(p.groups.size() == 3);
  CHECK(p.groups[0].name == "haiku-4-5");
  CHECK(p.groups[0].limits.itpm == 50000);
  CHECK(p.groups[0].limiter == models::provider::LimiterKind::kSlidingWindow);
  CHECK(p.groups[1].limiter == models::provider::LimiterKind::kFixedWindow);
  const auto& cache = *s.world.workloads[0].cache;
  CHECK(cache.ttl == 1h);
  CHECK(cache.keys == 20);
  CHECK(cache.choice == models::CacheConfig::Choice::kZipf);
}

TEST_CASE("the Anthropic presets follow the 2026 docs", "[scenario]") {
  for (const auto& [tier, spend] : std::vector<std::pair<std::string, double>>{
           {"tier-1", 100}, {"tier-2", 500}, {"tier-3", 1000}, {"tier-4", 5000}}) {
    INFO(tier);
    const auto s = scenario_from("name: p\nduration: 1m\nprovider: {preset: anthropic/" + tier +
                                 "}\nworkloads:\n  - {name: w, model: claude-sonnet-4-6, backlog: {count: 1}, input_tokens: 10, output_tokens: 1, max_tokens: 1}\n");
    const auto& p = s.world.provider;
    // Docs since about February 2026 count only the output tokens produced.
    CHECK(p.otpm_accounting == models::provider::OtpmAccounting::kActual);
    CHECK(p.acceleration.enabled);
    CHECK(p.acceleration.profile == "moderate");
    REQUIRE(p.spend_limit);
    CHECK(p.spend_limit->monthly_usd == spend);
    CHECK(p.spend_limit->spent_usd == 0);
    // Sonnet 4.6 caches from about 2,048 tokens, Sonnet 4.5 from 1,024.
    for (const auto& m : p.models) {
      if (m.name == "claude-sonnet-4-6") CHECK(m.cache.min_tokens == 2048);
      if (m.name == "claude-sonnet-4-5") CHECK(m.cache.min_tokens == 1024);
    }
  }
}

TEST_CASE("acceleration takes a profile name or a mapping whose keys override a profile", "[scenario]") {
  auto accel = [](const std::string& value) {
    return scenario_from("name: p\nduration: 1m\nprovider:\n  preset: anthropic/tier-2\n  acceleration: " + value +
                         "\nworkloads:\n  - {name: w, model: claude-haiku-4-5, backlog: {count: 1}, input_tokens: 10, output_tokens: 1, max_tokens: 1}\n")
        .world.provider.acceleration;
  };
  CHECK(accel("strict").floor == 0.1);
  CHECK(accel("strict").max_ratio == 1.5);
  CHECK(accel("lenient").floor == 0.5);
  const auto a = accel("{initial_load: 0.3}");  // the preset's profile, moderate, kept
  CHECK(a.profile == "moderate");
  CHECK(a.floor == 0.25);
  CHECK(a.initial_load == 0.3);
  const auto b = accel("{profile: strict, floor: 0.2}");
  CHECK(b.floor == 0.2);
  CHECK(b.max_ratio == 1.5);
  CHECK_FALSE(accel("off").enabled);
  CHECK(load_error("name: p\nduration: 1m\nprovider:\n  preset: anthropic/tier-2\n  acceleration: stric\n"
                   "workloads:\n  - {name: w, model: claude-haiku-4-5, backlog: {count: 1}, input_tokens: 10, output_tokens: 1, max_tokens: 1}\n") ==
        "test.yaml:5:17: invalid value 'stric' for 'acceleration profile': expected one of off, lenient, "
        "moderate or strict (did you mean 'strict'?)");
}

TEST_CASE("acceleration: off switches the preset's model off", "[scenario]") {
  std::string yaml = kPreset;
  yaml.replace(yaml.find("  limiter: sliding-window"), 0, "  acceleration: off\n");
  CHECK_FALSE(scenario_from(yaml).world.provider.acceleration.enabled);
}

TEST_CASE("provider mistakes are reported where they were made", "[scenario]") {
  auto with_p = [](const std::string& from, const std::string& to) {
    std::string s = kPreset;
    s.replace(s.find(from), from.size(), to);
    return load_error(s);
  };
  CHECK(with_p("anthropic/tier-1", "anthropic/tier-7") ==
        "test.yaml:4:11: unknown preset 'anthropic/tier-7' (did you mean 'anthropic/tier-1'?): "
        "expected one of anthropic/build, anthropic/scale, anthropic/start, anthropic/tier-1, anthropic/tier-2, "
        "anthropic/tier-3, anthropic/tier-4 (see 'ratesim presets')");
  CHECK(with_p("sliding-window", "leaky-bucket") ==
        "test.yaml:5:12: invalid value 'leaky-bucket' for 'limiter': expected one of "
        "token-bucket, sliding-window or fixed-window");
  CHECK(with_p("rate: 0.3", "rate: 3") ==
        "test.yaml:8:65: invalid value '3' for 'rate': expected a probability from 0 to 1");
  CHECK(with_p("ttl: 1h", "ttl: 2h") ==
        "test.yaml:20:39: invalid value '2h' for 'ttl': expected 5m or 1h (the provider's two "
        "cache lifetimes)");
  CHECK(with_p("{latency: {ttft: 2s, output_tps: 50}}", "{limits: {rpm: 5}}") ==
        "test.yaml:12:32: model 'claude-haiku-4-5' gives limits for group 'haiku-4-5' that "
        "differ from those of its group settings; set them once, under "
        "provider.groups.haiku-4-5.limits");
}

TEST_CASE("variants are validated and loaded as overrides of the base", "[scenario]") {
  const std::string yaml = kBase + R"(variants:
  tight:
    workloads.chat.deadline: 10s
    workloads.backfill.max_tokens: 300
)";
  const auto base = scenario_from(yaml);
  REQUIRE(base.variants == std::vector<std::string>{"tight"});
  auto variant_error = [](const std::string& text) -> std::string {
    try {
      scenario::load_variant_text(text, "test.yaml", "bad");
    } catch (const scenario::InputError& e) {
      return e.what();
    }
    return "";
  };
  // The base loads even when a variant is broken; the variant reports its mistake at its line.
  const std::string bad_duration = kBase + "variants:\n  bad:\n    workloads.chat.deadline: soon\n";
  CHECK(load_error(bad_duration).empty());
  CHECK(variant_error(bad_duration) ==
        "test.yaml:40:30: invalid duration 'soon' for 'deadline': expected a duration: a number "
        "of seconds or numbers with units (us, ms, s, m, h, d), e.g. 250ms, 2s, 1h30m");
  CHECK(variant_error(kBase + "variants:\n  bad:\n    workloads.caht.deadline: 1s\n") ==
        "test.yaml:40:5: in variant 'bad': no item 'caht' in 'workloads' (did you mean 'chat'?)");
}

TEST_CASE("a variant may replace a whole workload or a whole list", "[scenario]") {
  const std::string yaml = kBase + R"(variants:
  batch:
    workloads.backfill: {name: backfill, model: small, api: batch, backlog: {count: 100}, input_tokens: 1000, output_tokens: 100, max_tokens: 200}
  bare:
    workloads.chat.client: []
)";
  const auto batch = scenario::load_variant_text(yaml, "test.yaml", "batch");
  REQUIRE(batch.world.workloads.size() == 2);
  CHECK(batch.world.workloads[1].batch.has_value());
  CHECK(batch.world.workloads[1].backlog.count == 100);
  CHECK(batch.world.workloads[1].client.empty());
  CHECK(scenario::load_variant_text(yaml, "test.yaml", "bare").world.workloads[0].client.empty());
  CHECK_FALSE(scenario_from(yaml).world.workloads[1].batch.has_value());
}

TEST_CASE("overrides apply in reading order: the file, then the variant, then --set", "[scenario]") {
  // The variant sets chat's attempt_timeout to 5s; a --set of the same key comes after it and wins.
  const std::string yaml = kBase + "variants:\n  quick:\n    workloads.chat.attempt_timeout: 5s\n";
  const auto v = scenario::load_variant_text(yaml, "test.yaml", "quick", {"workloads.chat.attempt_timeout=20s"});
  CHECK(v.world.workloads[0].attempt_timeout == 20s);
  CHECK(scenario_from(yaml).world.workloads[0].attempt_timeout == std::nullopt);
  // A --set the variant does not touch reaches it.
  const auto w = scenario::load_variant_text(yaml, "test.yaml", "quick", {"workloads.chat.deadline=42s"});
  CHECK(w.world.workloads[0].attempt_timeout == 5s);
  CHECK(w.world.workloads[0].deadline == 42s);
  // A --set may reach into what only the variant brings: the batch block of a workload the
  // variant replaces (applied before the variant, it found no 'batch' key in the base's).
  const std::string batch = kBase + R"(variants:
  batch:
    workloads.backfill: {name: backfill, model: small, api: batch, batch: {size: 500}, backlog: {count: 100}, input_tokens: 1000, output_tokens: 100, max_tokens: 200}
)";
  const auto b = scenario::load_variant_text(batch, "test.yaml", "batch", {"workloads.backfill.batch.size=40"});
  REQUIRE(b.world.workloads[1].batch.has_value());
  CHECK(b.world.workloads[1].batch->size == 40);
  // The base with that --set still has no batch block to reach into.
  CHECK_THROWS_AS(scenario::load_scenario_text(batch, "test.yaml", {"workloads.backfill.batch.size=40"}), scenario::InputError);
}

TEST_CASE("a variant runs with its overrides", "[scenario]") {
  const auto s = scenario::load_scenario_variant(source_path("scenarios/backfill.yaml"), "workers-8");
  CHECK(s.variant == "workers-8");
  REQUIRE(s.world.workloads[0].client.size() == 2);
  CHECK(std::get<models::client::SemaphoreConfig>(s.world.workloads[0].client[0]).limit == 8);
  try {
    scenario::load_scenario_variant(source_path("scenarios/backfill.yaml"), "workers-9");
    FAIL("expected an error");
  } catch (const scenario::InputError& e) {
    CHECK(e.message() == "no variant 'workers-9' (did you mean 'workers-8'?): the scenario has "
                         "workers-8, ramp, aimd");
  }
}

TEST_CASE("a retry preset's body is read as written: positions kept, a duplicate key refused", "[scenario]") {
  // The cookbook and aws-adaptive presets expand into several layers; their bodies are still the
  // retry layer's own mapping, so mistakes in them point at the line and column.
  const std::string layer = "      - retry: {on: [429, 529], max_retries: 4, backoff: decorrelated, base: 1s, cap: 30s, jitter: none, honor_retry_after: 60s}";
  CHECK(load_error(with(layer, "      - retry: {preset: cookbook, max_retriez: 2}")) ==
        "test.yaml:31:35: unknown key 'max_retriez' in retry layer (did you mean 'max_retries'?)");
  CHECK(load_error(with(layer, "      - retry: {preset: aws-adaptive, max_retries: 2, max_retries: 3}")) ==
        "test.yaml:31:55: duplicate key 'max_retries' in retry layer");
  CHECK(load_error(with(layer, "      - retry: {preset: cookbook, max_retries: 2, max_retries: 3}")) ==
        "test.yaml:31:51: duplicate key 'max_retries' in retry layer");
  // Their settings still come through: the cookbook's retry with 2 retries, then its cooldown
  // and pace; aws-adaptive's standard-mode retry, then its rate limiter.
  const auto cookbook = scenario_from(with(layer, "      - retry: {preset: cookbook, max_retries: 2}"));
  const auto& layers = cookbook.world.workloads[0].client;
  REQUIRE(layers.size() == 4);
  CHECK(std::get<models::client::RetryConfig>(layers[1]).max_retries == 2);
  CHECK(std::get<models::client::RetryConfig>(layers[1]).backoff == models::client::Backoff::kConstant);
  CHECK(std::holds_alternative<models::client::CooldownConfig>(layers[2]));
  CHECK(std::get<models::client::PaceConfig>(layers[3]).retries_first);
  const auto aws = scenario_from(with(layer, "      - retry: {preset: aws-adaptive}"));
  REQUIRE(aws.world.workloads[0].client.size() == 3);
  CHECK(std::get<models::client::RetryConfig>(aws.world.workloads[0].client[1]).quota.has_value());
  CHECK(std::holds_alternative<models::client::AwsRateConfig>(aws.world.workloads[0].client[2]));
}

TEST_CASE("a key given twice where a preset is merged underneath is refused at its position", "[scenario]") {
  const std::string preset = "name: d\nduration: 1m\nprovider:\n  preset: anthropic/tier-1\n";
  const std::string workload =
      "workloads:\n  - {name: w, model: claude-haiku-4-5, backlog: {count: 1}, input_tokens: 10, output_tokens: 10, max_tokens: 10}\n";
  CHECK(load_error(preset + "  burst: 10s\n  burst: 20s\n" + workload) == "test.yaml:6:3: duplicate key 'burst' in provider");
  CHECK(load_error(preset + "  groups:\n    haiku-4-5: {limits: {rpm: 5, rpm: 6}}\n" + workload) ==
        "test.yaml:6:34: duplicate key 'rpm' in provider.groups.haiku-4-5.limits");
  CHECK(load_error(preset + "  burst: 10s\n" + workload).empty());
}
