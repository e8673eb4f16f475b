#include "models/budget.hpp"

#include <fmt/format.h>

namespace ratesim::models {

std::string_view name(LimitCause c) { return c == LimitCause::kNone ? "none" : kCauses[index(c)].name; }

const CauseSpec& spec(LimitCause c) { return kCauses[index(c)]; }

const BudgetSpec& budget_spec(std::size_t b) { return kBudgets[b]; }

std::string_view name(Scope s) { return s == Scope::kWorkspace ? "workspace" : "organization"; }

std::string refusal_key(std::size_t i) {
  const std::string_view cause = name(refusal_cause(i));
  return refusal_scope(i) == Scope::kWorkspace ? fmt::format("workspace_{}", cause) : std::string(cause);
}

std::string refusal_label(std::size_t i, std::string_view workspace) {
  const std::string_view cause = name(refusal_cause(i));
  if (refusal_scope(i) == Scope::kOrganization) return std::string(cause);
  if (workspace.empty()) return fmt::format("{} (workspace)", cause);
  return fmt::format("{} (workspace {})", cause, workspace);
}

}  // namespace ratesim::models
