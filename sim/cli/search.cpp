#include "sim/cli/search.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "sim/cli/parallel.hpp"
#include "sim/cli/runner.hpp"
#include "sim/cli/usage.hpp"
#include "sim/report/summary_json.hpp"
#include "sim/scenario/units.hpp"

namespace ratesim::cli {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool is_seconds_metric(const std::string& metric) {
  return metric.find("_s.") != std::string::npos || (metric.size() > 2 && metric.ends_with("_s"));
}

/// Evaluates values, each with all its replications, on `jobs` threads.
class Evaluator {
 public:
  Evaluator(const SearchSpec& spec, const std::function<scenario::Scenario(double)>& make, int jobs, bool progress)
      : spec_(spec), make_(make), jobs_(jobs) {
    for (const auto& m : spec.shown) counterfactual_ = counterfactual_ || m.rfind("counterfactual.", 0) == 0;
    if (progress) progress_.emplace("search", 0);
  }

  /// Evaluates every value of `values` not yet known.
  void evaluate(const std::vector<double>& values) {
    std::vector<double> todo;
    for (const double v : values)
      if (!known_.count(v) && std::find(todo.begin(), todo.end(), v) == todo.end()) todo.push_back(v);
    if (todo.empty()) return;
    std::vector<scenario::Scenario> scenarios;
    for (const double v : todo) scenarios.push_back(make_(v));  // bad values fail here, before running
    const auto reps = static_cast<std::size_t>(spec_.replications);
    std::vector<std::vector<double>> samples(todo.size() * reps);
    std::vector<std::pair<double, std::string>> start(todo.size() * reps);
    if (progress_) progress_->add(samples.size());
    parallel_for(
        samples.size(), jobs_,
        [&](std::size_t i) {
          scenario::Scenario s = scenarios[i / reps];
          s.world.seed = spec_.seed + i % reps;
          const metrics::Summary summary = run_scenario(s, RunOptions{.counterfactual = counterfactual_}).summary;
          for (const auto& g : summary.groups)
            for (const auto& b : g.budgets)
              if (b.start_share > start[i].first) start[i] = {b.start_share, g.name + "'s " + b.name};
          const auto json = report::summary_to_json(summary);
          for (const auto& m : spec_.shown) samples[i].push_back(report::summary_metric(json, m).value_or(kNaN));
        },
        progress_ ? &*progress_ : nullptr);
    for (std::size_t k = 0; k < todo.size(); ++k) {
      Evaluation e{.value = todo[k], .feasible = true, .metrics = {}};
      for (std::size_t m = 0; m < spec_.shown.size(); ++m) {
        std::vector<double> v;
        for (std::size_t r = 0; r < reps; ++r) v.push_back(samples[k * reps + r][m]);
        const bool missing = std::any_of(v.begin(), v.end(), [](double x) { return std::isnan(x); });
        e.metrics.push_back(missing ? metrics::Estimate{kNaN, kNaN, kNaN} : metrics::estimate(v));
      }
      double most = 0;
      for (std::size_t r = 0; r < reps; ++r) {
        const auto& [share, budget] = start[k * reps + r];
        e.start_share += share / static_cast<double>(reps);
        if (share > most) {
          most = share;
          e.start_budget = budget;
        }
      }
      for (std::size_t r = 0; r < spec_.requirements.size(); ++r)
        e.feasible = e.feasible && holds(spec_.requirements[r], e.metrics[r]);
      known_.emplace(todo[k], std::move(e));
    }
  }

  const Evaluation& at(double v) const { return known_.at(v); }

 private:
  const SearchSpec& spec_;
  const std::function<scenario::Scenario(double)>& make_;
  int jobs_;
  bool counterfactual_ = false;
  std::optional<report::RunProgress> progress_;
  std::map<double, Evaluation> known_;
};

/// A real value with six significant digits, so that what is run is what is printed (no
/// 1.3250000000000002 from the arithmetic).
double tidy(double v) { return std::stod(fmt::format("{:.6g}", v)); }

double midpoint(double lo, double hi, bool integer) {
  if (integer) return lo + std::floor((hi - lo) / 2);
  return tidy(lo + (hi - lo) / 2);
}

}  // namespace

Requirement parse_requirement(const std::string& text) {
  static const std::vector<std::pair<std::string, Requirement::Op>> kOps{
      {"<=", Requirement::Op::kLe}, {">=", Requirement::Op::kGe}, {"==", Requirement::Op::kEq},
      {"<", Requirement::Op::kLt},  {">", Requirement::Op::kGt}};
  const auto bad = [&](const std::string& why) {
    return UsageError(fmt::format("invalid value '{}' for --require: {}; expected 'METRIC OP VALUE' with OP one "
                                  "of <=, <, >=, >, ==, e.g. 'total.requests.gave_up <= 0' or "
                                  "'workloads.chat.latency_s.p99 < 30s'",
                                  text, why));
  };
  const std::size_t at = text.find_first_of("<>=");
  if (at == std::string::npos) throw bad("no comparison");
  Requirement r;
  r.text = text;
  std::size_t len = 0;
  for (const auto& [s, op] : kOps)
    if (text.compare(at, s.size(), s) == 0) {
      r.op = op;
      len = s.size();
      break;
    }
  if (len == 0) throw bad("'=' alone is not a comparison");
  auto trim = [](std::string s) {
    s.erase(0, s.find_first_not_of(" \t"));
    s.erase(s.find_last_not_of(" \t") + 1);
    return s;
  };
  r.metric = trim(text.substr(0, at));
  const std::string value = trim(text.substr(at + len));
  if (r.metric.empty()) throw bad("no metric");
  if (value.empty()) throw bad("no value");
  if (is_seconds_metric(r.metric)) {
    const auto d = scenario::parse_duration(value);
    if (!d) throw bad("the metric is in seconds, so the value is a duration such as 30s or 2m");
    r.value = kernel::to_seconds(*d);
  } else {
    const auto v = scenario::parse_number(value);
    if (!v) throw bad("the value is not a number");
    r.value = *v;
  }
  return r;
}

bool holds(const Requirement& r, const metrics::Estimate& e) {
  if (std::isnan(e.mean)) return false;
  switch (r.op) {
    case Requirement::Op::kLe: return e.high <= r.value;
    case Requirement::Op::kLt: return e.high < r.value;
    case Requirement::Op::kGe: return e.low >= r.value;
    case Requirement::Op::kGt: return e.low > r.value;
    case Requirement::Op::kEq: return e.low == r.value && e.high == r.value;
  }
  return false;
}

std::string format_value(double v, bool integer) {
  if (integer) return fmt::format("{}", static_cast<long long>(std::llround(v)));
  return fmt::format("{}", v);
}

SearchResult run_search(const SearchSpec& spec, const std::function<scenario::Scenario(double)>& make, int jobs,
                        bool progress) {
  Evaluator eval(spec, make, jobs, progress);
  SearchResult result;
  auto record = [&](double v) { result.evaluations.push_back(eval.at(v)); };

  // 1. The coarse grid: the ends and three points between, ascending.
  std::vector<double> grid;
  for (int k = 0; k <= 4; ++k) {
    double v = spec.low + (spec.high - spec.low) * k / 4;
    v = spec.integer ? std::round(v) : tidy(v);
    if (grid.empty() || v != grid.back()) grid.push_back(v);
  }
  eval.evaluate(grid);
  for (const double v : grid) record(v);

  // The feasible grid point nearest the infeasible side: the largest one when maximizing.
  std::optional<std::size_t> edge;
  for (std::size_t i = 0; i < grid.size(); ++i)
    if (eval.at(grid[i]).feasible && (spec.maximize || !edge)) edge = i;
  if (!edge) return result;  // nothing in the range meets the requirements
  for (std::size_t i = 0; i < grid.size(); ++i) {
    const bool wrong_side = spec.maximize ? i < *edge : i > *edge;
    if (wrong_side && !eval.at(grid[i]).feasible)
      result.non_monotone.push_back(fmt::format(
          "{} = {} fails while {} = {} meets the requirements", spec.path, format_value(grid[i], spec.integer),
          spec.path, format_value(grid[*edge], spec.integer)));
  }
  const std::size_t edge_index = *edge;
  const bool at_end = spec.maximize ? edge_index + 1 == grid.size() : edge_index == 0;
  if (at_end) {
    result.answer = edge_index;
    return result;
  }

  // 2. Bisection between the feasible edge and its infeasible neighbour. `good` always meets the
  // requirements, `bad` never does.
  double good = grid[edge_index];
  double bad = grid[spec.maximize ? edge_index + 1 : edge_index - 1];
  const double tolerance = spec.precision * (spec.high - spec.low);
  auto done = [&](double g, double b) {
    return spec.integer ? std::fabs(g - b) <= 1 : std::fabs(g - b) <= tolerance;
  };
  // Extra threads evaluate the next levels ahead: depth d needs 2^d − 1 evaluations.
  int depth = 1;
  while ((2 << depth) - 1 <= std::max(jobs, 1)) ++depth;
  std::size_t good_index = edge_index;
  while (!done(good, bad)) {
    std::vector<double> ahead;
    std::vector<std::pair<double, double>> level{{good, bad}};
    for (int d = 0; d < depth && !level.empty(); ++d) {
      std::vector<std::pair<double, double>> next;
      for (const auto& [g, b] : level) {
        if (done(g, b)) continue;
        const double m = midpoint(std::min(g, b), std::max(g, b), spec.integer);
        ahead.push_back(m);
        next.emplace_back(g, m);
        next.emplace_back(m, b);
      }
      level = std::move(next);
    }
    eval.evaluate(ahead);
    // Walk the path through what was evaluated.
    for (int d = 0; d < depth && !done(good, bad); ++d) {
      const double m = midpoint(std::min(good, bad), std::max(good, bad), spec.integer);
      record(m);
      if (eval.at(m).feasible) {
        good = m;
        good_index = result.evaluations.size() - 1;
      } else {
        bad = m;
      }
    }
  }
  result.answer = good_index;
  for (std::size_t i = 0; i < result.evaluations.size(); ++i)
    if (result.evaluations[i].value == bad) result.beyond = i;
  return result;
}

}  // namespace ratesim::cli
