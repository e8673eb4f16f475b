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
#include "sim/scenario/retry_presets.hpp"
#include "sim/scenario/units.hpp"

namespace ratesim::scenario {

using models::provider::ProviderConfig;
using kernel::Duration;
using namespace std::chrono_literals;

namespace {

using models::client::LayerConfig;

struct RetryLayer {
  models::client::RetryConfig config;
  RetryExpansion expands = RetryExpansion::kNone;
};

RetryLayer read_retry(const Source& src, const YAML::Node& n) {
  using namespace models::client;
  MapReader m(src, n.IsNull() ? YAML::Node(YAML::NodeType::Map) : n, "retry layer");
  RetryLayer layer;
  RetryConfig& c = layer.config;
  if (auto v = m.get("preset"); v.IsDefined()) {
    std::vector<std::string> names;
    for (const RetryPreset& p : retry_presets()) names.emplace_back(p.name);
    const RetryPreset& p = retry_presets()[read_choice(src, v, "preset", names)];
    c = p.settings();
    layer.expands = p.expands;
  }
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
  if (auto v = m.get("backoff"); v.IsDefined()) c.backoff = read_enum(src, v, "backoff", kBackoffs);
  if (auto v = m.get("base"); v.IsDefined()) c.base = read_duration(src, v, "base");
  if (auto v = m.get("cap"); v.IsDefined()) {
    c.cap = read_duration(src, v, "cap");
    if (c.cap < c.base)
      src.fail(v, fmt::format("invalid duration {} for 'cap': expected at least 'base' ({})",
                              quote(v), format_duration(c.base)));
  }
  if (auto v = m.get("jitter"); v.IsDefined()) c.jitter = read_enum(src, v, "jitter", kJitters);
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
  return layer;
}

/// A `queue` layer's bound, waiting for the gate after it.
struct PendingQueue {
  std::uint32_t max;
  models::client::DropPolicy drop;
  YAML::Node at;
};

/// What the layer readers share while one `client:` list is read.
struct Reading {
  const Source& src;
  const ProviderConfig& provider;
  std::vector<LayerConfig>& layers;
  std::optional<PendingQueue>& queue;
};

/// A mapping to read: the layer's body, or an empty mapping for a layer written without one.
YAML::Node body_or_empty(const YAML::Node& body) { return body.IsNull() ? YAML::Node(YAML::NodeType::Map) : body; }

/// A gate's waiting room: its own max_queue and drop, or those of the queue layer before it.
void read_waiting_room(Reading& in, MapReader& m, std::optional<std::uint32_t>& max_queue,
                       models::client::DropPolicy& drop) {
  if (auto v = m.get("max_queue"); v.IsDefined())
    max_queue = static_cast<std::uint32_t>(read_integer(in.src, v, "max_queue", 0, 1'000'000'000));
  if (auto v = m.get("drop"); v.IsDefined()) drop = read_enum(in.src, v, "drop", models::client::kDropPolicies);
  if (in.queue) {
    max_queue = in.queue->max;
    drop = in.queue->drop;
    in.queue.reset();
  }
}

void read_semaphore(Reading& in, const YAML::Node&, const YAML::Node& body) {
  MapReader m(in.src, body, "semaphore layer");
  models::client::SemaphoreConfig c{.limit = static_cast<std::uint32_t>(
                                        read_integer(in.src, m.require("limit"), "limit", 1, 1'000'000'000))};
  read_waiting_room(in, m, c.max_queue, c.drop);
  m.finish();
  in.layers.emplace_back(c);
}

void read_queue(Reading& in, const YAML::Node& key, const YAML::Node& body) {
  MapReader m(in.src, body, "queue layer");
  PendingQueue q{.max = static_cast<std::uint32_t>(read_integer(in.src, m.require("max"), "max", 0, 1'000'000'000)),
                 .drop = models::client::DropPolicy::kNewest,
                 .at = key};
  if (auto v = m.get("drop"); v.IsDefined()) q.drop = read_enum(in.src, v, "drop", models::client::kDropPolicies);
  m.finish();
  in.queue = q;
}

void read_ramp(Reading& in, const YAML::Node&, const YAML::Node& body) {
  const Source& src = in.src;
  MapReader m(src, body, "ramp layer");
  models::client::RampConfig c;
  c.from = static_cast<std::uint32_t>(read_integer(src, m.require("from"), "from", 1, 1'000'000'000));
  const YAML::Node to = m.require("to");
  c.to = static_cast<std::uint32_t>(read_integer(src, to, "to", 1, 1'000'000'000));
  if (c.to < c.from)
    src.fail(to, fmt::format("invalid value {} for 'to': expected at least 'from' ({})", quote(to), c.from));
  c.over = read_duration(src, m.require("over"), "over", 1ms);
  if (auto v = m.get("shape"); v.IsDefined()) c.shape = read_enum(src, v, "shape", models::client::kRampShapes);
  if (auto v = m.get("steps"); v.IsDefined())
    c.steps = static_cast<std::uint32_t>(read_integer(src, v, "steps", 1, 1'000'000));
  read_waiting_room(in, m, c.max_queue, c.drop);
  m.finish();
  in.layers.emplace_back(c);
}

void read_cooldown(Reading& in, const YAML::Node&, const YAML::Node& body) {
  MapReader m(in.src, body_or_empty(body), "cooldown layer");
  models::client::CooldownConfig c;
  if (auto v = m.get("pause"); v.IsDefined()) c.pause = read_duration(in.src, v, "pause", 1ms);
  m.finish();
  in.layers.emplace_back(c);
}

void read_throttle(Reading& in, const YAML::Node&, const YAML::Node& body) {
  const Source& src = in.src;
  MapReader m(src, body_or_empty(body), "throttle layer");
  models::client::ThrottleConfig c;
  if (auto v = m.get("k"); v.IsDefined()) {
    c.k = read_number(src, v, "k", 0);
    // Below 1 the throttle refuses requests even when every one is accepted.
    if (c.k < 1)
      src.fail(v, fmt::format("invalid value {} for 'k': expected at least 1 (the SRE book uses 2)", quote(v)));
  }
  if (auto v = m.get("window"); v.IsDefined()) c.window = read_duration(src, v, "window", 1s);
  m.finish();
  in.layers.emplace_back(c);
}

void read_breaker(Reading& in, const YAML::Node&, const YAML::Node& body) {
  const Source& src = in.src;
  MapReader m(src, body_or_empty(body), "breaker layer");
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
  in.layers.emplace_back(c);
}

void read_retry_budget(Reading& in, const YAML::Node& key, const YAML::Node& body) {
  const Source& src = in.src;
  const bool after_retry = std::any_of(in.layers.begin(), in.layers.end(), [](const auto& l) {
    return std::holds_alternative<models::client::RetryConfig>(l);
  });
  if (!after_retry)
    src.fail(key, "a retry_budget layer meters the retries that re-enter it: put it after (inside) "
                  "a retry layer, e.g. [{retry: {}}, {retry_budget: {}}]");
  MapReader m(src, body_or_empty(body), "retry_budget layer");
  models::client::RetryBudgetConfig c;
  if (auto v = m.get("ratio"); v.IsDefined()) c.ratio = read_number(src, v, "ratio", 0);
  if (auto v = m.get("min_per_s"); v.IsDefined()) c.min_per_s = read_number(src, v, "min_per_s", 0);
  if (auto v = m.get("ttl"); v.IsDefined()) c.ttl = read_duration(src, v, "ttl", 1s);
  m.finish();
  in.layers.emplace_back(c);
}

void read_route(Reading& in, const YAML::Node&, const YAML::Node& body) {
  const Source& src = in.src;
  MapReader m(src, body, "route layer");
  models::client::RouteConfig c;
  std::vector<std::string> names;
  for (const auto& md : in.provider.models) names.push_back(md.name);
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
  in.layers.emplace_back(c);
}

void read_adaptive(Reading& in, const YAML::Node&, const YAML::Node& body) {
  const Source& src = in.src;
  MapReader m(src, body_or_empty(body), "adaptive layer");
  models::client::AdaptiveConfig c;
  if (auto v = m.get("algorithm"); v.IsDefined()) c.algorithm = read_enum(src, v, "algorithm", models::client::kAdaptiveAlgorithms);
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
  in.layers.emplace_back(c);
}

void read_pace(Reading& in, const YAML::Node&, const YAML::Node& body) {
  const Source& src = in.src;
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
  in.layers.emplace_back(c);
}

/// A retry layer, and what its preset brings after it. The body is read as written (positions,
/// duplicate keys and all), whatever the preset.
void read_retry_layer(Reading& in, const YAML::Node&, const YAML::Node& body) {
  const RetryLayer retry = read_retry(in.src, body);
  in.layers.emplace_back(retry.config);
  switch (retry.expands) {
    case RetryExpansion::kCookbook:
      in.layers.emplace_back(models::client::CooldownConfig{.pause = 15s});
      in.layers.emplace_back(models::client::PaceConfig{.limits = {.rpm = 1500, .tpm = 125000}, .retries_first = true});
      break;
    case RetryExpansion::kAwsAdaptive:
      in.layers.emplace_back(models::client::AwsRateConfig{});
      break;
    case RetryExpansion::kNone:
      break;
  }
}

/// Every layer a `client:` list may name, with its reader (in the order the error message lists them).
const std::pair<std::string_view, void (*)(Reading&, const YAML::Node&, const YAML::Node&)> kLayerReaders[] = {
    {"semaphore", read_semaphore}, {"ramp", read_ramp},         {"adaptive", read_adaptive},
    {"pace", read_pace},           {"retry", read_retry_layer}, {"retry_budget", read_retry_budget},
    {"cooldown", read_cooldown},   {"throttle", read_throttle}, {"breaker", read_breaker},
    {"queue", read_queue},         {"route", read_route},
};

}  // namespace

std::vector<models::client::LayerConfig> read_client(const Source& src, const YAML::Node& n,
                                                     const ProviderConfig& provider) {
  if (!n.IsSequence())
    src.fail(n, fmt::format("invalid value {} for 'client': expected a list of layers, outermost "
                            "first, e.g. [{{semaphore: {{limit: 8}}}}, {{retry: {{}}}}]",
                            quote(n)));
  std::vector<LayerConfig> layers;
  std::optional<PendingQueue> queue;  // a `queue` layer bounds the waiting room of the gate right after it
  Reading in{src, provider, layers, queue};
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
    const std::string kind = key.Scalar();
    const auto reader = std::find_if(std::begin(kLayerReaders), std::end(kLayerReaders),
                                     [&](const auto& r) { return r.first == kind; });
    if (reader == std::end(kLayerReaders)) {
      std::vector<std::string> kinds;
      for (const auto& r : kLayerReaders) kinds.emplace_back(r.first);
      src.fail(key, fmt::format("unknown client layer '{}': expected one of {}{}", kind, fmt::join(kinds, ", "),
                                did_you_mean(kind, kinds)));
    }
    reader->second(in, key, item.begin()->second);
  }
  if (queue)
    src.fail(queue->at, "a queue layer bounds the waiting room of the gate after it: put a "
                        "semaphore or ramp right after it");
  if (layers.size() > 200) src.fail(n, "too many client layers (at most 200)");
  return layers;
}

}  // namespace ratesim::scenario
