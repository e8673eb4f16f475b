#include "sim/scenario/scenario_loader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "sim/scenario/did_you_mean.hpp"
#include "sim/scenario/input_error.hpp"
#include "sim/scenario/node_reader.hpp"
#include "sim/scenario/overrides.hpp"
#include "sim/scenario/presets.hpp"
#include "sim/scenario/trace_reader.hpp"
#include "sim/scenario/units.hpp"
#include "models/traffic/arrival_process.hpp"

namespace ratesim::scenario {
namespace {

using kernel::Duration;
using models::WorkloadConfig;
using models::provider::ProviderConfig;
using namespace std::chrono_literals;

/// The most requests one run may bring. At about a microsecond each this is hours of work; more
/// is almost surely a typo in a rate, and would look like a hang.
constexpr std::int64_t kMaxRequests = 10'000'000'000;

bool valid_name(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
}

std::string read_name(const Source& src, const YAML::Node& n, const std::string& field) {
  const std::string s = read_string(src, n, field);
  if (!valid_name(s))
    src.fail(n, fmt::format("invalid name '{}' for '{}': expected letters, digits, '-' and '_' only",
                            s, field));
  return s;
}

// ---- provider ---------------------------------------------------------------------------

models::provider::Limits read_limits(const Source& src, const YAML::Node& n,
                                     const std::string& owner) {
  MapReader m(src, n, "limits of " + owner);
  models::provider::Limits l;
  // A billion per minute is far above any published tier and keeps bucket arithmetic exact.
  constexpr std::int64_t kMaxLimit = 1'000'000'000;
  if (auto v = m.get("rpm"); v.IsDefined()) l.rpm = read_integer(src, v, "rpm", 1, kMaxLimit);
  if (auto v = m.get("itpm"); v.IsDefined()) l.itpm = read_integer(src, v, "itpm", 1, kMaxLimit);
  if (auto v = m.get("otpm"); v.IsDefined()) l.otpm = read_integer(src, v, "otpm", 1, kMaxLimit);
  if (auto v = m.get("tpm"); v.IsDefined()) l.tpm = read_integer(src, v, "tpm", 1, kMaxLimit);
  m.finish();
  if (!l.rpm && !l.itpm && !l.otpm && !l.tpm)
    src.fail(n, fmt::format("limits of {} name no budget: expected at least one of rpm, itpm, "
                            "otpm, tpm",
                            owner));
  return l;
}

models::provider::LimiterKind read_limiter(const Source& src, const YAML::Node& n) {
  return static_cast<models::provider::LimiterKind>(
      read_choice(src, n, "limiter", {"token-bucket", "sliding-window", "fixed-window"}));
}

models::provider::Model read_model(const Source& src, const std::string& name, const YAML::Node& n,
                                   std::optional<models::provider::Limits>& limits,
                                   YAML::Node& limits_node) {
  MapReader m(src, n, "model '" + name + "'");
  models::provider::Model model{.name = name, .group = name, .price = {}, .latency = {}, .cache = {}};
  if (auto g = m.get("group"); g.IsDefined()) model.group = read_name(src, g, "group");
  if (auto l = m.get("limits"); l.IsDefined()) {
    limits = read_limits(src, l, "model '" + name + "'");
    limits_node.reset(l);
  }
  {
    MapReader p(src, m.require("price"), "price of model '" + name + "'");
    model.price.input = read_number(src, p.require("input"), "price.input", 0);
    model.price.output = read_number(src, p.require("output"), "price.output", 0);
    p.finish();
  }
  {
    MapReader lat(src, m.require("latency"), "latency of model '" + name + "'");
    model.latency.ttft = read_distribution(src, lat.require("ttft"), "ttft", Quantity::kSeconds);
    model.latency.output_tps =
        read_distribution(src, lat.require("output_tps"), "output_tps", Quantity::kPerSecond);
    if (auto pf = lat.get("prefill_tps"); pf.IsDefined())
      model.latency.prefill_tps = read_distribution(src, pf, "prefill_tps", Quantity::kPerSecond);
    lat.finish();
  }
  if (auto c = m.get("cache"); c.IsDefined()) {
    MapReader cm(src, c, "cache policy of model '" + name + "'");
    if (auto v = cm.get("min_tokens"); v.IsDefined())
      model.cache.min_tokens = static_cast<std::uint32_t>(read_integer(src, v, "min_tokens", 0, 1'000'000'000));
    if (auto v = cm.get("reads_count"); v.IsDefined())
      model.cache.reads_count = read_bool(src, v, "reads_count");
    cm.finish();
  }
  m.finish();
  return model;
}

bool same_limits(const models::provider::Limits& a, const models::provider::Limits& b) {
  return a.in_order() == b.in_order();
}

models::provider::Acceleration read_acceleration(const Source& src, const YAML::Node& n) {
  models::provider::Acceleration a;
  if (n.IsScalar() && n.Scalar() == "off") return a;
  MapReader m(src, n.IsNull() ? YAML::Node(YAML::NodeType::Map) : n, "acceleration");
  a.enabled = true;
  if (auto v = m.get("floor"); v.IsDefined()) a.floor = read_number(src, v, "floor", 0);
  if (auto v = m.get("max_ratio"); v.IsDefined()) a.max_ratio = read_number(src, v, "max_ratio", 0);
  if (auto v = m.get("short_window"); v.IsDefined())
    a.short_window = read_duration(src, v, "short_window", 1ms);
  if (auto v = m.get("baseline_window"); v.IsDefined())
    a.baseline_window = read_duration(src, v, "baseline_window", 1ms);
  if (auto v = m.get("initial_load"); v.IsDefined())
    a.initial_load = read_number(src, v, "initial_load", 0);
  m.finish();
  return a;
}

double read_probability(const Source& src, const YAML::Node& n, const std::string& field) {
  const double p = read_number(src, n, field, 0);
  if (p > 1)
    src.fail(n, fmt::format("invalid value {} for '{}': expected a probability from 0 to 1",
                            quote(n), field));
  return p;
}

models::provider::Overload read_overload(const Source& src, const YAML::Node& n) {
  MapReader m(src, n, "overload");
  models::provider::Overload o;
  if (auto v = m.get("rate"); v.IsDefined()) o.rate = read_probability(src, v, "rate");
  if (auto v = m.get("incidents"); v.IsDefined()) {
    if (!v.IsSequence())
      src.fail(v, fmt::format("invalid value {} for 'incidents': expected a list of "
                              "{{at, for, rate}}",
                              quote(v)));
    for (const auto& item : v) {
      MapReader im(src, item, "overload incident");
      o.incidents.push_back({.at = read_duration(src, im.require("at"), "at"),
                             .length = read_duration(src, im.require("for"), "for", 1us),
                             .rate = read_probability(src, im.require("rate"), "rate")});
      im.finish();
    }
  }
  m.finish();
  return o;
}

ProviderConfig read_provider(const Source& src, const YAML::Node& n) {
  MapReader m(src, n, "provider");
  ProviderConfig p;
  m.get("preset");  // already merged in by the caller
  models::provider::LimiterKind limiter = models::provider::LimiterKind::kTokenBucket;
  Duration burst = 60s;
  if (auto v = m.get("limiter"); v.IsDefined()) limiter = read_limiter(src, v);
  if (auto v = m.get("burst"); v.IsDefined()) burst = read_duration(src, v, "burst", 1ms, 1h);
  if (auto v = m.get("otpm_accounting"); v.IsDefined())
    p.otpm_accounting = static_cast<models::provider::OtpmAccounting>(
        read_choice(src, v, "otpm_accounting", {"reserve", "actual"}));
  if (auto v = m.get("rejected_consume"); v.IsDefined())
    p.rejected_consume = read_bool(src, v, "rejected_consume");
  if (auto v = m.get("tpm_cost"); v.IsDefined())
    p.tpm_cost = static_cast<models::provider::TpmCost>(
        read_choice(src, v, "tpm_cost", {"input+max_tokens", "max"}));
  if (auto v = m.get("acceleration"); v.IsDefined()) p.acceleration = read_acceleration(src, v);
  if (auto v = m.get("overload"); v.IsDefined()) p.overload = read_overload(src, v);
  if (auto v = m.get("network_delay"); v.IsDefined())
    p.network_delay = read_duration(src, v, "network_delay");
  if (auto v = m.get("batch"); v.IsDefined()) {
    MapReader b(src, v, "batch limits");
    if (auto q = b.get("queue_limit"); q.IsDefined())
      p.batch_queue_limit = static_cast<std::uint64_t>(read_integer(src, q, "queue_limit", 1, kMaxRequests));
    if (auto t = b.get("processing_time"); t.IsDefined())
      p.batch_processing = read_distribution(src, t, "processing_time", Quantity::kSeconds);
    b.finish();
  }
  const YAML::Node groups_node = m.get("groups");
  const YAML::Node models_node = m.require("models");
  m.finish();

  if (!models_node.IsMap() || models_node.size() == 0)
    src.fail(models_node, fmt::format("invalid value {} for 'models': expected a mapping from "
                                      "model names to their limits, price and latency",
                                      quote(models_node)));
  struct GroupSeen {
    models::provider::Group group;
    bool has_limits = false;
    std::string limits_from;  ///< "group settings" or "model 'x'"
    YAML::Node at;            ///< where a missing-limits error points
    bool has_at = false;
    bool used = false;
  };
  std::map<std::string, GroupSeen> seen;
  std::vector<std::string> group_order;
  auto group = [&](const std::string& name) -> GroupSeen& {
    if (!seen.count(name)) {
      group_order.push_back(name);
      seen[name].group = models::provider::Group{.name = name, .limits = {}, .limiter = limiter, .burst = burst};
    }
    return seen[name];
  };
  if (groups_node.IsDefined()) {
    if (!groups_node.IsMap())
      src.fail(groups_node, fmt::format("invalid value {} for 'groups': expected a mapping from "
                                        "group names to their limits and limiter",
                                        quote(groups_node)));
    for (const auto& kv : groups_node) {
      const std::string name = read_name(src, kv.first, "group name");
      GroupSeen& g = group(name);
      MapReader gm(src, kv.second, "group '" + name + "'");
      if (auto v = gm.get("limits"); v.IsDefined()) {
        g.group.limits = read_limits(src, v, "group '" + name + "'");
        g.has_limits = true;
        g.limits_from = "its group settings";
      }
      if (auto v = gm.get("limiter"); v.IsDefined()) g.group.limiter = read_limiter(src, v);
      if (auto v = gm.get("burst"); v.IsDefined()) g.group.burst = read_duration(src, v, "burst", 1ms, 1h);
      gm.finish();
      g.at.reset(kv.first);
      g.has_at = true;
    }
  }
  for (const auto& kv : models_node) {
    const std::string name = read_name(src, kv.first, "model name");
    std::optional<models::provider::Limits> limits;
    YAML::Node limits_node;
    p.models.push_back(read_model(src, name, kv.second, limits, limits_node));
    GroupSeen& g = group(p.models.back().group);
    g.used = true;
    if (limits) {
      if (g.has_limits && !same_limits(g.group.limits, *limits))
        src.fail(limits_node, fmt::format("model '{}' gives limits for group '{}' that differ from "
                                          "those of {}; set them once, under "
                                          "provider.groups.{}.limits",
                                          name, g.group.name, g.limits_from, g.group.name));
      g.group.limits = *limits;
      g.has_limits = true;
      g.limits_from = "model '" + name + "'";
    }
    if (!g.has_at) {
      g.at.reset(kv.first);
      g.has_at = true;
    }
  }
  for (const std::string& name : group_order) {
    const GroupSeen& g = seen[name];
    if (!g.used) continue;  // a preset's group none of whose models is kept
    if (!g.has_limits)
      src.fail(g.at, fmt::format("group '{}' has no limits: give 'limits: {{rpm, itpm, otpm}}' on "
                                 "one of its models or under provider.groups.{}",
                                 name, name));
    p.groups.push_back(g.group);
  }
  return p;
}

// ---- workloads --------------------------------------------------------------------------

models::traffic::OpenTraffic read_traffic(const Source& src, const YAML::Node& n) {
  using models::traffic::Phase;
  if (!n.IsSequence() || n.size() == 0)
    src.fail(n, fmt::format("invalid value {} for 'traffic': expected a list of phases, e.g. "
                            "[{{for: 10m, rate: 2/s}}]",
                            quote(n)));
  models::traffic::OpenTraffic t;
  for (const auto& item : n) {
    MapReader m(src, item, "traffic phase");
    const YAML::Node length = m.get("for");
    const YAML::Node at = m.get("at");
    const std::vector<std::string> shapes{"rate", "ramp_to", "count", "pause", "burst", "sine"};
    std::vector<std::string> given;
    for (const std::string& s : shapes)
      if (m.has(s)) given.push_back(s);
    m.finish();
    if (given.empty())
      src.fail(item, "traffic phase needs one of 'rate', 'ramp_to', 'count', 'pause', 'sine' or "
                     "'burst'");
    if (given.size() > 1)
      src.fail(item, fmt::format("traffic phase has both '{}' and '{}': give one per phase",
                                 given[0], given[1]));
    const std::string& shape = given[0];
    const YAML::Node value = item[shape];
    if (shape == "burst") {
      if (length.IsDefined())
        src.fail(length, "a burst phase happens at one instant: give 'at', not 'for'");
      if (!at.IsDefined()) src.fail(item, "missing key 'at' in burst phase");
      t.bursts.push_back({.at = read_duration(src, at, "at"),
                          .count = static_cast<std::uint64_t>(
                              read_integer(src, value, "burst", 1, kMaxRequests))});
      continue;
    }
    if (at.IsDefined())
      src.fail(at, fmt::format("'at' belongs to burst phases; a '{}' phase takes 'for'", shape));
    if (!length.IsDefined()) src.fail(item, fmt::format("missing key 'for' in traffic phase"));
    Phase p;
    p.length = read_duration(src, length, "for", 1us);
    if (shape == "rate") {
      p.kind = Phase::Kind::kRate;
      p.rate = read_rate(src, value, "rate");
    } else if (shape == "ramp_to") {
      p.kind = Phase::Kind::kRampTo;
      p.rate = read_rate(src, value, "ramp_to");
    } else if (shape == "sine") {
      MapReader sm(src, value, "sine phase");
      p.kind = Phase::Kind::kSine;
      p.rate = read_rate(src, sm.require("mean"), "mean");
      const YAML::Node amplitude = sm.require("amplitude");
      p.amplitude = read_rate(src, amplitude, "amplitude");
      p.period = read_duration(src, sm.require("period"), "period", 1ms);
      sm.finish();
      if (p.amplitude > p.rate)
        src.fail(amplitude, fmt::format("invalid rate {} for 'amplitude': expected at most the "
                                        "mean, so the rate never goes below zero",
                                        quote(amplitude)));
    } else if (shape == "count") {
      p.kind = Phase::Kind::kCount;
      p.count = static_cast<std::uint64_t>(read_integer(src, value, "count", 0, kMaxRequests));
    } else {
      if (!read_bool(src, value, "pause"))
        src.fail(value, "invalid value 'false' for 'pause': a pause phase is written 'pause: true'");
      p.kind = Phase::Kind::kPause;
    }
    t.phases.push_back(p);
  }
  return t;
}

/// The official clients' default retry behaviour (PROVIDERS.md).
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
                                             "none",                  "aws-adaptive"};

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
  m.finish();
  return c;
}

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
      if (auto v = m.get("k"); v.IsDefined()) c.k = read_number(src, v, "k", 0);
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
      constexpr std::int64_t kMaxLimit = 1'000'000'000;
      if (auto v = m.get("rpm"); v.IsDefined()) c.rpm = read_integer(src, v, "rpm", 1, kMaxLimit);
      if (auto v = m.get("itpm"); v.IsDefined()) c.itpm = read_integer(src, v, "itpm", 1, kMaxLimit);
      if (auto v = m.get("otpm"); v.IsDefined()) c.otpm = read_integer(src, v, "otpm", 1, kMaxLimit);
      if (auto v = m.get("tpm"); v.IsDefined()) c.tpm = read_integer(src, v, "tpm", 1, kMaxLimit);
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
      if (!c.rpm && !c.itpm && !c.otpm && !c.tpm)
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
      layers.emplace_back(models::client::PaceConfig{.rpm = 1500, .tpm = 125000, .retries_first = true});
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

models::CacheConfig read_cache(const Source& src, const YAML::Node& n, const std::string& workload) {
  MapReader m(src, n, "cache of workload '" + workload + "'");
  models::CacheConfig c;
  c.prefix_tokens = static_cast<std::uint32_t>(
      read_integer(src, m.require("prefix_tokens"), "prefix_tokens", 1, 1'000'000'000));
  if (auto v = m.get("ttl"); v.IsDefined()) {
    c.ttl = read_duration(src, v, "ttl");
    if (c.ttl != 5min && c.ttl != 1h)
      src.fail(v, fmt::format("invalid value {} for 'ttl': expected 5m or 1h (the provider's two "
                              "cache lifetimes)",
                              quote(v)));
  }
  if (auto v = m.get("keys"); v.IsDefined())
    c.keys = static_cast<std::uint32_t>(read_integer(src, v, "keys", 1, 10'000'000));
  if (auto v = m.get("choose"); v.IsDefined())
    c.choice = static_cast<models::CacheConfig::Choice>(read_choice(src, v, "choose", {"uniform", "zipf"}));
  if (auto v = m.get("zipf_s"); v.IsDefined()) c.zipf_s = read_number(src, v, "zipf_s", 0);
  m.finish();
  return c;
}

WorkloadConfig read_workload(const Source& src, const YAML::Node& n, const ProviderConfig& p) {
  MapReader m(src, n, "workload");
  WorkloadConfig w;
  w.name = read_name(src, m.require("name"), "name");
  m.set_what("workload '" + w.name + "'");
  const YAML::Node model = m.require("model");
  w.model = read_string(src, model, "model");
  std::vector<std::string> model_names;
  for (const auto& md : p.models) model_names.push_back(md.name);
  if (std::find(model_names.begin(), model_names.end(), w.model) == model_names.end())
    src.fail(model, fmt::format("unknown model '{}' in workload '{}'{}: the provider defines {}",
                                w.model, w.name, did_you_mean(w.model, model_names),
                                fmt::join(model_names, ", ")));

  const YAML::Node traffic = m.get("traffic");
  const YAML::Node backlog = m.get("backlog");
  const YAML::Node users = m.get("users");
  const YAML::Node trace = m.get("trace");
  const YAML::Node arrivals = m.get("arrivals");
  const YAML::Node repeat = m.get("repeat");
  if (traffic.IsDefined() + backlog.IsDefined() + users.IsDefined() + trace.IsDefined() != 1)
    src.fail(n, fmt::format("workload '{}' needs exactly one of 'traffic' (open arrivals), "
                            "'backlog' (requests ready at once), 'users' (a closed loop) or "
                            "'trace' (recorded requests)",
                            w.name));
  if (traffic.IsDefined()) {
    w.kind = WorkloadConfig::Kind::kOpen;
    w.traffic = read_traffic(src, traffic);
    if (arrivals.IsDefined())
      w.traffic.arrivals = static_cast<models::traffic::Arrivals>(
          read_choice(src, arrivals, "arrivals", {"poisson", "uniform"}));
    if (repeat.IsDefined())
      w.traffic.repeat = static_cast<std::uint32_t>(read_integer(src, repeat, "repeat", 1, 1'000'000));
    const Duration cycle = w.traffic.cycle();
    if (w.traffic.repeat > 1) {
      if (cycle == Duration{0})
        src.fail(repeat, "'repeat' needs phases with a duration ('for') to repeat");
      for (const auto& b : w.traffic.bursts)
        if (b.at >= cycle)
          src.fail(traffic, fmt::format("a burst at {} lies outside the repeated phases ({} long)",
                                        format_duration(b.at), format_duration(cycle)));
    }
  } else {
    if (arrivals.IsDefined()) src.fail(arrivals, "'arrivals' applies to 'traffic' only");
    if (repeat.IsDefined()) src.fail(repeat, "'repeat' applies to 'traffic' only");
  }
  if (trace.IsDefined()) {
    w.kind = WorkloadConfig::Kind::kTrace;
    MapReader t(src, trace, "trace");
    const YAML::Node file = t.require("file");
    double time_scale = 1;
    if (auto v = t.get("time_scale"); v.IsDefined()) time_scale = read_number(src, v, "time_scale", 0);
    if (auto v = t.get("rate_scale"); v.IsDefined()) w.trace.rate_scale = read_number(src, v, "rate_scale", 0);
    t.finish();
    // Relative paths are resolved from the scenario file's folder.
    std::filesystem::path path = read_string(src, file, "file");
    if (path.is_relative()) path = std::filesystem::path(src.file()).parent_path() / path;
    if (!std::filesystem::exists(path))
      src.fail(file, fmt::format("cannot open trace file '{}': no such file", path.string()));
    const double rate_scale = w.trace.rate_scale;
    w.trace = read_trace(path.string(), time_scale);
    w.trace.rate_scale = rate_scale;
    for (const std::string& model_name : w.trace.models) {
      if (p.models.end() == std::find_if(p.models.begin(), p.models.end(),
                                         [&](const auto& md) { return md.name == model_name; }))
        src.fail(file, fmt::format("trace '{}' names model '{}', which the provider does not define",
                                   path.string(), model_name));
    }
    if (w.trace.records.size() * std::max(1.0, rate_scale) > static_cast<double>(kMaxRequests))
      src.fail(file, "the trace would bring more than 1e10 requests");
  }
  if (users.IsDefined()) {
    w.kind = WorkloadConfig::Kind::kUsers;
    MapReader u(src, users, "users");
    w.users.count = static_cast<std::uint64_t>(read_integer(src, u.require("count"), "count", 1, 10'000'000));
    w.users.think = read_distribution(src, u.require("think"), "think", Quantity::kSeconds);
    u.finish();
  } else if (backlog.IsDefined()) {
    w.kind = WorkloadConfig::Kind::kBacklog;
    MapReader b(src, backlog, "backlog");
    w.backlog.count = static_cast<std::uint64_t>(
        read_integer(src, b.require("count"), "count", 0, kMaxRequests));
    if (auto at = b.get("at"); at.IsDefined()) w.backlog.at = read_duration(src, at, "at");
    b.finish();
  }
  // A trace brings its own sizes; max_tokens is needed unless its column is there.
  const bool traced = w.kind == WorkloadConfig::Kind::kTrace;
  auto sizes = [&](const char* key) { return traced ? m.get(key) : m.require(key); };
  if (auto v = sizes("input_tokens"); v.IsDefined())
    w.input_tokens = read_distribution(src, v, "input_tokens", Quantity::kTokens);
  if (auto v = sizes("output_tokens"); v.IsDefined())
    w.output_tokens = read_distribution(src, v, "output_tokens", Quantity::kTokens);
  const bool trace_has_max = traced && std::all_of(w.trace.records.begin(), w.trace.records.end(),
                                                   [](const auto& r) { return r.max_tokens > 0; });
  if (auto v = trace_has_max ? m.get("max_tokens") : m.require("max_tokens"); v.IsDefined())
    w.max_tokens = read_distribution(src, v, "max_tokens", Quantity::kTokens);
  if (auto c = m.get("cache"); c.IsDefined()) w.cache = read_cache(src, c, w.name);
  // A trace's cached_tokens column needs a cache to read and write: 5-minute entries, one key,
  // unless the workload says otherwise.
  if (traced && !w.cache &&
      std::any_of(w.trace.records.begin(), w.trace.records.end(),
                  [](const auto& r) { return r.cached_tokens > 0; }))
    w.cache = models::CacheConfig{};
  const YAML::Node deadline = m.get("deadline");
  const YAML::Node client = m.get("client");
  if (deadline.IsDefined()) w.deadline = read_duration(src, deadline, "deadline", 1us);
  if (client.IsDefined()) w.client = read_client(src, client, p);
  const YAML::Node api = m.get("api");
  const YAML::Node batch = m.get("batch");
  const bool batch_api = api.IsDefined() && read_choice(src, api, "api", {"messages", "batch"}) == 1;
  if (batch.IsDefined() && !batch_api)
    src.fail(batch, "'batch' settings need 'api: batch' on the workload");
  if (batch_api) {
    if (client.IsDefined())
      src.fail(client, "client layers do not apply to 'api: batch' workloads: the Batch API "
                       "takes whole batches");
    if (deadline.IsDefined())
      src.fail(deadline, "'deadline' does not apply to 'api: batch' workloads: batch results "
                         "come when the batch ends (at most 24h)");
    w.batch = models::BatchConfig{};
    if (batch.IsDefined()) {
      MapReader b(src, batch, "batch settings of workload '" + w.name + "'");
      if (auto v = b.get("size"); v.IsDefined())
        w.batch->size = static_cast<std::uint64_t>(read_integer(src, v, "size", 1, 100'000));
      if (auto v = b.get("every"); v.IsDefined()) w.batch->every = read_duration(src, v, "every", 1ms);
      b.finish();
    }
  }
  m.finish();
  return w;
}

// ---- scenario ---------------------------------------------------------------------------

Scenario read_scenario(const Source& src, const YAML::Node& root) {
  MapReader m(src, root, "scenario");
  Scenario s;
  s.file = src.file();
  s.name = read_string(src, m.require("name"), "name");
  if (auto v = m.get("seed"); v.IsDefined())
    s.world.seed = static_cast<std::uint64_t>(read_integer(src, v, "seed", 0));
  s.world.duration = read_duration(src, m.require("duration"), "duration", 1us);
  s.world.provider = read_provider(src, m.require("provider"));
  const YAML::Node workloads = m.require("workloads");
  const YAML::Node variants = m.get("variants");
  m.finish();
  if (variants.IsDefined()) {
    if (!variants.IsMap())
      src.fail(variants, fmt::format("invalid value {} for 'variants': expected a mapping from "
                                     "variant names to overrides (PATH: VALUE)",
                                     quote(variants)));
    for (const auto& kv : variants) {
      const std::string name = read_name(src, kv.first, "variant name");
      if (!kv.second.IsMap() || kv.second.size() == 0)
        src.fail(kv.second, fmt::format("invalid value {} for variant '{}': expected a mapping of "
                                        "overrides, e.g. {{workloads.chat.deadline: 30s}}",
                                        quote(kv.second), name));
      s.variants.push_back(name);
    }
  }
  if (!workloads.IsSequence() || workloads.size() == 0)
    src.fail(workloads, fmt::format("invalid value {} for 'workloads': expected a list of "
                                    "workloads",
                                    quote(workloads)));
  if (workloads.size() > 1000) src.fail(workloads, "too many workloads (at most 1000)");
  for (const auto& w : workloads) {
    WorkloadConfig wc = read_workload(src, w, s.world.provider);
    for (const auto& other : s.world.workloads)
      if (other.name == wc.name)
        src.fail(w["name"], fmt::format("duplicate workload name '{}'", wc.name));
    const double expected = wc.kind == WorkloadConfig::Kind::kOpen
                                ? models::traffic::expected_arrivals(wc.traffic, s.world.duration)
                            : wc.kind == WorkloadConfig::Kind::kBacklog ? static_cast<double>(wc.backlog.count)
                                                                        : 0.0;
    if (expected > static_cast<double>(kMaxRequests))
      src.fail(w, fmt::format("workload '{}' would bring about {:.3g} requests within the horizon; "
                              "one run simulates at most {:.0e}: check its rates and counts",
                              wc.name, expected, static_cast<double>(kMaxRequests)));
    s.world.workloads.push_back(std::move(wc));
  }
  return s;
}

}  // namespace

namespace {

YAML::Node child(const YAML::Node& map, const std::string& key) {
  for (const auto& kv : map)
    if (kv.first.IsScalar() && kv.first.Scalar() == key) return kv.second;
  return YAML::Node(YAML::NodeType::Undefined);
}

/// `over` laid on `base`: mappings merge key by key, anything else in `over` replaces. Builds
/// new mapping nodes and mutates neither input, so every leaf keeps its origin for messages.
YAML::Node merge(const YAML::Node& base, const YAML::Node& over) {
  if (!base.IsMap() || !over.IsMap()) return over;
  YAML::Node out(YAML::NodeType::Map);
  for (const auto& kv : base) {
    const std::string key = kv.first.Scalar();
    const YAML::Node o = child(over, key);
    out[key] = o.IsDefined() ? merge(kv.second, o) : kv.second;
  }
  for (const auto& kv : over)
    if (!child(base, kv.first.Scalar()).IsDefined()) out[kv.first.Scalar()] = kv.second;
  return out;
}

bool sets_preset(const std::string& assignment) {
  return assignment.rfind("provider.preset=", 0) == 0;
}

/// Parses the text, lays the scenario's provider over its preset and applies the overrides.
YAML::Node prepare(const std::string& text, Source& src, const std::vector<std::string>& sets) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    src.fail_at(e.mark, "YAML syntax error: " + e.msg);
  }
  if (!root.IsMap())
    src.fail_at(root.Mark().is_null() ? YAML::Mark() : root.Mark(),
                "expected a scenario: a mapping with name, duration, provider and workloads");
  // The preset is chosen first, so that the other overrides can reach into what it brings.
  for (const std::string& set : sets)
    if (sets_preset(set)) apply_set(root, set, src);
  const YAML::Node provider = child(root, "provider");
  if (provider.IsMap()) {
    if (const YAML::Node name = child(provider, "preset"); name.IsDefined()) {
      const std::string wanted = read_string(src, name, "preset");
      const auto preset = find_preset(wanted);
      if (!preset) {
        std::vector<std::string> names;
        for (const Preset& p : presets()) names.emplace_back(p.name);
        src.fail(name, fmt::format("unknown preset '{}'{}: expected one of {} (see 'ratesim "
                                   "presets')",
                                   wanted, did_you_mean(wanted, names), fmt::join(names, ", ")));
      }
      const YAML::Node preset_root = YAML::Load(std::string(preset->text));
      src.add_file(preset_root, "presets/" + std::string(preset->name) + ".yaml");
      YAML::Node merged = merge(child(preset_root, "provider"), provider);
      merged.remove("preset");  // expanded: the resolved scenario stands on its own
      root["provider"] = merged;
    }
  }
  for (const std::string& set : sets)
    if (!sets_preset(set)) apply_set(root, set, src);
  return root;
}

Scenario read_checked(const Source& src, const YAML::Node& root) {
  try {
    return read_scenario(src, root);
  } catch (const YAML::Exception& e) {
    // yaml-cpp throws on malformed structure it only discovers while reading (rare).
    src.fail_at(e.mark, e.msg);
  }
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, 0, 0, fmt::format("cannot open scenario file: {}", std::strerror(errno)));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

namespace {

/// Lays variant `name`'s overrides on a fresh parse of `text` and reads the result.
Scenario read_variant(const std::string& text, const std::string& label,
                      const std::vector<std::string>& sets, const YAML::Node& overrides,
                      const std::string& name) {
  Source src(label);
  YAML::Node root = prepare(text, src, sets);
  for (const auto& kv : overrides) {
    const std::string path = read_string(src, kv.first, "variant path");
    if (const std::string problem = apply_path(root, path, kv.second); !problem.empty())
      src.fail(kv.first, fmt::format("in variant '{}': {}", name, problem));
  }
  Scenario s = read_checked(src, root);
  s.variant = name;
  return s;
}

YAML::Node variant_overrides(const YAML::Node& root, const std::string& name) {
  const YAML::Node variants = child(root, "variants");
  return variants.IsMap() ? child(variants, name) : YAML::Node(YAML::NodeType::Undefined);
}

}  // namespace

Scenario load_scenario_text(const std::string& text, const std::string& label,
                            const std::vector<std::string>& sets) {
  Source src(label);
  const YAML::Node root = prepare(text, src, sets);
  Scenario s = read_checked(src, root);
  // Nothing runs until every variant is valid too.
  for (const std::string& name : s.variants)
    read_variant(text, label, sets, variant_overrides(root, name), name);
  return s;
}

Scenario load_scenario_variant(const std::string& path, const std::string& variant,
                               const std::vector<std::string>& sets) {
  const std::string text = read_text(path);
  Source src(path);
  const YAML::Node root = prepare(text, src, sets);
  const Scenario base = read_checked(src, root);
  if (std::find(base.variants.begin(), base.variants.end(), variant) == base.variants.end())
    throw InputError(path, 0, 0,
                     fmt::format("no variant '{}'{}: the scenario has {}", variant,
                                 did_you_mean(variant, base.variants),
                                 base.variants.empty() ? "none" : fmt::format("{}", fmt::join(base.variants, ", "))));
  return read_variant(text, path, sets, variant_overrides(root, variant), variant);
}

std::string resolved_scenario_yaml(const std::string& path, const std::vector<std::string>& sets) {
  Source src(path);
  const YAML::Node root = prepare(read_text(path), src, sets);
  read_checked(src, root);  // only a valid scenario is printed
  YAML::Emitter out;
  out << root;
  return std::string(out.c_str()) + "\n";
}

Scenario load_scenario_file(const std::string& path, const std::vector<std::string>& sets) {
  return load_scenario_text(read_text(path), path, sets);
}

}  // namespace ratesim::scenario
