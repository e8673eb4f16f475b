#include "sim/scenario/client_reader.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <optional>

#include "sim/scenario/did_you_mean.hpp"
#include "sim/scenario/input_error.hpp"
#include "sim/scenario/node_reader.hpp"
#include "sim/scenario/provider_reader.hpp"
#include "sim/scenario/units.hpp"

namespace ratesim::scenario {

using models::provider::ProviderConfig;
using kernel::Duration;
using namespace std::chrono_literals;

namespace {
/// The official clients' default retry behaviour, from their sources (docs/strategies.md).
models::client::RetryConfig retry_preset(std::size_t which) {
  using namespace models::client;
  RetryConfig sdk;  // the Anthropic and OpenAI SDKs share the backoff
  sdk.max_retries = 2;
  sdk.backoff = Backoff::kExponential;
  sdk.base = 500ms;
  sdk.cap = 8s;
  sdk.jitter = Jitter::kSdk;
  sdk.retry_after = RetryAfterPolicy::kObeyUpTo;
  sdk.retry_after_max = 60s;
  sdk.honor_should_retry = true;
  switch (which) {
    case 0:  // anthropic-python: retry-after obeyed only when 0 < value <= 60 s
      return sdk;
    case 1:  // anthropic-typescript: since v0.79 any retry-after is obeyed
      sdk.retry_after = RetryAfterPolicy::kObey;
      return sdk;
    case 2:  // openai-python since v2.52: obeyed up to 120 s; longer: no retry at all
      sdk.retry_after = RetryAfterPolicy::kObeyOrGiveUp;
      sdk.retry_after_max = 120s;
      return sdk;
    case 3:  // openai-python before v2.52: like Anthropic's, up to 60 s
      return sdk;
    case 4: {  // aws-standard: 3 attempts, U · min(2^(attempt-1), 20) s, a retry quota
      RetryConfig aws;
      aws.max_retries = 2;
      aws.backoff = Backoff::kExponential;
      aws.base = 1s;
      aws.cap = 20s;
      aws.jitter = Jitter::kFull;
      aws.retry_after = RetryAfterPolicy::kIgnore;
      aws.quota = RetryQuota{};
      // botocore retries throttles (a 429) and 500/502/503/504, timeouts too; not a bare 529.
      aws.on_529 = false;
      return aws;
    }
    case 8: {  // aws-legacy (botocore's default mode): 5 attempts, U · 2^(attempt-1) s, no quota
      RetryConfig aws;
      aws.max_retries = 4;
      aws.backoff = Backoff::kExponential;
      aws.base = 1s;
      aws.cap = 1h;  // no cap: four retries reach 8 s at most
      aws.jitter = Jitter::kFull;
      aws.retry_after = RetryAfterPolicy::kIgnore;
      aws.on_529 = false;
      return aws;
    }
    case 5:  // cookbook: expanded into layers by read_client; never reached
    default: {  // none
      RetryConfig none;
      none.max_retries = 0;
      return none;
    }
  }
}

const std::vector<std::string> kRetryPresets{"anthropic-python",      "anthropic-typescript",
                                             "openai-python",         "openai-python-legacy",
                                             "aws-standard",          "cookbook",
                                             "none",                  "aws-adaptive",
                                             "aws-legacy"};

models::client::RetryConfig read_retry(const Source& src, const YAML::Node& n) {
  using namespace models::client;
  MapReader m(src, n.IsNull() ? YAML::Node(YAML::NodeType::Map) : n, "retry layer");
  RetryConfig c;
  if (auto v = m.get("preset"); v.IsDefined()) c = retry_preset(read_choice(src, v, "preset", kRetryPresets));
  if (auto v = m.get("on"); v.IsDefined()) {
    if (!v.IsSequence())
      src.fail(v, fmt::format("invalid value {} for 'on': expected a list of 429, 529, timeout",
                              quote(v)));
    c.on_429 = c.on_529 = c.on_timeout = false;
    for (const auto& item : v) {
      switch (read_choice(src, item, "on", {"429", "529", "timeout"})) {
        case 0: c.on_429 = true; break;
        case 1: c.on_529 = true; break;
        default: c.on_timeout = true; break;
      }
    }
  }
  if (auto v = m.get("max_retries"); v.IsDefined())
    c.max_retries = static_cast<std::uint32_t>(read_integer(src, v, "max_retries", 0, 10'000));
  if (auto v = m.get("backoff"); v.IsDefined())
    c.backoff = static_cast<Backoff>(
        read_choice(src, v, "backoff", {"constant", "exponential", "decorrelated"}));
  if (auto v = m.get("base"); v.IsDefined()) c.base = read_duration(src, v, "base");
  if (auto v = m.get("cap"); v.IsDefined()) {
    c.cap = read_duration(src, v, "cap");
    if (c.cap < c.base)
      src.fail(v, fmt::format("invalid duration {} for 'cap': expected at least 'base' ({})",
                              quote(v), format_duration(c.base)));
  }
  if (auto v = m.get("jitter"); v.IsDefined())
    c.jitter = static_cast<Jitter>(read_choice(src, v, "jitter", {"none", "full", "equal", "sdk"}));
  if (auto v = m.get("honor_retry_after"); v.IsDefined()) {
    if (v.IsScalar() && (v.Scalar() == "true" || v.Scalar() == "false")) {
      c.retry_after = v.Scalar() == "true" ? RetryAfterPolicy::kObey : RetryAfterPolicy::kIgnore;
    } else if (v.IsScalar() && parse_duration(v.Scalar())) {
      c.retry_after = RetryAfterPolicy::kObeyUpTo;
      c.retry_after_max = read_duration(src, v, "honor_retry_after");
    } else {
      src.fail(v, fmt::format("invalid value {} for 'honor_retry_after': expected true, false, or "
                              "the longest retry-after to obey (e.g. 60s)",
                              quote(v)));
    }
  }
  if (auto v = m.get("honor_should_retry"); v.IsDefined())
    c.honor_should_retry = read_bool(src, v, "honor_should_retry");
  m.finish();
  return c;
}

}  // namespace

std::vector<models::client::LayerConfig> read_client(const Source& src, const YAML::Node& n,
                                                     const ProviderConfig& provider) {
  const std::vector<std::string> kinds{"semaphore", "ramp",     "adaptive", "pace",
                                       "retry",     "retry_budget", "cooldown", "throttle",
                                       "breaker",   "queue",    "route"};
  if (!n.IsSequence())
    src.fail(n, fmt::format("invalid value {} for 'client': expected a list of layers, outermost "
                            "first, e.g. [{{semaphore: {{limit: 8}}}}, {{retry: {{}}}}]",
                            quote(n)));
  std::vector<models::client::LayerConfig> layers;

  // A `queue` layer bounds the waiting room of the gate right after it.
  struct PendingQueue {
    std::uint32_t max;
    models::client::DropPolicy drop;
    YAML::Node at;
  };
  std::optional<PendingQueue> queue;
  // A gate's waiting room: its own max_queue and drop, or those of the queue layer before it.
  auto read_waiting_room = [&](MapReader& m, std::optional<std::uint32_t>& max_queue,
                               models::client::DropPolicy& drop) {
    if (auto v = m.get("max_queue"); v.IsDefined())
      max_queue = static_cast<std::uint32_t>(read_integer(src, v, "max_queue", 0, 1'000'000'000));
    if (auto v = m.get("drop"); v.IsDefined())
      drop = static_cast<models::client::DropPolicy>(read_choice(src, v, "drop", {"newest", "oldest"}));
    if (queue) {
      max_queue = queue->max;
      drop = queue->drop;
      queue.reset();
    }
  };
  for (const auto& item : n) {
    if (queue && !(item.IsMap() && item.size() == 1 &&
                   (item.begin()->first.Scalar() == "semaphore" || item.begin()->first.Scalar() == "ramp")))
      src.fail(queue->at, "a queue layer bounds the waiting room of the gate after it: put a "
                          "semaphore or ramp right after it");
    if (!item.IsMap() || item.size() != 1)
      src.fail(item, fmt::format("invalid client layer {}: expected one key naming the layer, "
                                 "e.g. {{semaphore: {{limit: 8}}}}",
                                 quote(item)));
    const YAML::Node key = item.begin()->first;
    const YAML::Node body = item.begin()->second;
    const std::string kind = key.Scalar();
    if (kind == "semaphore") {
      MapReader m(src, body, "semaphore layer");
      models::client::SemaphoreConfig c{.limit = static_cast<std::uint32_t>(
                                            read_integer(src, m.require("limit"), "limit", 1, 1'000'000'000))};
      read_waiting_room(m, c.max_queue, c.drop);
      m.finish();
      layers.emplace_back(c);
    } else if (kind == "queue") {
      MapReader m(src, body, "queue layer");
      PendingQueue q{.max = static_cast<std::uint32_t>(read_integer(src, m.require("max"), "max", 0, 1'000'000'000)),
                     .drop = models::client::DropPolicy::kNewest,
                     .at = key};
      if (auto v = m.get("drop"); v.IsDefined())
        q.drop = static_cast<models::client::DropPolicy>(read_choice(src, v, "drop", {"newest", "oldest"}));
      m.finish();
      queue = q;
    } else if (kind == "ramp") {
      MapReader m(src, body, "ramp layer");
      models::client::RampConfig c;
      c.from = static_cast<std::uint32_t>(read_integer(src, m.require("from"), "from", 1, 1'000'000'000));
      const YAML::Node to = m.require("to");
      c.to = static_cast<std::uint32_t>(read_integer(src, to, "to", 1, 1'000'000'000));
      if (c.to < c.from)
        src.fail(to, fmt::format("invalid value {} for 'to': expected at least 'from' ({})", quote(to), c.from));
      c.over = read_duration(src, m.require("over"), "over", 1ms);
      if (auto v = m.get("shape"); v.IsDefined())
        c.shape = static_cast<models::client::RampConfig::Shape>(
            read_choice(src, v, "shape", {"linear", "exponential", "steps"}));
      if (auto v = m.get("steps"); v.IsDefined())
        c.steps = static_cast<std::uint32_t>(read_integer(src, v, "steps", 1, 1'000'000));
      read_waiting_room(m, c.max_queue, c.drop);
      m.finish();
      layers.emplace_back(c);
    } else if (kind == "cooldown") {
      MapReader m(src, body.IsNull() ? YAML::Node(YAML::NodeType::Map) : body, "cooldown layer");
      models::client::CooldownConfig c;
      if (auto v = m.get("pause"); v.IsDefined()) c.pause = read_duration(src, v, "pause", 1ms);
      m.finish();
      layers.emplace_back(c);
    } else if (kind == "throttle") {
      MapReader m(src, body.IsNull() ? YAML::Node(YAML::NodeType::Map) : body, "throttle layer");
      models::client::ThrottleConfig c;
      if (auto v = m.get("k"); v.IsDefined()) {
        c.k = read_number(src, v, "k", 0);
        // Below 1 the throttle refuses requests even when every one is accepted.
        if (c.k < 1)
          src.fail(v, fmt::format("invalid value {} for 'k': expected at least 1 (the SRE book uses 2)", quote(v)));
      }
      if (auto v = m.get("window"); v.IsDefined()) c.window = read_duration(src, v, "window", 1s);
      m.finish();
      layers.emplace_back(c);
    } else if (kind == "breaker") {
      MapReader m(src, body.IsNull() ? YAML::Node(YAML::NodeType::Map) : body, "breaker layer");
      models::client::BreakerConfig c;
      if (auto v = m.get("failure_rate"); v.IsDefined()) {
        c.failure_rate = read_number(src, v, "failure_rate", 0);
        if (c.failure_rate > 1)
          src.fail(v, fmt::format("invalid value {} for 'failure_rate': expected a share from 0 to 1", quote(v)));
      }
      if (auto v = m.get("window"); v.IsDefined())
        c.window = static_cast<std::uint32_t>(read_integer(src, v, "window", 1, 1'000'000));
      if (auto v = m.get("open_for"); v.IsDefined()) c.open_for = read_duration(src, v, "open_for", 1ms);
      if (auto v = m.get("probes"); v.IsDefined())
        c.probes = static_cast<std::uint32_t>(read_integer(src, v, "probes", 1, 1'000'000));
      m.finish();
      layers.emplace_back(c);
    } else if (kind == "retry_budget") {
      const bool after_retry = std::any_of(layers.begin(), layers.end(), [](const auto& l) {
        return std::holds_alternative<models::client::RetryConfig>(l);
      });
      if (!after_retry)
        src.fail(key, "a retry_budget layer meters the retries that re-enter it: put it after (inside) "
                      "a retry layer, e.g. [{retry: {}}, {retry_budget: {}}]");
      MapReader m(src, body.IsNull() ? YAML::Node(YAML::NodeType::Map) : body, "retry_budget layer");
      models::client::RetryBudgetConfig c;
      if (auto v = m.get("ratio"); v.IsDefined()) c.ratio = read_number(src, v, "ratio", 0);
      if (auto v = m.get("min_per_s"); v.IsDefined()) c.min_per_s = read_number(src, v, "min_per_s", 0);
      if (auto v = m.get("ttl"); v.IsDefined()) c.ttl = read_duration(src, v, "ttl", 1s);
      m.finish();
      layers.emplace_back(c);
    } else if (kind == "route") {
      MapReader m(src, body, "route layer");
      models::client::RouteConfig c;
      std::vector<std::string> names;
      for (const auto& md : provider.models) names.push_back(md.name);
      auto model_of = [&](const YAML::Node& v) {
        const std::string name = read_string(src, v, "model");
        const auto it = std::find(names.begin(), names.end(), name);
        if (it == names.end())
          src.fail(v, fmt::format("unknown model '{}'{}: the provider defines {}", name,
                                  did_you_mean(name, names), fmt::join(names, ", ")));
        return static_cast<std::uint16_t>(it - names.begin());
      };
      if (auto v = m.get("rules"); v.IsDefined()) {
        if (!v.IsSequence())
          src.fail(v, fmt::format("invalid value {} for 'rules': expected a list of "
                                  "{{max_input_tokens, model}}", quote(v)));
        for (const auto& item : v) {
          MapReader rm(src, item, "route rule");
          c.rules.push_back({.max_input_tokens = static_cast<std::uint32_t>(
                                 read_integer(src, rm.require("max_input_tokens"), "max_input_tokens", 1, 4'000'000'000)),
                             .model = model_of(rm.require("model"))});
          rm.finish();
        }
      }
      if (auto v = m.get("weights"); v.IsDefined()) {
        if (!v.IsMap() || v.size() == 0)
          src.fail(v, fmt::format("invalid value {} for 'weights': expected a mapping from models to "
                                  "weights", quote(v)));
        double total = 0;
        for (const auto& kv : v) {
          c.weights.emplace_back(model_of(kv.first), read_number(src, kv.second, "weight", 0));
          total += c.weights.back().second;
        }
        if (total <= 0) src.fail(v, "route weights must not all be 0");
      }
      if (auto v = m.get("fallback"); v.IsDefined()) c.fallback = model_of(v);
      m.finish();
      layers.emplace_back(c);
    } else if (kind == "adaptive") {
      MapReader m(src, body.IsNull() ? YAML::Node(YAML::NodeType::Map) : body, "adaptive layer");
      models::client::AdaptiveConfig c;
      if (auto v = m.get("algorithm"); v.IsDefined())
        c.algorithm = static_cast<models::client::AdaptiveConfig::Algorithm>(
            read_choice(src, v, "algorithm", {"aimd", "cubic", "vegas", "gradient2"}));
      if (c.algorithm == models::client::AdaptiveConfig::Algorithm::kVegas) {
        c.min = 1;
        c.max = 1000;  // Netflix's Vegas defaults
      }
      if (auto v = m.get("initial"); v.IsDefined()) c.initial = read_number(src, v, "initial", 1);
      if (auto v = m.get("min"); v.IsDefined()) c.min = read_number(src, v, "min", 1);
      if (auto v = m.get("max"); v.IsDefined()) c.max = read_number(src, v, "max", 1);
      if (auto v = m.get("backoff"); v.IsDefined()) c.backoff = read_number(src, v, "backoff", 0.01);
      if (auto v = m.get("c"); v.IsDefined()) c.cubic_c = read_number(src, v, "c", 0.001);
      if (auto v = m.get("beta"); v.IsDefined()) c.cubic_beta = read_number(src, v, "beta", 0.01);
      if (auto v = m.get("smoothing"); v.IsDefined()) c.smoothing = read_number(src, v, "smoothing", 0);
      if (auto v = m.get("queue_size"); v.IsDefined()) c.queue_size = read_number(src, v, "queue_size", 0);
      if (auto v = m.get("long_window"); v.IsDefined())
        c.long_window = static_cast<std::uint32_t>(read_integer(src, v, "long_window", 1, 1'000'000));
      if (auto v = m.get("probe_multiplier"); v.IsDefined())
        c.probe_multiplier = static_cast<std::uint32_t>(read_integer(src, v, "probe_multiplier", 1, 1'000'000));
      m.finish();
      if (c.max < c.min) src.fail(body, "adaptive layer: 'max' is below 'min'");
      c.initial = std::clamp(c.initial, c.min, c.max);
      layers.emplace_back(c);
    } else if (kind == "pace") {
      MapReader m(src, body, "pace layer");
      models::client::PaceConfig c;
      c.limits = read_limit_keys(src, m);
      if (auto v = m.get("burst"); v.IsDefined()) c.burst = read_duration(src, v, "burst", 1ms, 1h);
      if (auto v = m.get("retries_first"); v.IsDefined()) c.retries_first = read_bool(src, v, "retries_first");
      if (auto v = m.get("ramp"); v.IsDefined()) {
        MapReader rm(src, v, "pace ramp");
        const YAML::Node from = rm.require("from");
        c.ramp_from = read_number(src, from, "from", 0);
        if (c.ramp_from <= 0 || c.ramp_from > 1)
          src.fail(from, fmt::format("invalid value {} for 'from': expected a share of the limits above 0, at most 1", quote(from)));
        c.ramp_over = read_duration(src, rm.require("over"), "over", 1ms);
        rm.finish();
      }
      if (auto v = m.get("headroom"); v.IsDefined()) {
        c.headroom = read_number(src, v, "headroom", 0);
        if (c.headroom <= 0 || c.headroom > 1)
          src.fail(v, fmt::format("invalid value {} for 'headroom': expected a share above 0, at most 1", quote(v)));
      }
      m.finish();
      if (!c.limits.rpm && !c.limits.itpm && !c.limits.otpm && !c.limits.tpm)
        src.fail(body, "a pace layer needs at least one of rpm, itpm, otpm, tpm");
      layers.emplace_back(c);
    } else if (kind == "retry" && body.IsMap() && body["preset"] && body["preset"].IsScalar() &&
               body["preset"].Scalar() == "cookbook") {
      // The OpenAI cookbook's parallel processor: failed requests go to a retry queue served
      // first, up to 5 attempts, no backoff; every dispatch pauses until 15 s after the latest
      // rate-limit error; request and token buckets of 1,500 RPM and 125,000 TPM.
      YAML::Node rest(YAML::NodeType::Map);
      for (const auto& kv : body)
        if (kv.first.Scalar() != "preset") rest[kv.first.Scalar()] = kv.second;
      models::client::RetryConfig retry = read_retry(src, rest);
      if (!rest["max_retries"]) retry.max_retries = 4;
      if (!rest["backoff"]) retry.backoff = models::client::Backoff::kConstant;
      if (!rest["base"]) retry.base = 0s;
      if (!rest["jitter"]) retry.jitter = models::client::Jitter::kNone;
      if (!rest["honor_retry_after"]) retry.retry_after = models::client::RetryAfterPolicy::kIgnore;
      layers.emplace_back(retry);
      layers.emplace_back(models::client::CooldownConfig{.pause = 15s});
      layers.emplace_back(models::client::PaceConfig{.limits = {.rpm = 1500, .tpm = 125000}, .retries_first = true});
    } else if (kind == "retry" && body.IsMap() && body["preset"] && body["preset"].IsScalar() &&
               body["preset"].Scalar() == "aws-adaptive") {
      // AWS adaptive mode: standard mode's retries around the CUBIC client rate limiter.
      YAML::Node rest(YAML::NodeType::Map);
      rest["preset"] = "aws-standard";
      for (const auto& kv : body)
        if (kv.first.Scalar() != "preset") rest[kv.first.Scalar()] = kv.second;
      layers.emplace_back(read_retry(src, rest));
      layers.emplace_back(models::client::AwsRateConfig{});
    } else if (kind == "retry") {
      layers.emplace_back(read_retry(src, body));
    } else {
      src.fail(key, fmt::format("unknown client layer '{}': expected one of {}{}", kind,
                                fmt::join(kinds, ", "), did_you_mean(kind, kinds)));
    }
  }
  if (queue)
    src.fail(queue->at, "a queue layer bounds the waiting room of the gate after it: put a "
                        "semaphore or ramp right after it");
  if (layers.size() > 200) src.fail(n, "too many client layers (at most 200)");
  return layers;
}


}  // namespace ratesim::scenario
