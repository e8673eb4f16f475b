#include "sim/scenario/rate_limits_key.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <filesystem>

#include "models/budget.hpp"
#include "sim/scenario/organization_limits.hpp"
#include "sim/scenario/rate_limits_reader.hpp"
#include "sim/scenario/units.hpp"

namespace ratesim::scenario {
namespace {

using models::provider::ProviderConfig;

YAML::Node child(const YAML::Node& map, const std::string& key) {
  for (const auto& kv : map)
    if (kv.first.IsScalar() && kv.first.Scalar() == key) return kv.second;
  return YAML::Node(YAML::NodeType::Undefined);
}

YAML::Node limits_yaml(const models::provider::Limits& l) {
  YAML::Node out(YAML::NodeType::Map);
  for (std::size_t b = 0; b < models::kBudgetCount; ++b)
    if (const auto& v = l.at(b)) out[std::string(models::kCauses[b].name)] = *v;
  out.SetStyle(YAML::EmitterStyle::Flow);
  return out;
}

std::string limiter_name(models::provider::LimiterKind kind) {
  for (const auto& named : models::provider::kLimiterKinds)
    if (named.value == kind) return std::string(named.name);
  return "";
}

}  // namespace

void read_rate_limits_key(const Source& src, const YAML::Node& provider, ProviderConfig& p,
                          std::vector<std::string>& warnings) {
  const YAML::Node key = child(provider, "rate_limits");
  if (!key.IsDefined()) return;
  // Relative paths are resolved from the scenario file's folder, as a trace's are.
  std::filesystem::path path = read_string(src, key, "rate_limits");
  if (path.is_relative()) path = std::filesystem::path(src.file()).parent_path() / path;
  if (!std::filesystem::exists(path))
    src.fail(key, fmt::format("cannot open rate-limits file '{}': no such file", path.string()));
  const RateLimitsFile file = read_rate_limits(path.string());
  for (std::string& w : apply_organization_limits(file, p)) warnings.push_back(std::move(w));
}

std::string resolve_rate_limits_key(YAML::Node& root, const ProviderConfig& p) {
  YAML::Node provider = root["provider"];
  const YAML::Node key = child(provider, "rate_limits");
  if (!key.IsDefined()) return "";
  const std::string written = key.IsScalar() ? key.Scalar() : "";
  provider.remove("rate_limits");

  YAML::Node models = provider["models"];
  std::vector<std::string> groups_set;
  for (const auto& g : p.groups) {
    if (g.limits_source.empty()) continue;
    groups_set.push_back(g.name);
    if (!child(provider, "groups").IsDefined()) provider["groups"] = YAML::Node(YAML::NodeType::Map);
    YAML::Node groups = provider["groups"];
    const bool named = child(groups, g.name).IsDefined();
    if (!named) groups[g.name] = YAML::Node(YAML::NodeType::Map);
    YAML::Node entry = groups[g.name];
    entry["limits"] = limits_yaml(g.limits);
    if (!named) {  // a new group, or one a model's own limits defined: say everything
      entry["limiter"] = limiter_name(g.limiter);
      entry["burst"] = format_duration(g.burst);
    }
    // The group's limits now stand under provider.groups; a model's own copy would disagree.
    for (const auto& m : p.models) {
      YAML::Node model = models[m.name];
      if (m.group == g.name && child(model, "limits").IsDefined()) model.remove("limits");
    }
  }
  std::vector<std::string> moved;
  for (const auto& m : p.models) {
    YAML::Node model = models[m.name];
    const YAML::Node group = child(model, "group");
    const std::string before = group.IsDefined() && group.IsScalar() ? group.Scalar() : m.name;
    if (before == m.group) continue;
    model["group"] = m.group;
    moved.push_back(m.name);
  }

  std::string out = fmt::format("# provider.rate_limits: {} (a saved GET /v1/organizations/rate_limits) is "
                                "written in:\n",
                                written);
  out += groups_set.empty() ? "#   it set no group's limits\n"
                            : fmt::format("#   the limits of group{} {} under provider.groups\n",
                                          groups_set.size() == 1 ? "" : "s", fmt::join(groups_set, ", "));
  if (!moved.empty()) out += fmt::format("#   the new groups of {}\n", fmt::join(moved, ", "));
  if (p.batch_rpm) {
    if (!child(provider, "batch").IsDefined()) provider["batch"] = YAML::Node(YAML::NodeType::Map);
    provider["batch"]["rpm"] = *p.batch_rpm;
    out += fmt::format("#   the Message Batches API's {} requests per minute, as provider.batch.rpm\n", *p.batch_rpm);
  }
  return out;
}

}  // namespace ratesim::scenario
