#include "sim/scenario/assumptions.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>

#include <yaml-cpp/yaml.h>

#include "models/provider/acceleration_model.hpp"
#include "sim/scenario/presets.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/units.hpp"

namespace ratesim::scenario {
namespace {

using kernel::Duration;
using models::provider::Acceleration;
using models::provider::ProviderConfig;

std::string number(double x) { return fmt::format("{:g}", x); }

std::string seconds(double s) { return format_duration(kernel::from_seconds(s)); }

/// A distribution as a scenario would write it, short.
std::string describe(const kernel::Distribution& d, bool in_seconds) {
  auto v = [&](double x) { return in_seconds ? seconds(x) : number(x); };
  using K = kernel::Distribution::Kind;
  switch (d.kind) {
    case K::kConstant: return v(d.a);
    case K::kUniform: return fmt::format("uniform {}..{}", v(d.a), v(d.b));
    case K::kNormal: return fmt::format("normal mean {} sd {}", v(d.a), v(d.b));
    case K::kLognormal: return fmt::format("lognormal median {} sigma {}", v(d.a), number(d.b));
    case K::kExponential: return fmt::format("exponential mean {}", v(d.a));
    case K::kEmpirical: return fmt::format("empirical, mean {}", v(d.mean()));
  }
  return "?";
}

std::string describe(const models::provider::Limits& l) {
  std::vector<std::string> parts;
  for (std::size_t i = 0; i < models::kBudgetCount; ++i)
    if (const auto& v = l.at(i)) parts.push_back(fmt::format("{} {}", models::kCauses[i].name, *v));
  return fmt::format("{}", fmt::join(parts, ", "));
}

/// A price as the ledger shows it; the keys a model leaves out are not named.
std::string describe(const models::provider::Price& p) {
  std::string out = fmt::format("input {}, output {}", number(p.input), number(p.output));
  if (p.cache_read) out += fmt::format(", cache read {}", number(*p.cache_read));
  if (const auto& l = p.long_prompt) {
    out += fmt::format("; prompts over {} tokens: input {}, output {}", l->over_tokens, number(l->input), number(l->output));
    if (l->cache_read) out += fmt::format(", cache read {}", number(*l->cache_read));
  }
  return out + " USD per million tokens";
}

std::string describe(const Acceleration& a) {
  if (!a.enabled) return "off";
  const auto p = models::provider::acceleration_profile(a.profile);
  if (p && p->floor == a.floor && p->max_ratio == a.max_ratio && p->short_window == a.short_window &&
      p->baseline_window == a.baseline_window)
    return a.profile;
  return fmt::format("floor {}, max_ratio {}, short_window {}, baseline_window {}", number(a.floor),
                     number(a.max_ratio), format_duration(a.short_window),
                     format_duration(a.baseline_window));
}

}  // namespace

std::set<std::string> used_models(const Scenario& s) {
  std::set<std::string> out;
  const auto& models = s.world.provider.models;
  for (const auto& w : s.world.workloads) {
    out.insert(w.model);
    out.insert(w.trace.models.begin(), w.trace.models.end());
    for (const auto& layer : w.client)
      if (const auto* route = std::get_if<models::client::RouteConfig>(&layer)) {
        for (const auto& rule : route->rules) out.insert(models[rule.model].name);
        for (const auto& [m, weight] : route->weights) out.insert(models[m].name);
        if (route->fallback) out.insert(models[*route->fallback].name);
      }
  }
  return out;
}

namespace {

const models::provider::Model* find_model(const ProviderConfig& p, const std::string& name) {
  for (const auto& m : p.models)
    if (m.name == name) return &m;
  return nullptr;
}

const models::provider::Group* find_group(const ProviderConfig& p, const std::string& name) {
  for (const auto& g : p.groups)
    if (g.name == name) return &g;
  return nullptr;
}

/// Scales every used model's service time by `f`: time to first token × f, speeds ÷ f.
void scale_latency(Scenario& s, const std::string& model, double f) {
  for (auto& m : s.world.provider.models) {
    if (m.name != model) continue;
    m.latency.ttft = m.latency.ttft.scaled(f);
    m.latency.output_tps = m.latency.output_tps.scaled(1 / f);
    if (m.latency.prefill_tps) m.latency.prefill_tps = m.latency.prefill_tps->scaled(1 / f);
  }
}

void set_profile(Scenario& s, const std::string& name) {
  const double initial = s.world.provider.acceleration.initial_load;
  const bool steady = s.world.provider.acceleration.initial_load_steady;
  auto measured = s.world.provider.acceleration.steady_load;
  s.world.provider.acceleration = *models::provider::acceleration_profile(name);
  s.world.provider.acceleration.initial_load = initial;
  s.world.provider.acceleration.initial_load_steady = steady;
  s.world.provider.acceleration.steady_load = std::move(measured);
}

/// `steady`, and the largest measured share of a limit when it has been measured.
std::string steady_value(const models::provider::Acceleration& a) {
  double most = 0;
  for (const auto& group : a.steady_load)
    for (const double v : group) most = std::max(most, v);
  return a.steady_load.empty() ? "steady" : fmt::format("steady ({:.2f})", most);
}

/// The source presets/ledger.yaml gives for `path`, or for its setting `which` when the source
/// depends on it. A path or setting the file lacks is a bug the tests catch.
const std::string& public_source(const std::string& path, const std::string& which = "") {
  static const std::map<std::string, std::string> sources = [] {
    std::map<std::string, std::string> out;
    const YAML::Node root = YAML::Load(std::string(ledger_text()));
    for (const auto& kv : root["sources"]) {
      const std::string key = kv.first.as<std::string>();
      if (kv.second.IsMap())
        for (const auto& c : kv.second) out[key + "/" + c.first.as<std::string>()] = c.second.as<std::string>();
      else
        out[key] = kv.second.as<std::string>();
    }
    return out;
  }();
  const auto it = sources.find(which.empty() ? path : path + "/" + which);
  if (it == sources.end()) throw std::logic_error("presets/ledger.yaml gives no source for " + path + " " + which);
  return it->second;
}

/// An assumption's plausible range, from its low end to its high end.
std::optional<std::array<LedgerLevel, 2>> range(LedgerLevel low, LedgerLevel high) {
  return std::array<LedgerLevel, 2>{std::move(low), std::move(high)};
}

/// What every entry reads: the scenario, its preset as the preset alone gives it, and the
/// models its workloads send to.
struct Context {
  const Scenario& s;
  const ProviderConfig& p;
  std::optional<PresetProvider> preset;
  std::string preset_source;  ///< "preset NAME (SOURCE; DATE)", or empty without a preset
  std::set<std::string> models_used;
};

const std::string kScenarioValue = "set in the scenario, not a published figure";

/// The budgets of the groups the workloads' models draw on.
void group_limits(const Context& c, std::vector<LedgerEntry>& out) {
  std::set<std::string> groups_used;
  for (const auto& m : c.p.models)
    if (c.models_used.count(m.name)) groups_used.insert(m.group);
  for (const auto& g : c.p.groups) {
    if (!groups_used.count(g.name)) continue;
    const auto* pg = c.preset ? find_group(c.preset->config, g.name) : nullptr;
    const bool published = pg && pg->limits.in_order() == g.limits.in_order();
    const bool organization = !g.limits_source.empty();
    out.push_back({.path = "provider.groups." + g.name + ".limits",
                   .value = describe(g.limits),
                   .documented = published || organization,
                   .source = organization ? fmt::format("{}, saved in {}",
                                                        public_source("provider.groups.limits", "organization"),
                                                        g.limits_source)
                             : published ? c.preset_source
                                         : kScenarioValue,
                   .range = std::nullopt});
  }
}

/// The limiter and its bucket size, where a group uses a token bucket.
void token_bucket(const Context& c, std::vector<LedgerEntry>& out) {
  const bool any_bucket = std::any_of(c.p.groups.begin(), c.p.groups.end(), [](const auto& g) {
    return g.limiter == models::provider::LimiterKind::kTokenBucket;
  });
  if (!any_bucket) return;
  out.push_back({.path = "provider.limiter",
                 .value = "token-bucket",
                 .documented = true,
                 .source = public_source("provider.limiter", "token-bucket"),
                 .range = std::nullopt});
  auto set_burst = [](Duration b) {
    return [b](Scenario& x) {
      for (auto& g : x.world.provider.groups) g.burst = b;
    };
  };
  out.push_back({.path = "provider.burst",
                 .value = format_duration(c.p.groups.front().burst),
                 .documented = false,
                 .source = public_source("provider.burst") + ": 1s to 60s",
                 .range = range(LedgerLevel{"1s", set_burst(std::chrono::seconds(1))},
                                LedgerLevel{"60s", set_burst(std::chrono::seconds(60))})});
}

/// How output tokens are counted, where a group has an output budget.
void otpm_accounting(const Context& c, std::vector<LedgerEntry>& out) {
  if (std::none_of(c.p.groups.begin(), c.p.groups.end(), [](const auto& g) { return g.limits.otpm.has_value(); }))
    return;
  const std::string value = c.p.otpm_accounting == models::provider::OtpmAccounting::kActual ? "actual" : "reserve";
  out.push_back({.path = "provider.otpm_accounting",
                 .value = value,
                 .documented = true,
                 .source = public_source("provider.otpm_accounting", value),
                 .range = std::nullopt});
}

/// The acceleration-limit model, and the usage before the run when it is on.
void acceleration(const Context& c, std::vector<LedgerEntry>& out) {
  const Acceleration& a = c.p.acceleration;
  out.push_back({.path = "provider.acceleration",
                 .value = describe(a),
                 .documented = false,
                 .source = public_source("provider.acceleration") + "; profiles: docs/provider.md",
                 .range = range(LedgerLevel{"lenient", [](Scenario& x) { set_profile(x, "lenient"); }},
                                LedgerLevel{"strict", [](Scenario& x) { set_profile(x, "strict"); }})});
  if (!a.enabled) return;
  const double high = a.initial_load > 0.5 ? 1.0 : 0.5;
  auto set_initial = [](double v) {
    return [v](Scenario& x) {
      x.world.provider.acceleration.initial_load = v;
      x.world.provider.acceleration.initial_load_steady = false;
    };
  };
  out.push_back({.path = "provider.acceleration.initial_load",
                 .value = a.initial_load_steady ? steady_value(a) : number(a.initial_load),
                 .documented = false,
                 .source = a.initial_load_steady
                               ? "steady: the scenario's own mean use of each budget over its first 10 minutes, "
                                 "measured by a run without acceleration limits (a running service, not a launch)"
                               : "the organization's steady usage before the run, as a share of the "
                                 "limits (0: a new pattern of usage from a standstill)",
                 .range = range(LedgerLevel{"0", set_initial(0)}, LedgerLevel{number(high), set_initial(high)})});
}

/// 529s: the platform's overload.
void overload(const Context& c, std::vector<LedgerEntry>& out) {
  const auto& o = c.p.overload;
  const std::string value =
      o.rate == 0 && o.incidents.empty() ? "off" : fmt::format("rate {}, {} incident(s)", number(o.rate), o.incidents.size());
  const double high = std::max(0.01, 2 * o.rate);
  out.push_back({.path = "provider.overload",
                 .value = value,
                 .documented = false,
                 .source = public_source("provider.overload") + "; 0 to 1% of attempts (or twice the rate given) as the range",
                 .range = range(LedgerLevel{"rate 0", [](Scenario& x) { x.world.provider.overload.rate = 0; }},
                                LedgerLevel{"rate " + number(high),
                                            [high](Scenario& x) { x.world.provider.overload.rate = high; }})});
}

/// Whether a refused request uses budget: documented for budgets counted OpenAI's way (tpm).
void rejected_consume(const Context& c, std::vector<LedgerEntry>& out) {
  const bool tpm = std::any_of(c.p.groups.begin(), c.p.groups.end(), [](const auto& g) { return g.limits.tpm.has_value(); });
  auto set = [](bool v) { return [v](Scenario& x) { x.world.provider.rejected_consume = v; }; };
  out.push_back({.path = "provider.rejected_consume",
                 .value = c.p.rejected_consume ? "true" : "false",
                 .documented = tpm,
                 .source = public_source("provider.rejected_consume", tpm ? "tpm" : "rpm"),
                 .range = tpm ? std::nullopt : range(LedgerLevel{"false", set(false)}, LedgerLevel{"true", set(true)})});
}

/// Which refusals carry x-should-retry, where a retry layer reads it.
void should_retry(const Context& c, std::vector<LedgerEntry>& out) {
  const auto& workloads = c.s.world.workloads;
  const bool read = std::any_of(workloads.begin(), workloads.end(), [](const auto& w) {
    return std::any_of(w.client.begin(), w.client.end(), [](const auto& l) {
      const auto* r = std::get_if<models::client::RetryConfig>(&l);
      return r && r->honor_should_retry;
    });
  });
  if (!read) return;
  auto v = [](models::ShouldRetry h) {
    return h == models::ShouldRetry::kTrue ? "true" : h == models::ShouldRetry::kFalse ? "false" : "absent";
  };
  const auto& h = c.p.should_retry;
  out.push_back({.path = "provider.x_should_retry",
                 .value = fmt::format("rate_limit {}, acceleration {}, spend {}, overload {}", v(h.rate_limit),
                                      v(h.acceleration), v(h.spend), v(h.overload)),
                 .documented = false,
                 .source = public_source("provider.x_should_retry"),
                 .range = std::nullopt});
}

/// The monthly spend limit and the spend before the run.
void spend_limit(const Context& c, std::vector<LedgerEntry>& out) {
  if (!c.p.spend_limit) return;
  const auto& preset = c.preset;
  const bool published =
      preset && preset->config.spend_limit && preset->config.spend_limit->monthly_usd == c.p.spend_limit->monthly_usd;
  out.push_back({.path = "provider.spend_limit.monthly_usd",
                 .value = number(c.p.spend_limit->monthly_usd),
                 .documented = published,
                 .source = !published          ? kScenarioValue
                           : preset->superseded ? c.preset_source + "; " +
                                                      public_source("provider.spend_limit.monthly_usd", "superseded")
                                                : c.preset_source,
                 .range = std::nullopt});
  out.push_back({.path = "provider.spend_limit.spent_usd",
                 .value = number(c.p.spend_limit->spent_usd),
                 .documented = false,
                 .source = "this month's spend before the run, as the scenario states it",
                 .range = std::nullopt});
}

void network_delay(const Context& c, std::vector<LedgerEntry>& out) {
  out.push_back({.path = "provider.network_delay",
                 .value = format_duration(c.p.network_delay),
                 .documented = false,
                 .source = "one way, client to provider; depends on where the client runs",
                 .range = std::nullopt});
}

/// How long a batch request takes, where a workload uses the Batch API.
void batch_processing(const Context& c, std::vector<LedgerEntry>& out) {
  const auto& workloads = c.s.world.workloads;
  if (std::none_of(workloads.begin(), workloads.end(), [](const auto& w) { return w.batch.has_value(); })) return;
  auto scale = [](double f) {
    return [f](Scenario& x) { x.world.provider.batch_processing = x.world.provider.batch_processing.scaled(f); };
  };
  out.push_back({.path = "provider.batch.processing_time",
                 .value = describe(c.p.batch_processing, true),
                 .documented = false,
                 .source = public_source("provider.batch.processing_time") + " (range: half to twice)",
                 .range = range(LedgerLevel{"x0.5", scale(0.5)}, LedgerLevel{"x2", scale(2)})});
}

/// A model's price: documented when it is the preset's.
LedgerEntry model_price(const Context& c, const models::provider::Model& m, const models::provider::Model* pm) {
  const bool published = pm && pm->price == m.price;
  return {.path = "provider.models." + m.name + ".price",
          .value = describe(m.price),
          .documented = published,
          .source = published ? c.preset_source : kScenarioValue,
          .range = std::nullopt};
}

LedgerEntry model_latency(const models::provider::Model& m) {
  std::string value =
      fmt::format("ttft {}, output {} tokens/s", describe(m.latency.ttft, true), describe(m.latency.output_tps, false));
  if (m.latency.prefill_tps) value += ", prefill " + describe(*m.latency.prefill_tps, false) + " tokens/s";
  auto scale = [name = m.name](double f) { return [name, f](Scenario& x) { scale_latency(x, name, f); }; };
  return {.path = "provider.models." + m.name + ".latency",
          .value = value,
          .documented = false,
          .source = public_source("provider.models.latency") + "; range: service time half to twice",
          .range = range(LedgerLevel{"x0.5", scale(0.5)}, LedgerLevel{"x2", scale(2)})};
}

/// The shortest prefix the model caches: documented when it is the preset's.
LedgerEntry model_cache_minimum(const Context& c, const models::provider::Model& m, const models::provider::Model* pm) {
  const bool published = pm && pm->cache.min_tokens == m.cache.min_tokens;
  return {.path = "provider.models." + m.name + ".cache.min_tokens",
          .value = number(m.cache.min_tokens),
          .documented = published,
          .source = published ? c.preset_source : kScenarioValue,
          .range = std::nullopt};
}

/// The models the workloads use: price, latency, and the cache minimum where a workload caches.
void models_used(const Context& c, std::vector<LedgerEntry>& out) {
  std::set<std::string> cached;
  for (const auto& w : c.s.world.workloads)
    if (w.cache) cached.insert(w.model);
  for (const std::string& name : c.models_used) {
    const auto* m = find_model(c.p, name);
    if (!m) continue;
    const auto* pm = c.preset ? find_model(c.preset->config, name) : nullptr;
    out.push_back(model_price(c, *m, pm));
    out.push_back(model_latency(*m));
    if (cached.count(name)) out.push_back(model_cache_minimum(c, *m, pm));
  }
}

/// Per workload: the billing of abandoned attempts, and cooldown layers.
void workload_entries(const Context& c, std::vector<LedgerEntry>& out) {
  for (const auto& w : c.s.world.workloads) {
    if (w.attempt_timeout)
      out.push_back({.path = "workloads." + w.name + ".attempt_timeout",
                     .value = format_duration(*w.attempt_timeout) + "; the abandoned attempt is still served and billed",
                     .documented = false,
                     .source = public_source("workloads.attempt_timeout") +
                               "; ratesim bills it and counts it against the budgets",
                     .range = std::nullopt});
    for (const auto& layer : w.client)
      if (const auto* cooldown = std::get_if<models::client::CooldownConfig>(&layer))
        out.push_back({.path = "workloads." + w.name + ".client.cooldown",
                       .value = "pause " + format_duration(cooldown->pause) + " after any 429",
                       .documented = false,
                       .source = public_source("workloads.client.cooldown") + "; ratesim pauses after every 429",
                       .range = std::nullopt});
  }
}

/// The ledger's entries in the order it lists them: provider, models, workloads.
constexpr void (*kEntries[])(const Context&, std::vector<LedgerEntry>&) = {
    group_limits, token_bucket, otpm_accounting, acceleration,     overload,    rejected_consume, should_retry,
    spend_limit,  network_delay, batch_processing, models_used, workload_entries};

}  // namespace

std::vector<LedgerEntry> assumption_ledger(const Scenario& s) {
  Context c{.s = s, .p = s.world.provider, .preset = std::nullopt, .preset_source = "", .models_used = used_models(s)};
  if (!s.preset.empty()) c.preset = preset_provider(s.preset);
  if (c.preset) c.preset_source = fmt::format("preset {} ({}; {})", s.preset, c.preset->source, c.preset->date);
  std::vector<LedgerEntry> out;
  for (const auto entry : kEntries) entry(c, out);
  // A preset's own figures that no public page gives (its `assumed:`), kept as the preset has them.
  if (c.preset)
    for (LedgerEntry& e : out)
      if (const auto why = c.preset->assumed.find(e.path); e.documented && why != c.preset->assumed.end()) {
        e.documented = false;
        e.source = fmt::format("{} (preset {}, {})", why->second, s.preset, c.preset->date);
      }
  return out;
}

std::vector<std::string> ineffective_settings(const Scenario& s) {
  std::vector<std::string> out;
  const ProviderConfig& p = s.world.provider;
  for (const auto& w : s.world.workloads) {
    if (w.cache) {
      const auto* m = find_model(p, w.model);
      if (m && w.cache->prefix_tokens < m->cache.min_tokens)
        out.push_back(fmt::format(
            "workload '{}': its cached prefix of {} tokens is under {}'s minimum of {}: nothing is "
            "cached (the API raises no error) and every request pays the full input price",
            w.name, w.cache->prefix_tokens, m->name, m->cache.min_tokens));
    }
    if (w.attempt_timeout && w.deadline && *w.attempt_timeout >= *w.deadline)
      out.push_back(fmt::format(
          "workload '{}': attempt_timeout ({}) is not shorter than the deadline ({}): no attempt "
          "times out before its request does",
          w.name, format_duration(*w.attempt_timeout), format_duration(*w.deadline)));
  }
  if (!p.acceleration.enabled && (p.acceleration.initial_load > 0 || p.acceleration.initial_load_steady))
    out.push_back("provider.acceleration.initial_load has no effect: acceleration limits are off");
  if (p.spend_limit && p.spend_limit->spent_usd >= p.spend_limit->monthly_usd)
    out.push_back(fmt::format(
        "provider.spend_limit: spent_usd ({}) already reaches monthly_usd ({}): every attempt is "
        "refused with a 429 'spend'",
        number(p.spend_limit->spent_usd), number(p.spend_limit->monthly_usd)));
  return out;
}

}  // namespace ratesim::scenario
