#include "sim/cli/check_command.hpp"

#include <fmt/format.h>

#include <boost/program_options.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "sim/cli/command_line.hpp"
#include "sim/cli/metric_paths.hpp"
#include "sim/cli/runner.hpp"
#include "sim/cli/usage.hpp"
#include "sim/report/run_progress.hpp"
#include "sim/metrics/confidence.hpp"
#include "sim/report/atomic_file.hpp"
#include "sim/report/output_set.hpp"
#include "sim/report/number_format.hpp"
#include "sim/report/summary_json.hpp"
#include "sim/scenario/did_you_mean.hpp"
#include "sim/scenario/input_error.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/units.hpp"

namespace po = boost::program_options;

namespace ratesim::cli {
namespace {

/// One check and how it came out.
struct Outcome {
  std::string name;     ///< "expect total.attempts.r429.total <= 2000" or "baseline total.requests.ok"
  std::string metric;
  metrics::Estimate value;
  std::string bound;    ///< "<= 2,100", ">= 950", "in [1, 5]"
  bool passed = true;
  std::string message;  ///< why it failed
};

/// Regression-relevant metrics of a summary, and which direction is better.
struct Watched {
  const char* tail;  ///< path under total. or workloads.<name>.
  bool lower_is_better;
};
const Watched kWatched[] = {
    {"requests.ok", false},       {"requests.gave_up", true},       {"requests.timed_out", true},
    {"requests.dropped", true},   {"attempts.r429.total", true},    {"latency_s.p50", true},
    {"latency_s.p99", true},      {"cost_usd.total", true},         {"makespan_s", true},
    {"throughput_rps.mean", false},
};

std::string show(double v) {
  if (std::fabs(v) >= 100 || v == std::floor(v)) return report::with_separators(v, 0);
  return report::with_separators(v, std::fabs(v) >= 1 ? 3 : 4);
}

std::string show(const metrics::Estimate& e, int replications) {
  if (replications < 2) return show(e.mean);
  return fmt::format("{} [{}, {}]", show(e.mean), show(e.low), show(e.high));
}

std::string xml_escape(const std::string& s) {
  std::string out;
  for (const char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace

int check_command(const std::vector<std::string>& args) {
  po::options_description visible(R"(Usage: ratesim check FILE [options]

Runs the scenario in FILE and checks it: every entry of its expect: list (bounds on summary
metrics), and, with --baseline, the regression-relevant metrics against an earlier
summary.json — fewer 429s, gave_up, timed_out and dropped; lower latency, cost and makespan;
more ok and throughput — each allowed to be worse by the tolerance. Prints every check; exit
code 1 if any fails. With --replications N, values are means over N seeds with 95% intervals,
and a baseline check fails only when the whole interval is worse than allowed.

Options)");
  std::string baseline_path, junit_path, markdown_path, seed_text;
  std::vector<std::string> tolerances, sets;
  int replications = 1;
  visible.add_options()("help,h", "show this help")(
      "baseline", po::value(&baseline_path), "a summary.json to compare with (from ratesim run --out)")(
      "tolerance", po::value(&tolerances)->composing(),
      "how much worse a metric may be than the baseline: 5% (every metric, the default) or "
      "METRIC=10% (a path such as total.latency_s.p99, or its tail such as latency_s.p99); repeatable")(
      "replications", po::value(&replications), "runs with seeds seed, seed+1, ... (default 1)")(
      "seed", po::value(&seed_text), "override the scenario's seed")(
      "set", po::value(&sets)->composing(), "override one value: PATH=VALUE (repeatable)")(
      "junit", po::value(&junit_path), "write a JUnit XML report (one test case per check)")(
      "markdown", po::value(&markdown_path), "write a Markdown table of the checks (for a pull-request comment)");
  std::string file;
  po::variables_map vm;
  if (!parse_command_line("check", args, visible, vm, file,
                          "\nExit codes: 0 all checks pass, 1 a check failed, 2 bad input or usage.\n"))
    return kExitOk;
  if (replications < 1 || replications > 10'000)
    throw UsageError(fmt::format("invalid value '{}' for --replications: expected 1 to 10000", replications));

  double default_tolerance = 0.05;
  std::vector<std::pair<std::string, double>> metric_tolerance;
  for (const std::string& t : tolerances) {
    const std::size_t eq = t.find('=');
    if (eq == std::string::npos) default_tolerance = parse_percent(t, "--tolerance");
    else metric_tolerance.emplace_back(t.substr(0, eq), parse_percent(t.substr(eq + 1), "--tolerance"));
  }

  scenario::Scenario s = scenario::load_scenario_file(file, sets);
  const std::uint64_t seed = vm.count("seed") ? parse_seed(seed_text) : s.world.seed;
  std::optional<nlohmann::ordered_json> baseline;
  if (!baseline_path.empty()) {
    std::error_code ec;
    if (std::filesystem::is_directory(baseline_path, ec))
      throw scenario::InputError(baseline_path, 0, 0,
                                 "the baseline is a folder: expected its summary.json (from ratesim run --out)");
    std::ifstream in(baseline_path);
    if (!in) throw scenario::InputError(baseline_path, 0, 0, "cannot open the baseline summary");
    try {
      baseline = nlohmann::ordered_json::parse(in);
    } catch (const nlohmann::json::exception& e) {
      throw scenario::InputError(baseline_path, 0, 0, fmt::format("not a summary.json: {}", e.what()));
    }
    if (!baseline->contains("schema") || (*baseline)["schema"] != report::kSummarySchema)
      throw scenario::InputError(baseline_path, 0, 0,
                                 fmt::format("not a summary.json: expected \"schema\": \"{}\"", report::kSummarySchema));
  }
  // The watched metrics under total, as paths: what a baseline must have, and what a
  // --tolerance METRIC=... may name (a full path or its tail).
  std::vector<std::string> watched_paths;
  for (const Watched& w : kWatched) {
    watched_paths.push_back(std::string("total.") + w.tail);
    watched_paths.push_back(w.tail);
    for (const auto& wl : s.world.workloads) watched_paths.push_back("workloads." + wl.name + "." + w.tail);
  }
  for (const auto& [metric, t] : metric_tolerance)
    if (std::find(watched_paths.begin(), watched_paths.end(), metric) == watched_paths.end())
      throw UsageError(fmt::format("invalid value '{}' for --tolerance: not a metric that check compares with a "
                                   "baseline{}; expected one of {}",
                                   metric, scenario::did_you_mean(metric, watched_paths), [] {
                                     std::string names;
                                     for (const Watched& w : kWatched) names += (names.empty() ? "" : ", ") + std::string(w.tail);
                                     return names;
                                   }()));
  if (baseline) {
    bool any = false;
    for (const Watched& w : kWatched) any = any || report::summary_metric(*baseline, std::string("total.") + w.tail);
    if (!any)
      throw scenario::InputError(baseline_path, 0, 0,
                                 "the baseline has none of the metrics check compares (total.requests.ok, "
                                 "total.latency_s.p99, ...): expected a summary.json written by ratesim run --out");
  }
  if (s.expectations.empty() && !baseline)
    throw UsageError(fmt::format("nothing to check: {} has no expect: entries and no --baseline was given", file));

  // Metric names are checked before anything runs, against the summary's layout.
  {
    const std::vector<std::string> paths = summary_paths_of(s);
    for (const auto& e : s.expectations) {
      if (const std::string problem = unknown_metric_message(e.metric, paths); !problem.empty())
        throw scenario::InputError(e.file, e.line, e.column, problem);
      if (const auto& d = e.duration_bound)
        throw scenario::InputError(e.file, d->line, d->column,
                                   fmt::format("invalid value '{}' for '{}': expected a number ({} is not "
                                               "in seconds; durations are for metrics ending in _s)",
                                               d->text, d->key, e.metric));
    }
  }

  std::vector<nlohmann::ordered_json> runs;
  report::RunProgress progress("check", static_cast<std::size_t>(replications));
  for (int rep = 0; rep < replications; ++rep) {
    scenario::Scenario r = s;
    r.world.seed = seed + static_cast<std::uint64_t>(rep);
    RunOptions options;
    options.progress = replications == 1;  // several runs: one line counts them instead
    runs.push_back(report::summary_to_json(run_scenario(r, options).summary));
    progress.done();
  }
  auto value_of = [&](const std::string& path) -> std::optional<metrics::Estimate> {
    std::vector<double> v;
    for (const auto& j : runs) {
      const auto x = report::summary_metric(j, path);
      if (!x) return std::nullopt;
      v.push_back(*x);
    }
    return metrics::estimate(v);
  };

  std::vector<Outcome> outcomes;
  for (const auto& e : s.expectations) {
    Outcome o{.name = "expect " + e.metric, .metric = e.metric};
    const auto v = value_of(e.metric);
    if (!v) {
      o.passed = false;
      o.message = "the run has no value for it (null: it never happened)";
      outcomes.push_back(o);
      continue;
    }
    o.value = *v;
    if (e.min && e.max) o.bound = fmt::format("in [{}, {}]", show(*e.min), show(*e.max));
    else if (e.min) o.bound = ">= " + show(*e.min);
    else o.bound = "<= " + show(*e.max);
    if (e.min && v->mean < *e.min) {
      o.passed = false;
      o.message = fmt::format("{} is below the minimum {}", show(v->mean), show(*e.min));
    }
    if (e.max && v->mean > *e.max) {
      o.passed = false;
      o.message = fmt::format("{} is above the maximum {}", show(v->mean), show(*e.max));
    }
    outcomes.push_back(o);
  }
  if (baseline) {
    // With one workload its figures are the total's: checked once, as total.
    std::vector<std::string> scopes{"total"};
    if (s.world.workloads.size() > 1)
      for (const auto& w : s.world.workloads) scopes.push_back("workloads." + w.name);
    for (const std::string& scope : scopes) {
      for (const Watched& w : kWatched) {
        const std::string path = scope + "." + w.tail;
        const auto base = report::summary_metric(*baseline, path);
        const auto v = value_of(path);
        if (!base || !v) continue;  // absent in one of them (a new workload, a null latency)
        double tol = default_tolerance;
        for (const auto& [metric, t] : metric_tolerance)
          if (path == metric || (path.size() > metric.size() && path.ends_with("." + metric))) tol = t;
        const double bound = w.lower_is_better ? *base * (1 + tol) : *base * (1 - tol);
        Outcome o{.name = "baseline " + path, .metric = path, .value = *v};
        o.bound = fmt::format("{} {} (baseline {}, {:g}%)", w.lower_is_better ? "<=" : ">=", show(bound),
                              show(*base), 100 * tol);
        // A regression only when even the favourable end of the interval is worse than allowed.
        const bool worse = w.lower_is_better ? v->low > bound + 1e-12 : v->high < bound - 1e-12;
        if (worse) {
          o.passed = false;
          o.message = fmt::format("{} is {} than the baseline {} allows ({:+.1f}%)", show(v->mean),
                                  w.lower_is_better ? "higher" : "lower", show(*base),
                                  *base != 0 ? 100 * (v->mean - *base) / *base : 100.0);
        }
        outcomes.push_back(o);
      }
    }
  }

  // The report.
  const auto failed = std::count_if(outcomes.begin(), outcomes.end(), [](const Outcome& o) { return !o.passed; });
  std::size_t name_width = 0, value_width = 0;
  for (const Outcome& o : outcomes) {
    name_width = std::max(name_width, o.name.size());
    value_width = std::max(value_width, show(o.value, replications).size());
  }
  std::cout << fmt::format("{} · seed {}{} · {} checks\n\n", s.name, seed,
                           replications > 1 ? fmt::format("..{} ({} replications)", seed + static_cast<std::uint64_t>(replications) - 1, replications) : "",
                           outcomes.size());
  for (const Outcome& o : outcomes)
    std::cout << fmt::format("{}  {:<{}}  {:>{}}  {}{}\n", o.passed ? "pass" : "FAIL", o.name, name_width,
                             show(o.value, replications), value_width, o.bound,
                             o.passed ? "" : "  — " + o.message);
  std::cout << fmt::format("\n{} passed, {} failed\n", outcomes.size() - static_cast<std::size_t>(failed), failed);

  report::OutputSet reports;
  if (!junit_path.empty()) {
    report::AtomicFile& f = reports.file(junit_path);
    f.stream() << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               << fmt::format("<testsuite name=\"ratesim check {}\" tests=\"{}\" failures=\"{}\">\n",
                              xml_escape(s.name), outcomes.size(), failed);
    for (const Outcome& o : outcomes) {
      f.stream() << fmt::format("  <testcase classname=\"{}\" name=\"{}\"", xml_escape(s.name), xml_escape(o.name));
      if (o.passed) f.stream() << "/>\n";
      else
        f.stream() << fmt::format(">\n    <failure message=\"{}\">value {}, expected {}</failure>\n  </testcase>\n",
                                  xml_escape(o.message), xml_escape(show(o.value, replications)), xml_escape(o.bound));
    }
    f.stream() << "</testsuite>\n";
  }
  if (!markdown_path.empty()) {
    report::AtomicFile& f = reports.file(markdown_path);
    f.stream() << fmt::format("### ratesim check: {} — {} passed, {} failed\n\n", s.name,
                              outcomes.size() - static_cast<std::size_t>(failed), failed)
               << "| | check | value | expected |\n|---|---|---|---|\n";
    // Failures first: a reviewer reads the top of the comment.
    std::vector<const Outcome*> ordered;
    for (const Outcome& o : outcomes)
      if (!o.passed) ordered.push_back(&o);
    for (const Outcome& o : outcomes)
      if (o.passed) ordered.push_back(&o);
    for (const Outcome* op : ordered)
      f.stream() << fmt::format("| {} | `{}` | {} | {}{} |\n", op->passed ? "✅" : "❌", op->name,
                                show(op->value, replications), op->bound, op->passed ? "" : " — " + op->message);
  }
  reports.commit();
  return failed > 0 ? kExitCheckFailed : kExitOk;
}

}  // namespace ratesim::cli
