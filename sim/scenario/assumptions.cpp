#include "sim/scenario/assumptions.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <set>

#include "models/provider/acceleration_model.hpp"
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

constexpr const char* kAccelerationSource =
    "Anthropic documents that a sharp rise in usage can draw 429s below the limits (rate-limits "
    "page, 2026) and publishes no threshold, window or recovery time; profiles: docs/provider.md";

}  // namespace

std::vector<LedgerEntry> assumption_ledger(const Scenario& s) {
  const ProviderConfig& p = s.world.provider;
  std::optional<PresetProvider> preset;
  if (!s.preset.empty()) preset = preset_provider(s.preset);
  const std::string preset_source =
      preset ? fmt::format("preset {} ({}; {})", s.preset, preset->source, preset->date) : "";
  const std::string scenario_value = "set in the scenario, not a published figure";
  std::vector<LedgerEntry> out;

  // Budgets of the groups the workloads' models draw on.
  const std::set<std::string> models_used = used_models(s);
  std::set<std::string> groups_used;
  for (const auto& m : p.models)
    if (models_used.count(m.name)) groups_used.insert(m.group);
  for (const auto& g : p.groups) {
    if (!groups_used.count(g.name)) continue;
    const auto* pg = preset ? find_group(preset->config, g.name) : nullptr;
    const bool published = pg && pg->limits.in_order() == g.limits.in_order();
    const bool organization = !g.limits_source.empty();
    out.push_back({.path = "provider.groups." + g.name + ".limits",
                   .value = describe(g.limits),
                   .documented = published || organization,
                   .source = organization ? fmt::format("the organization's configured limits (Admin API GET "
                                                        "/v1/organizations/rate_limits), saved in {}",
                                                        g.limits_source)
                             : published ? preset_source
                                         : scenario_value,
                   .range = std::nullopt});
  }
  const bool any_bucket = std::any_of(p.groups.begin(), p.groups.end(), [](const auto& g) {
    return g.limiter == models::provider::LimiterKind::kTokenBucket;
  });
  if (any_bucket) {
    out.push_back({.path = "provider.limiter",
                   .value = "token-bucket",
                   .documented = true,
                   .source = "Anthropic rate-limits page (2026): a token bucket, replenished "
                             "continuously",
                   .range = std::nullopt});
    const Duration burst = p.groups.front().burst;
    auto set_burst = [](Duration b) {
      return [b](Scenario& x) {
        for (auto& g : x.world.provider.groups) g.burst = b;
      };
    };
    out.push_back({.path = "provider.burst",
                   .value = format_duration(burst),
                   .documented = false,
                   .source = "the bucket size is not published; the rate-limits page says limits may "
                             "be enforced over shorter intervals (60 RPM as 1 per second): 1s to 60s",
                   .range = std::array<LedgerLevel, 2>{LedgerLevel{"1s", set_burst(std::chrono::seconds(1))},
                                                       LedgerLevel{"60s", set_burst(std::chrono::seconds(60))}}});
  }
  const bool any_otpm = std::any_of(p.groups.begin(), p.groups.end(), [](const auto& g) { return g.limits.otpm.has_value(); });
  if (any_otpm) {
    const bool actual = p.otpm_accounting == models::provider::OtpmAccounting::kActual;
    out.push_back({.path = "provider.otpm_accounting",
                   .value = actual ? "actual" : "reserve",
                   .documented = true,
                   .source = actual ? "Anthropic rate-limits page since about February 2026: only "
                                      "output tokens produced count"
                                    : "Anthropic rate-limits page before about February 2026: "
                                      "max_tokens estimated at the start, corrected at the end",
                   .range = std::nullopt});
  }
  {
    const Acceleration& a = p.acceleration;
    out.push_back({.path = "provider.acceleration",
                   .value = describe(a),
                   .documented = false,
                   .source = kAccelerationSource,
                   .range = std::array<LedgerLevel, 2>{
                       LedgerLevel{"lenient", [](Scenario& x) { set_profile(x, "lenient"); }},
                       LedgerLevel{"strict", [](Scenario& x) { set_profile(x, "strict"); }}}});
    if (a.enabled) {
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
                                   ? "steady: the scenario's own mean use of each budget over its first 10 "
                                     "minutes, measured by a run without acceleration limits (a running "
                                     "service, not a launch)"
                                   : "the organization's steady usage before the run, as a share of the "
                                     "limits (0: a new pattern of usage from a standstill)",
                     .range = std::array<LedgerLevel, 2>{LedgerLevel{"0", set_initial(0)},
                                                         LedgerLevel{number(high), set_initial(high)}}});
    }
  }
  {
    const auto& o = p.overload;
    const std::string value = o.rate == 0 && o.incidents.empty()
                                  ? "off"
                                  : fmt::format("rate {}, {} incident(s)", number(o.rate), o.incidents.size());
    const double high = std::max(0.01, 2 * o.rate);
    out.push_back({.path = "provider.overload",
                   .value = value,
                   .documented = false,
                   .source = "Anthropic publishes no 529 rate; 0 to 1% of attempts (or twice the "
                             "rate given) as the range",
                   .range = std::array<LedgerLevel, 2>{
                       LedgerLevel{"rate 0", [](Scenario& x) { x.world.provider.overload.rate = 0; }},
                       LedgerLevel{"rate " + number(high), [high](Scenario& x) { x.world.provider.overload.rate = high; }}}});
  }
  {
    const bool openai = std::any_of(p.groups.begin(), p.groups.end(), [](const auto& g) { return g.limits.tpm.has_value(); });
    auto set = [](bool v) { return [v](Scenario& x) { x.world.provider.rejected_consume = v; }; };
    out.push_back({.path = "provider.rejected_consume",
                   .value = p.rejected_consume ? "true" : "false",
                   .documented = openai,
                   .source = openai ? "OpenAI rate-limits guide: failed requests count against the "
                                      "per-minute limits"
                                    : "not documented for Anthropic whether a refused request uses "
                                      "budget",
                   .range = openai ? std::nullopt
                                   : std::optional<std::array<LedgerLevel, 2>>(std::array<LedgerLevel, 2>{
                                         LedgerLevel{"false", set(false)}, LedgerLevel{"true", set(true)}})});
  }
  const bool reads_should_retry = std::any_of(s.world.workloads.begin(), s.world.workloads.end(), [](const auto& w) {
    return std::any_of(w.client.begin(), w.client.end(), [](const auto& l) {
      const auto* r = std::get_if<models::client::RetryConfig>(&l);
      return r && r->honor_should_retry;
    });
  });
  if (reads_should_retry) {
    auto v = [](models::ShouldRetry h) {
      return h == models::ShouldRetry::kTrue ? "true" : h == models::ShouldRetry::kFalse ? "false" : "absent";
    };
    const auto& h = p.should_retry;
    out.push_back({.path = "provider.x_should_retry",
                   .value = fmt::format("rate_limit {}, acceleration {}, spend {}, overload {}", v(h.rate_limit),
                                        v(h.acceleration), v(h.spend), v(h.overload)),
                   .documented = false,
                   .source = "Anthropic 429s are seen carrying x-should-retry: true; which refusals "
                             "carry which value is not documented",
                   .range = std::nullopt});
  }
  if (p.spend_limit) {
    const bool published = preset && preset->config.spend_limit &&
                           preset->config.spend_limit->monthly_usd == p.spend_limit->monthly_usd;
    out.push_back({.path = "provider.spend_limit.monthly_usd",
                   .value = number(p.spend_limit->monthly_usd),
                   .documented = published,
                   // The superseded tiers' caps differ between 2024-26 sources; today's come from
                   // the rate-limits page itself.
                   .source = !published          ? scenario_value
                             : preset->superseded ? preset_source + "; 2026 third-party summaries give other "
                                                                    "figures (docs/provider.md)"
                                                  : preset_source,
                   .range = std::nullopt});
    out.push_back({.path = "provider.spend_limit.spent_usd",
                   .value = number(p.spend_limit->spent_usd),
                   .documented = false,
                   .source = "this month's spend before the run, as the scenario states it",
                   .range = std::nullopt});
  }
  out.push_back({.path = "provider.network_delay",
                 .value = format_duration(p.network_delay),
                 .documented = false,
                 .source = "one way, client to provider; depends on where the client runs",
                 .range = std::nullopt});
  const bool any_batch = std::any_of(s.world.workloads.begin(), s.world.workloads.end(),
                                     [](const auto& w) { return w.batch.has_value(); });
  if (any_batch) {
    auto scale = [](double f) {
      return [f](Scenario& x) { x.world.provider.batch_processing = x.world.provider.batch_processing.scaled(f); };
    };
    out.push_back({.path = "provider.batch.processing_time",
                   .value = describe(p.batch_processing, true),
                   .documented = false,
                   .source = "Anthropic: most batches finish within an hour; the time of one request "
                             "is not published (range: half to twice)",
                   .range = std::array<LedgerLevel, 2>{LedgerLevel{"x0.5", scale(0.5)}, LedgerLevel{"x2", scale(2)}}});
  }

  // Models the workloads use.
  std::set<std::string> cached;
  for (const auto& w : s.world.workloads)
    if (w.cache) cached.insert(w.model);
  for (const std::string& name : models_used) {
    const auto* m = find_model(p, name);
    if (!m) continue;
    const auto* pm = preset ? find_model(preset->config, name) : nullptr;
    const bool price_published = pm && pm->price == m->price;
    out.push_back({.path = "provider.models." + name + ".price",
                   .value = describe(m->price),
                   .documented = price_published,
                   .source = price_published ? preset_source : scenario_value,
                   .range = std::nullopt});
    std::string latency = fmt::format("ttft {}, output {} tokens/s", describe(m->latency.ttft, true),
                                      describe(m->latency.output_tps, false));
    if (m->latency.prefill_tps) latency += ", prefill " + describe(*m->latency.prefill_tps, false) + " tokens/s";
    auto scale = [name](double f) { return [name, f](Scenario& x) { scale_latency(x, name, f); }; };
    out.push_back({.path = "provider.models." + name + ".latency",
                   .value = latency,
                   .documented = false,
                   .source = "no provider publishes latency; range: service time half to twice",
                   .range = std::array<LedgerLevel, 2>{LedgerLevel{"x0.5", scale(0.5)}, LedgerLevel{"x2", scale(2)}}});
    if (cached.count(name)) {
      const bool min_published = pm && pm->cache.min_tokens == m->cache.min_tokens && name != "claude-sonnet-4-6";
      out.push_back({.path = "provider.models." + name + ".cache.min_tokens",
                     .value = number(m->cache.min_tokens),
                     .documented = min_published,
                     .source = min_published ? preset_source
                               : name == "claude-sonnet-4-6"
                                   ? "the docs table lists 1,024; users report caching only from about "
                                     "2,048 (anthropic-sdk-python issue #1194)"
                                   : scenario_value,
                     .range = std::nullopt});
    }
  }

  // Workloads.
  for (const auto& w : s.world.workloads) {
    if (w.attempt_timeout)
      out.push_back({.path = "workloads." + w.name + ".attempt_timeout",
                     .value = format_duration(*w.attempt_timeout) + "; the abandoned attempt is still served and billed",
                     .documented = false,
                     .source = "the API does not say whether work a client stopped waiting for is "
                               "billed; ratesim bills it and counts it against the budgets",
                     .range = std::nullopt});
    for (const auto& layer : w.client)
      if (const auto* c = std::get_if<models::client::CooldownConfig>(&layer))
        out.push_back({.path = "workloads." + w.name + ".client.cooldown",
                       .value = "pause " + format_duration(c->pause) + " after any 429",
                       .documented = false,
                       .source = "the OpenAI cookbook pauses after an error whose message mentions a "
                                 "rate limit; ratesim pauses after every 429",
                       .range = std::nullopt});
  }
  // A preset's own figures that no public page gives (its `assumed:`), kept as the preset has them.
  if (preset)
    for (LedgerEntry& e : out)
      if (const auto why = preset->assumed.find(e.path); e.documented && why != preset->assumed.end()) {
        e.documented = false;
        e.source = fmt::format("{} (preset {}, {})", why->second, s.preset, preset->date);
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
