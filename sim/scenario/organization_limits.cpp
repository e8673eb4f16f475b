#include "sim/scenario/organization_limits.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>

#include "models/budget.hpp"
#include "sim/scenario/input_error.hpp"

namespace ratesim::scenario {
namespace {

using models::kBudgetCount;
using models::kBudgets;
using models::provider::Group;
using models::provider::Limits;
using models::provider::ProviderConfig;

/// `id` without a trailing -YYYYMMDD.
std::string_view undated(std::string_view id) {
  constexpr std::size_t kDate = 9;  // "-20260217"
  if (id.size() <= kDate || id[id.size() - kDate] != '-') return id;
  const std::string_view tail = id.substr(id.size() - kDate + 1);
  if (!std::all_of(tail.begin(), tail.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
    return id;
  return id.substr(0, id.size() - kDate);
}

std::string place(const RateLimitsFile& f, const FilePosition& at) {
  return fmt::format("{}:{}:{}", f.path, at.line, at.column);
}

/// The budget whose row of kBudgets names `api_type`.
std::optional<std::size_t> budget_of(const std::string& api_type) {
  for (std::size_t b = 0; b < kBudgetCount; ++b)
    if (kBudgets[b].api_type == api_type) return b;
  return std::nullopt;
}

std::string known_types() {
  std::vector<std::string_view> names;
  for (const auto& b : kBudgets) names.push_back(b.api_type);
  return fmt::format("{}", fmt::join(names, ", "));
}

Group* find_group(ProviderConfig& p, const std::string& name) {
  for (auto& g : p.groups)
    if (g.name == name) return &g;
  return nullptr;
}

std::string unique_group_name(const ProviderConfig& p, std::string name) {
  auto taken = [&](const std::string& n) {
    return std::any_of(p.groups.begin(), p.groups.end(), [&](const Group& g) { return g.name == n; });
  };
  if (!taken(name)) return name;
  for (int i = 2;; ++i)
    if (const std::string n = fmt::format("{}-{}", name, i); !taken(n)) return n;
}

/// The entry that listed each of the provider's models, or null.
using Claims = std::vector<const RateLimitEntry*>;

/// The provider's models `e` lists, in the provider's order. Throws when another entry listed one.
std::vector<std::size_t> models_of(const RateLimitsFile& f, const RateLimitEntry& e, const ProviderConfig& p,
                                   Claims& claims) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < p.models.size(); ++i) {
    for (std::size_t k = 0; k < e.models.size(); ++k) {
      if (!same_model(p.models[i].name, e.models[k])) continue;
      if (claims[i] && claims[i] != &e)
        throw InputError(f.path, e.model_at[k].line, e.model_at[k].column,
                         fmt::format("model '{}' is listed by entries {} (line {}) and {}: expected each "
                                     "model in one rate-limit group",
                                     e.models[k], claims[i]->label(), claims[i]->at.line, e.label()));
      claims[i] = &e;
      if (out.empty() || out.back() != i) out.push_back(i);
    }
  }
  return out;
}

/// The group that is to hold exactly `models`: theirs when they alone fill one group, else a new
/// one (announced in `warnings`).
Group& group_for(const RateLimitsFile& f, const RateLimitEntry& e, const std::vector<std::size_t>& models,
                 const Limits& given, ProviderConfig& p, std::vector<std::string>& warnings) {
  std::vector<std::string> groups;
  for (std::size_t i : models)
    if (std::find(groups.begin(), groups.end(), p.models[i].group) == groups.end())
      groups.push_back(p.models[i].group);
  std::vector<std::string> reasons;
  if (groups.size() > 1)
    reasons.push_back(fmt::format("they are in groups '{}'", fmt::join(groups, "', '")));
  for (const std::string& g : groups) {
    std::vector<std::string> others;
    for (std::size_t i = 0; i < p.models.size(); ++i)
      if (p.models[i].group == g && std::find(models.begin(), models.end(), i) == models.end())
        others.push_back(p.models[i].name);
    if (!others.empty())
      reasons.push_back(fmt::format("group '{}' also holds {}", g, fmt::join(others, ", ")));
  }
  if (reasons.empty()) return *find_group(p, groups.front());

  std::string base = group_slug(e.display_name);
  if (base.empty()) base = group_slug(e.group_id.empty() ? e.group_type : e.group_id);
  Group made = *find_group(p, groups.front());
  made.name = unique_group_name(p, base);
  for (std::size_t b = 0; b < kBudgetCount; ++b) {
    if (given.at(b)) continue;  // set by the caller
    std::optional<std::int64_t> smallest;
    for (const std::string& g : groups)
      if (const auto& v = find_group(p, g)->limits.at(b); v && (!smallest || *v < *smallest)) smallest = v;
    made.limits.at(b) = smallest;
  }
  std::vector<std::string> names;
  for (std::size_t i : models) {
    names.push_back(p.models[i].name);
    p.models[i].group = made.name;
  }
  warnings.push_back(fmt::format("{}: entry {} pools {} differently from the provider ({}): they now share "
                                 "a new limit group '{}'",
                                 place(f, e.at), e.label(), fmt::join(names, ", "), fmt::join(reasons, "; "),
                                 made.name));
  std::erase_if(p.groups, [&](const Group& g) {
    return std::none_of(p.models.begin(), p.models.end(), [&](const auto& m) { return m.group == g.name; });
  });
  p.groups.push_back(std::move(made));
  return p.groups.back();
}

void apply_model_group(const RateLimitsFile& f, const RateLimitEntry& e, ProviderConfig& p,
                       Claims& claims, std::vector<std::string>& warnings) {
  const std::vector<std::size_t> models = models_of(f, e, p, claims);
  if (models.empty()) return;  // a model family the scenario does not define
  Limits given;
  for (const RateLimitValue& l : e.limits) {
    if (const auto b = budget_of(l.type)) {
      given.at(*b) = l.value;
    } else {
      warnings.push_back(fmt::format("{}: limiter type '{}' of entry {} is not applied: ratesim knows {} "
                                     "for a model group",
                                     place(f, l.at), l.type, e.label(), known_types()));
    }
  }
  Group& g = group_for(f, e, models, given, p, warnings);
  for (std::size_t b = 0; b < kBudgetCount; ++b)
    if (given.at(b)) g.limits.at(b) = given.at(b);
  g.limits_source = f.path;
}

void apply_batch(const RateLimitsFile& f, const RateLimitEntry& e, ProviderConfig& p,
                 std::vector<std::string>& warnings) {
  const std::string_view rpm = kBudgets[models::index(models::LimitCause::kRpm)].api_type;
  for (const RateLimitValue& l : e.limits) {
    if (l.type == rpm) {
      p.batch_rpm = l.value;
    } else {
      warnings.push_back(fmt::format("{}: limiter type '{}' of entry {} is not applied: ratesim knows {} "
                                     "for the Message Batches API",
                                     place(f, l.at), l.type, e.label(), rpm));
    }
  }
}

}  // namespace

bool same_model(const std::string& a, const std::string& b) { return undated(a) == undated(b); }

std::string group_slug(const std::string& display_name) {
  std::string out;
  for (char c : display_name) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

std::vector<std::string> apply_organization_limits(const RateLimitsFile& file, ProviderConfig& p) {
  std::vector<std::string> warnings;
  Claims claims(p.models.size(), nullptr);
  std::vector<std::string> other;  // entries of other group types, named in one warning
  for (const RateLimitEntry& e : file.entries) {
    if (e.group_type == "model_group") {
      apply_model_group(file, e, p, claims, warnings);
    } else if (e.group_type == "batch") {
      apply_batch(file, e, p, warnings);
    } else {
      other.push_back(e.display_name.empty() ? fmt::format("{} (line {})", e.group_type, e.at.line)
                                             : fmt::format("{} '{}' (line {})", e.group_type, e.display_name, e.at.line));
    }
  }
  if (!other.empty())
    warnings.push_back(fmt::format("{}: the entries of group type{} {} are not applied: ratesim simulates "
                                   "the limits of model groups and of the Message Batches API",
                                   file.path, other.size() == 1 ? "" : "s", fmt::join(other, ", ")));
  if (file.more_pages)
    warnings.push_back(fmt::format("{}: next_page is not null: the file is one page of several, and the "
                                   "entries of later pages are not read (saved without a 'limit' "
                                   "parameter, the listing comes in one page)",
                                   file.path));
  return warnings;
}

}  // namespace ratesim::scenario
