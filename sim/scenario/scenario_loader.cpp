#include "sim/scenario/scenario_loader.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

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
#include "sim/scenario/provider_reader.hpp"
#include "sim/scenario/rate_limits_key.hpp"
#include "sim/scenario/units.hpp"
#include "sim/scenario/workload_reader.hpp"
#include "sim/scenario/yaml_guard.hpp"
#include "models/traffic/arrival_process.hpp"

namespace ratesim::scenario {
namespace {

using kernel::Duration;
using models::WorkloadConfig;
using models::provider::ProviderConfig;
using namespace std::chrono_literals;

Scenario read_scenario(const Source& src, const YAML::Node& root) {
  MapReader m(src, root, "scenario");
  Scenario s;
  s.file = src.file();
  s.preset = src.preset();
  s.name = read_string(src, m.require("name"), "name");
  if (auto v = m.get("seed"); v.IsDefined())
    s.world.seed = static_cast<std::uint64_t>(read_integer(src, v, "seed", 0));
  s.world.duration = read_duration(src, m.require("duration"), "duration", 1us);
  if (auto v = m.get("warmup"); v.IsDefined()) {
    s.warmup = read_duration(src, v, "warmup", 0us);
    if (s.warmup >= s.world.duration)
      src.fail(v, fmt::format("invalid value {} for 'warmup': expected a duration shorter than the "
                              "scenario's duration ({}), so that something is measured",
                              quote(v), format_duration(s.world.duration)));
  }
  const YAML::Node provider = m.require("provider");
  s.world.provider = read_provider(src, provider);
  read_rate_limits_key(src, provider, s.world.provider, s.warnings);
  read_workspaces_key(src, provider, s.world.provider);  // caps are checked against the final limits
  const YAML::Node workloads = m.require("workloads");
  const YAML::Node variants = m.get("variants");
  const YAML::Node expect = m.get("expect");
  m.finish();
  if (expect.IsDefined()) {
    if (!expect.IsSequence())
      src.fail(expect, fmt::format("invalid value {} for 'expect': expected a list of {{metric, min, "
                                   "max}}",
                                   quote(expect)));
    for (const auto& item : expect) {
      MapReader e(src, item, "expectation");
      Expectation x;
      const YAML::Node metric = e.require("metric");
      x.metric = read_string(src, metric, "metric");
      // Metrics in seconds (latency_s.p99, makespan_s, ...) take durations: 30s, 2m.
      const bool seconds = x.metric.find("_s.") != std::string::npos ||
                           (x.metric.size() > 2 && x.metric.ends_with("_s"));
      auto bound = [&](const char* key) -> std::optional<double> {
        const YAML::Node v = e.get(key);
        if (!v.IsDefined()) return std::nullopt;
        if (seconds) return kernel::to_seconds(read_duration(src, v, key));
        const auto n = v.IsScalar() ? parse_number(v.Scalar()) : std::nullopt;
        if (n) return *n;
        // A duration for a metric that is not in seconds: perhaps a misspelt metric. `check`
        // reports an unknown metric first, and this only when the metric is known.
        if (const auto d = v.IsScalar() ? parse_duration(v.Scalar()) : std::nullopt) {
          x.duration_bound = DurationBound{.text = v.Scalar(), .key = key, .line = v.Mark().line + 1,
                                           .column = v.Mark().column + 1};
          return kernel::to_seconds(*d);
        }
        src.fail(v, fmt::format("invalid value {} for '{}': expected a number", quote(v), key));
      };
      x.min = bound("min");
      x.max = bound("max");
      x.seconds = seconds;
      if (const YAML::Node v = e.get("min"); x.min && v.IsScalar()) x.min_text = v.Scalar();
      if (const YAML::Node v = e.get("max"); x.max && v.IsScalar()) x.max_text = v.Scalar();
      e.finish();
      if (!x.min && !x.max) src.fail(item, "an expectation needs 'min', 'max' or both");
      const YAML::Mark mark = metric.Mark();
      x.file = src.file();
      x.line = mark.line + 1;
      x.column = mark.column + 1;
      s.expectations.push_back(std::move(x));
    }
  }
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
/// The keys of the new mappings are new nodes; `src` remembers the original of each, so that a
/// mistake in one is reported where it was written.
YAML::Node merge(const YAML::Node& base, const YAML::Node& over, Source& src, const std::string& where) {
  if (!base.IsMap() || !over.IsMap()) return over;
  // The merged mapping can hold each key once: a key the scenario gives twice is an error here,
  // as MapReader makes it everywhere else, not a silent choice of one.
  for (auto a = over.begin(); a != over.end(); ++a)
    for (auto b = over.begin(); b != a; ++b)
      if (a->first.IsScalar() && b->first.IsScalar() && a->first.Scalar() == b->first.Scalar())
        src.fail(a->first, fmt::format("duplicate key '{}' in {}", a->first.Scalar(), where));
  YAML::Node out(YAML::NodeType::Map);
  for (const auto& kv : base) {
    const std::string key = kv.first.Scalar();
    const YAML::Node o = child(over, key);
    out[key] = o.IsDefined() ? merge(kv.second, o, src, where + "." + key) : kv.second;
    YAML::Node original = kv.first;
    if (o.IsDefined())  // the scenario's own key, not the preset's
      for (const auto& okv : over)
        if (okv.first.Scalar() == key) original = okv.first;
    src.remember_key(out, key, Source::KeyOrigin{.key = original});
  }
  for (const auto& kv : over)
    if (!child(base, kv.first.Scalar()).IsDefined()) {
      out[kv.first.Scalar()] = kv.second;
      src.remember_key(out, kv.first.Scalar(), Source::KeyOrigin{.key = kv.first});
    }
  return out;
}

bool sets_preset(const std::string& assignment) {
  return assignment.rfind("provider.preset=", 0) == 0;
}

/// Applies every `--set` but the one that chooses the preset (prepare applied that one).
void apply_other_sets(YAML::Node& root, const std::vector<std::string>& sets, Source& src) {
  for (const std::string& set : sets)
    if (!sets_preset(set)) apply_set(root, set, src);
}

/// Parses the text and lays the scenario's provider over its preset (a `--set provider.preset`
/// chooses it); with `other_sets`, applies the other overrides too.
YAML::Node prepare(const std::string& text, Source& src, const std::vector<std::string>& sets, bool other_sets = true) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    src.fail_at(e.mark, "YAML syntax error: " + e.msg);
  }
  if (const auto too_big = measure_yaml(root)) src.fail_at(too_big->at.Mark(), too_big->message);
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
      src.set_preset(wanted);
      YAML::Node merged = merge(child(preset_root, "provider"), provider, src, "provider");
      merged.remove("preset");  // expanded: the resolved scenario stands on its own
      root["provider"] = merged;
    }
  }
  if (other_sets) apply_other_sets(root, sets, src);
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
  check_input_file(path, kMaxScenarioBytes, "scenario file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, 0, 0, fmt::format("cannot open scenario file: {}", std::strerror(errno)));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

namespace {

/// Lays variant `name`'s overrides on a fresh parse of `text`, then the `--set`s, and reads the
/// result: the order a user reads them in (file, variant, command line).
Scenario read_variant(const std::string& text, const std::string& label,
                      const std::vector<std::string>& sets, const YAML::Node& overrides,
                      const std::string& name) {
  Source src(label);
  YAML::Node root = prepare(text, src, sets, false);
  for (const auto& kv : overrides) {
    const std::string path = read_string(src, kv.first, "variant path");
    std::vector<AddedKey> added;
    if (const std::string problem = apply_path(root, path, kv.second, &added); !problem.empty())
      src.fail(kv.first, fmt::format("in variant '{}': {}", name, problem));
    for (const AddedKey& k : added) src.remember_key(k.map, k.key, Source::KeyOrigin{.key = kv.first});
  }
  apply_other_sets(root, sets, src);
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
  // The base only: a variant's mistake is reported when that variant is run or validated.
  Source src(label);
  const YAML::Node root = prepare(text, src, sets);
  return read_checked(src, root);
}

Scenario load_variant_text(const std::string& text, const std::string& label, const std::string& variant,
                           const std::vector<std::string>& sets) {
  Source src(label);
  // The variant's overrides come before the other --sets, so the base is looked at without them.
  const YAML::Node root = prepare(text, src, sets, false);
  if (const YAML::Node overrides = variant_overrides(root, variant); overrides.IsMap())
    return read_variant(text, label, sets, overrides, variant);
  const Scenario base = read_checked(src, root);  // reports a malformed `variants:` as such
  if (std::find(base.variants.begin(), base.variants.end(), variant) == base.variants.end())
    throw InputError(label, 0, 0,
                     fmt::format("no variant '{}'{}: the scenario has {}", variant,
                                 did_you_mean(variant, base.variants),
                                 base.variants.empty() ? "none" : fmt::format("{}", fmt::join(base.variants, ", "))));
  return read_variant(text, label, sets, variant_overrides(root, variant), variant);
}

Scenario load_scenario_variant(const std::string& path, const std::string& variant,
                               const std::vector<std::string>& sets) {
  return load_variant_text(read_text(path), path, variant, sets);
}

std::optional<PresetProvider> preset_provider(const std::string& name) {
  const auto preset = find_preset(name);
  if (!preset) return std::nullopt;
  const std::string label = "presets/" + name + ".yaml";
  Source src(label);
  const YAML::Node root = YAML::Load(std::string(preset->text));
  MapReader m(src, root, "preset " + name);
  PresetProvider out;
  out.config = read_provider(src, m.require("provider"));
  out.date = read_string(src, m.require("date"), "date");
  out.source = read_string(src, m.require("source"), "source");
  if (const YAML::Node v = m.get("superseded"); v.IsDefined()) {
    MapReader sm(src, v, "superseded");
    out.superseded = Superseded{.since = read_string(src, sm.require("since"), "superseded.since"),
                                .by = read_string(src, sm.require("by"), "superseded.by"),
                                .note = read_string(src, sm.require("note"), "superseded.note")};
    sm.finish();
    if (!find_preset(out.superseded->by))
      src.fail(sm.node()["by"], fmt::format("superseded.by names no preset: '{}'", out.superseded->by));
  }
  if (const YAML::Node v = m.get("assumed"); v.IsDefined()) {
    if (!v.IsMap()) src.fail(v, fmt::format("invalid value {} for 'assumed': expected a mapping from paths to reasons", quote(v)));
    for (const auto& kv : v)
      out.assumed[read_string(src, kv.first, "assumed path")] = read_string(src, kv.second, "assumed reason");
  }
  m.finish();
  return out;
}

std::string resolved_scenario_yaml(const std::string& path, const std::vector<std::string>& sets) {
  Source src(path);
  YAML::Node root = prepare(read_text(path), src, sets);
  const Scenario s = read_checked(src, root);  // only a valid scenario is printed
  const std::string note = resolve_rate_limits_key(root, s.world.provider);
  YAML::Emitter out;
  out << root;
  return note + std::string(out.c_str()) + "\n";
}

Scenario load_scenario_file(const std::string& path, const std::vector<std::string>& sets) {
  return load_scenario_text(read_text(path), path, sets);
}

}  // namespace ratesim::scenario
