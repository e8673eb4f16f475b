#include "sim/scenario/provider_reader.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <optional>

#include "models/provider/acceleration_model.hpp"
#include "sim/scenario/did_you_mean.hpp"
#include "sim/scenario/input_error.hpp"
#include "sim/scenario/node_reader.hpp"
#include "sim/scenario/units.hpp"

namespace ratesim::scenario {

using models::provider::ProviderConfig;
using kernel::Duration;
using namespace std::chrono_literals;

models::provider::Limits read_limit_keys(const Source& src, MapReader& m) {
  models::provider::Limits l;
  // A billion per minute is far above any published tier and keeps bucket arithmetic exact.
  constexpr std::int64_t kMaxLimit = 1'000'000'000;
  for (std::size_t b = 0; b < models::kBudgetCount; ++b) {
    const std::string key(models::kCauses[b].name);
    if (auto v = m.get(key.c_str()); v.IsDefined()) l.at(b) = read_integer(src, v, key, 1, kMaxLimit);
  }
  return l;
}

std::string budget_names() {
  std::vector<std::string_view> names;
  for (std::size_t b = 0; b < models::kBudgetCount; ++b) names.push_back(models::kCauses[b].name);
  return fmt::format("{}", fmt::join(names, ", "));
}

namespace {

models::provider::Limits read_limits(const Source& src, const YAML::Node& n,
                                     const std::string& owner) {
  MapReader m(src, n, "limits of " + owner);
  const models::provider::Limits l = read_limit_keys(src, m);
  m.finish();
  if (!l.any())
    src.fail(n, fmt::format("limits of {} name no budget: expected at least one of {}", owner, budget_names()));
  return l;
}

models::provider::LimiterKind read_limiter(const Source& src, const YAML::Node& n) {
  return read_enum(src, n, "limiter", models::provider::kLimiterKinds);
}

/// `price: {input, output, cache_read, long_prompt: {over_tokens, input, output, cache_read}}`,
/// USD per million tokens; cache_read and long_prompt may be left out (price.hpp says what an
/// absent one means).
models::provider::Price read_price(const Source& src, const YAML::Node& n, const std::string& model) {
  MapReader p(src, n, "price of model '" + model + "'");
  models::provider::Price price;
  price.input = read_number(src, p.require("input"), "price.input", 0);
  price.output = read_number(src, p.require("output"), "price.output", 0);
  if (auto v = p.get("cache_read"); v.IsDefined()) price.cache_read = read_number(src, v, "price.cache_read", 0);
  if (auto l = p.get("long_prompt"); l.IsDefined()) {
    MapReader lm(src, l, "long-prompt price of model '" + model + "'");
    models::provider::LongPromptPrice band;
    // A prompt has at least one token, so 0 would make every request long: surely a mistake.
    band.over_tokens = static_cast<std::uint32_t>(read_integer(src, lm.require("over_tokens"), "price.long_prompt.over_tokens",
                                                               1, static_cast<std::int64_t>(kMaxTokens)));
    band.input = read_number(src, lm.require("input"), "price.long_prompt.input", 0);
    band.output = read_number(src, lm.require("output"), "price.long_prompt.output", 0);
    if (auto v = lm.get("cache_read"); v.IsDefined())
      band.cache_read = read_number(src, v, "price.long_prompt.cache_read", 0);
    lm.finish();
    price.long_prompt = band;
  }
  p.finish();
  return price;
}

/// `unconfirmed: "<why>"`: a model whose figures no primary source confirms.
std::string read_unconfirmed(const Source& src, const YAML::Node& n, const std::string& model) {
  const std::string why = n.IsScalar() ? n.Scalar() : std::string();
  if (why.empty())
    src.fail(n, fmt::format("invalid value {} for 'unconfirmed' of model '{}': expected the reason its figures "
                            "are not confirmed, e.g. \"seen only in secondary copies of the rate-limits page\"",
                            quote(n), model));
  return why;
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
  model.price = read_price(src, m.require("price"), name);
  {
    MapReader lat(src, m.require("latency"), "latency of model '" + name + "'");
    model.latency.ttft = read_distribution(src, lat.require("ttft"), "ttft", Quantity::kSeconds);
    model.latency.output_tps =
        read_distribution(src, lat.require("output_tps"), "output_tps", Quantity::kPerSecond);
    if (auto pf = lat.get("prefill_tps"); pf.IsDefined())
      model.latency.prefill_tps = read_distribution(src, pf, "prefill_tps", Quantity::kPerSecond);
    lat.finish();
  }
  if (auto u = m.get("unconfirmed"); u.IsDefined()) model.unconfirmed = read_unconfirmed(src, u, name);
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

models::provider::Acceleration read_profile(const Source& src, const YAML::Node& n) {
  const auto& names = models::provider::acceleration_profile_names();
  return *models::provider::acceleration_profile(names[read_choice(src, n, "acceleration profile", names)]);
}

/// `acceleration:` is a profile name, or a mapping whose keys override a profile's (`profile`,
/// default moderate).
models::provider::Acceleration read_acceleration(const Source& src, const YAML::Node& n) {
  if (n.IsScalar() && !n.IsNull()) return read_profile(src, n);
  MapReader m(src, n.IsNull() ? YAML::Node(YAML::NodeType::Map) : n, "acceleration");
  models::provider::Acceleration a = *models::provider::acceleration_profile("moderate");
  if (auto v = m.get("profile"); v.IsDefined()) a = read_profile(src, v);
  bool overridden = false;
  auto number = [&](const char* key, double& field, double hi) {
    if (auto v = m.get(key); v.IsDefined()) {
      field = read_number(src, v, key, 0);
      if (field > hi)
        src.fail(v, fmt::format("invalid value {} for '{}': expected at most {}", quote(v), key, hi));
      overridden = true;
    }
  };
  auto duration = [&](const char* key, Duration& field) {
    if (auto v = m.get(key); v.IsDefined()) {
      field = read_duration(src, v, key, 1s, 24h);
      overridden = true;
    }
  };
  number("floor", a.floor, 100);
  number("max_ratio", a.max_ratio, 1000);
  // Below 1 even a steady load at its own baseline would be refused.
  if (auto v = m.get("max_ratio"); v.IsDefined() && a.max_ratio < 1)
    src.fail(v, fmt::format("invalid value {} for 'max_ratio': expected 1 to 1000 (below 1 a steady load "
                            "would be refused)",
                            quote(v)));
  duration("short_window", a.short_window);
  duration("baseline_window", a.baseline_window);
  if (auto v = m.get("initial_load"); v.IsDefined()) {
    // `steady`: the scenario's own mean load over its first ten minutes (measured before the run).
    a.initial_load_steady = v.IsScalar() && v.Scalar() == "steady";
    if (a.initial_load_steady) a.initial_load = 0;
    else if (v.IsScalar() && !parse_number(v.Scalar()))
      src.fail(v, fmt::format("invalid value {} for 'initial_load': expected a share of the limits (a number "
                              ">= 0, e.g. 0.4) or 'steady' (the scenario's own mean load over its first 10 "
                              "minutes)",
                              quote(v)));
    else a.initial_load = read_number(src, v, "initial_load", 0);
  }
  m.finish();
  // Custom values on an `off` profile switch the model on: they can only mean that.
  if (overridden && !a.enabled) a = models::provider::Acceleration{
      .enabled = true, .profile = "custom", .floor = a.floor, .max_ratio = a.max_ratio,
      .short_window = a.short_window, .baseline_window = a.baseline_window, .initial_load = a.initial_load,
      .initial_load_steady = a.initial_load_steady};
  return a;
}

models::provider::SpendLimit read_spend_limit(const Source& src, const YAML::Node& n) {
  MapReader m(src, n, "spend_limit");
  models::provider::SpendLimit l;
  l.monthly_usd = read_number(src, m.require("monthly_usd"), "monthly_usd", 0.01);
  if (auto v = m.get("spent_usd"); v.IsDefined()) l.spent_usd = read_number(src, v, "spent_usd", 0);
  m.finish();
  return l;
}

models::ShouldRetry read_should_retry(const Source& src, const YAML::Node& n, const char* field) {
  return read_enum(src, n, field, models::kShouldRetryHeaders);
}

models::provider::ShouldRetryHeaders read_should_retry_headers(const Source& src, const YAML::Node& n) {
  MapReader m(src, n, "x_should_retry");
  models::provider::ShouldRetryHeaders h;
  if (auto v = m.get("rate_limit"); v.IsDefined()) h.rate_limit = read_should_retry(src, v, "rate_limit");
  if (auto v = m.get("acceleration"); v.IsDefined()) h.acceleration = read_should_retry(src, v, "acceleration");
  if (auto v = m.get("spend"); v.IsDefined()) h.spend = read_should_retry(src, v, "spend");
  if (auto v = m.get("overload"); v.IsDefined()) h.overload = read_should_retry(src, v, "overload");
  m.finish();
  return h;
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

/// The limit groups and the models, each model in its group; a group's limits come from its own
/// settings or from one of its models (they must agree), and every group in use needs them.
void read_groups_and_models(const Source& src, const YAML::Node& groups_node, const YAML::Node& models_node,
                            models::provider::LimiterKind limiter, Duration burst, ProviderConfig& p) {
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
}

/// `workspaces: {NAME: {limits: {GROUP: {rpm, itpm, otpm}}}}`: each workspace's caps on the
/// organization's groups. A cap may not exceed the organization's limit (Anthropic's workspace
/// limits are at most the organization's); a budget a workspace does not cap is the
/// organization's alone.
std::vector<models::provider::Workspace> read_workspaces(const Source& src, const YAML::Node& n,
                                                         const std::vector<models::provider::Group>& groups) {
  if (!n.IsMap())
    src.fail(n, fmt::format("invalid value {} for 'workspaces': expected a mapping from workspace names to "
                            "{{limits: {{GROUP: {{{}}}}}}}",
                            quote(n), budget_names()));
  std::vector<std::string> group_names;
  for (const auto& g : groups) group_names.push_back(g.name);
  std::vector<models::provider::Workspace> out;
  for (const auto& kv : n) {
    models::provider::Workspace w{.name = read_name(src, kv.first, "workspace name"), .caps = {}};
    const std::string what = "workspace '" + w.name + "'";
    MapReader wm(src, kv.second.IsNull() ? YAML::Node(YAML::NodeType::Map) : kv.second, what);
    if (const YAML::Node limits = wm.get("limits"); limits.IsDefined()) {
      if (!limits.IsMap())
        src.fail(limits, fmt::format("invalid value {} for 'limits' of {}: expected a mapping from limit groups "
                                     "({}) to budgets",
                                     quote(limits), what, fmt::join(group_names, ", ")));
      for (const auto& g : limits) {
        const std::string group = read_name(src, g.first, "group name");
        const auto it = std::find(group_names.begin(), group_names.end(), group);
        if (it == group_names.end())
          src.fail(g.first, fmt::format("unknown limit group '{}' in {}{}: the provider's groups are {}", group, what,
                                        did_you_mean(group, group_names), fmt::join(group_names, ", ")));
        const models::provider::Limits caps = read_limits(src, g.second, what + ", group '" + group + "'");
        const models::provider::Group& org_group = groups[static_cast<std::size_t>(it - group_names.begin())];
        const models::provider::Limits& org = org_group.limits;
        const std::string from = org_group.limits_source.empty() ? "" : " (from " + org_group.limits_source + ")";
        for (std::size_t b = 0; b < models::kBudgetCount; ++b) {
          if (!caps.at(b)) continue;
          const std::string key(models::kCauses[b].name);
          if (!org.at(b))
            src.fail(g.second[key], fmt::format("{} caps {} of group '{}', which the organization does not limit: "
                                                "expected only budgets the group has",
                                                what, key, group));
          if (*caps.at(b) > *org.at(b))
            src.fail(g.second[key], fmt::format("invalid value {} for '{}' of {}, group '{}': expected at most the "
                                                "organization's limit {}{} (a workspace's cap can only be lower)",
                                                *caps.at(b), key, what, group, *org.at(b), from));
        }
        w.caps.push_back({.group = group, .limits = caps});
      }
    }
    wm.finish();
    out.push_back(std::move(w));
  }
  return out;
}

}  // namespace

void read_workspaces_key(const Source& src, const YAML::Node& provider, ProviderConfig& p) {
  for (const auto& kv : provider)
    if (kv.first.IsScalar() && kv.first.Scalar() == "workspaces" && !kv.second.IsNull())
      p.workspaces = read_workspaces(src, kv.second, p.groups);
}

ProviderConfig read_provider(const Source& src, const YAML::Node& n) {
  MapReader m(src, n, "provider");
  ProviderConfig p;
  m.get("preset");  // already merged in by the caller
  m.get("rate_limits");  // laid over the groups by the loader (rate_limits_key.hpp)
  models::provider::LimiterKind limiter = models::provider::LimiterKind::kTokenBucket;
  Duration burst = 60s;
  if (auto v = m.get("limiter"); v.IsDefined()) limiter = read_limiter(src, v);
  if (auto v = m.get("burst"); v.IsDefined()) burst = read_duration(src, v, "burst", 1ms, 1h);
  if (auto v = m.get("otpm_accounting"); v.IsDefined())
    p.otpm_accounting = read_enum(src, v, "otpm_accounting", models::provider::kOtpmAccountings);
  if (auto v = m.get("rejected_consume"); v.IsDefined())
    p.rejected_consume = read_bool(src, v, "rejected_consume");
  if (auto v = m.get("tpm_cost"); v.IsDefined())
    p.tpm_cost = read_enum(src, v, "tpm_cost", models::provider::kTpmCosts);
  if (auto v = m.get("acceleration"); v.IsDefined()) p.acceleration = read_acceleration(src, v);
  if (auto v = m.get("overload"); v.IsDefined()) p.overload = read_overload(src, v);
  if (auto v = m.get("spend_limit"); v.IsDefined() && !(v.IsScalar() && v.Scalar() == "off"))
    p.spend_limit = read_spend_limit(src, v);
  if (auto v = m.get("x_should_retry"); v.IsDefined()) p.should_retry = read_should_retry_headers(src, v);
  if (auto v = m.get("network_delay"); v.IsDefined())
    p.network_delay = read_duration(src, v, "network_delay");
  if (auto v = m.get("batch"); v.IsDefined()) {
    MapReader b(src, v, "batch limits");
    if (auto q = b.get("queue_limit"); q.IsDefined())
      p.batch_queue_limit = static_cast<std::uint64_t>(read_integer(src, q, "queue_limit", 1, kMaxRequests));
    if (auto r = b.get("rpm"); r.IsDefined()) p.batch_rpm = read_integer(src, r, "batch.rpm", 1, 1'000'000'000);
    if (auto t = b.get("processing_time"); t.IsDefined())
      p.batch_processing = read_distribution(src, t, "processing_time", Quantity::kSeconds);
    b.finish();
  }
  const YAML::Node groups_node = m.get("groups");
  const YAML::Node models_node = m.require("models");
  m.get("workspaces");  // read once the groups are final (read_workspaces_key)
  m.finish();

  read_groups_and_models(src, groups_node, models_node, limiter, burst, p);
  return p;
}

}  // namespace ratesim::scenario
