#include "sim/cli/warning.hpp"
#include "sim/cli/search_command.hpp"

#include <fmt/format.h>

#include <boost/program_options.hpp>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "sim/cli/command_line.hpp"
#include "sim/cli/shared_options.hpp"
#include "sim/cli/metric_paths.hpp"
#include "sim/cli/search.hpp"
#include "sim/cli/usage.hpp"
#include "sim/report/atomic_file.hpp"
#include "sim/report/output_set.hpp"
#include "sim/report/number_format.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/units.hpp"

namespace po = boost::program_options;

namespace ratesim::cli {
namespace {

constexpr const char* kSearchSchema = "ratesim.search/1";

/// The metrics every evaluation records after the requirements' own.
const std::vector<std::string> kContext{"total.requests.ok",     "total.requests.gave_up",
                                        "total.attempts.r429.total", "total.latency_s.p99",
                                        "total.makespan_s",      "total.cost_usd.per_ok_request"};

/// LO or HI of --vary: a number, a duration (seconds) or a rate (per second).
double parse_bound(const std::string& text, const std::string& whole) {
  if (const auto v = scenario::parse_number(text)) return *v;
  if (const auto d = scenario::parse_duration(text)) return kernel::to_seconds(*d);
  if (const auto r = scenario::parse_rate(text)) return *r;
  throw UsageError(fmt::format("invalid value '{}' for --vary: expected PATH=LO..HI with numbers (or durations, "
                               "or rates), e.g. workloads.backfill.client.semaphore.limit=1..64",
                               whole));
}

struct Vary {
  std::string path;
  double low = 0, high = 0;
};

Vary parse_vary(const std::string& text) {
  const std::size_t eq = text.find('=');
  const std::size_t dots = text.find("..", eq == std::string::npos ? 0 : eq);
  if (eq == std::string::npos || eq == 0 || dots == std::string::npos)
    throw UsageError(fmt::format("invalid value '{}' for --vary: expected PATH=LO..HI, e.g. "
                                 "workloads.chat.traffic.0.rate=1..50",
                                 text));
  Vary v{text.substr(0, eq), parse_bound(text.substr(eq + 1, dots - eq - 1), text),
         parse_bound(text.substr(dots + 2), text)};
  if (!(v.low < v.high))
    throw UsageError(fmt::format("invalid value '{}' for --vary: LO must be below HI", text));
  return v;
}

std::string show(const metrics::Estimate& e, int replications) {
  return report::readable(e.mean, e.high, replications);
}

/// A metric's value; durations of two minutes and more in minutes or hours, which read better.
std::string show(const std::string& metric, const metrics::Estimate& e, int replications) {
  const bool seconds = metric.find("_s.") != std::string::npos || metric.ends_with("_s");
  if (!seconds || std::isnan(e.mean) || std::fabs(e.mean) < 120) return show(e, replications);
  const double unit = std::fabs(e.mean) < 7200 ? 60 : 3600;
  const char* name = unit == 60 ? "min" : "h";
  if (replications < 2) return fmt::format("{:.2f} {}", e.mean / unit, name);
  return fmt::format("{:.2f} ± {:.2f} {}", e.mean / unit, (e.high - e.mean) / unit, name);
}

nlohmann::ordered_json number_or_null(double v) {
  return std::isnan(v) ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(report::round_significant(v));
}

/// A share of the work the full starting bucket served that the table notes: half a percent,
/// about what a one-minute bucket adds to a three-hour run at the limit.
constexpr double kStartShareOfNote = 0.005;

/// Four significant digits: an estimate, not a searched value.
double tidy_value(double v) { return std::stod(fmt::format("{:.4g}", v)); }

nlohmann::ordered_json to_json(const SearchSpec& spec, const SearchResult& r) {
  using nlohmann::ordered_json;
  // Whole numbers as integers when the search is over whole numbers.
  auto value = [&](double v) { return spec.integer ? ordered_json(std::llround(v)) : ordered_json(v); };
  ordered_json j;
  j["schema"] = kSearchSchema;
  j["path"] = spec.path;
  j["goal"] = spec.maximize ? "maximize" : "minimize";
  j["range"] = ordered_json::array({value(spec.low), value(spec.high)});
  j["integer"] = spec.integer;
  j["replications"] = spec.replications;
  j["answer"] = r.answer ? value(r.evaluations[*r.answer].value) : ordered_json(nullptr);
  j["beyond"] = r.beyond ? value(r.evaluations[*r.beyond].value) : ordered_json(nullptr);
  ordered_json reqs = ordered_json::array();
  static const char* const kOps[] = {"<=", "<", ">=", ">", "=="};
  for (const auto& q : spec.requirements)
    reqs.push_back(ordered_json{{"metric", q.metric}, {"op", kOps[static_cast<int>(q.op)]}, {"value", q.value}});
  j["requirements"] = std::move(reqs);
  j["non_monotone"] = r.non_monotone;
  ordered_json evals = ordered_json::array();
  for (const auto& e : r.evaluations) {
    ordered_json m = ordered_json::object(), ci = ordered_json::object();
    for (std::size_t k = 0; k < spec.shown.size(); ++k) {
      m[spec.shown[k]] = number_or_null(e.metrics[k].mean);
      ci[spec.shown[k]] = ordered_json::array({number_or_null(e.metrics[k].low), number_or_null(e.metrics[k].high)});
    }
    ordered_json item{{"value", value(e.value)}, {"feasible", e.feasible}, {"metrics", std::move(m)},
                      {"start_share", report::round_significant(e.start_share)}};
    if (spec.replications > 1) item["intervals"] = std::move(ci);
    evals.push_back(std::move(item));
  }
  j["evaluations"] = std::move(evals);
  return j;
}

void write_csv(std::ostream& out, const SearchSpec& spec, const SearchResult& r) {
  out << "order,value,feasible";
  for (const auto& m : spec.shown) out << "," << m;
  if (spec.replications > 1)
    for (const auto& m : spec.shown) out << "," << m << ".ci_low," << m << ".ci_high";
  out << "\n";
  auto cell = [](double v) { return std::isnan(v) ? std::string() : fmt::format("{}", report::round_significant(v)); };
  for (std::size_t i = 0; i < r.evaluations.size(); ++i) {
    const auto& e = r.evaluations[i];
    out << i << "," << format_value(e.value, spec.integer) << "," << (e.feasible ? "true" : "false");
    for (const auto& m : e.metrics) out << "," << cell(m.mean);
    if (spec.replications > 1)
      for (const auto& m : e.metrics) out << "," << cell(m.low) << "," << cell(m.high);
    out << "\n";
  }
}

std::string table(const std::string& name, const SearchSpec& spec, const SearchResult& r) {
  std::string out = fmt::format("{} · search: the {} {} in [{}, {}]{}{}\n", name,
                                spec.maximize ? "largest" : "smallest", spec.path,
                                format_value(spec.low, spec.integer), format_value(spec.high, spec.integer),
                                spec.integer ? ", whole numbers" : "",
                                spec.replications > 1 ? fmt::format(", {} replications (95% intervals)", spec.replications) : "");
  out += "requiring";
  for (std::size_t i = 0; i < spec.requirements.size(); ++i)
    out += (i ? " and " : " ") + spec.requirements[i].text;
  out += "\n\n";
  if (!r.answer) {
    out += "no value in the range meets the requirements\n";
  } else {
    const auto& a = r.evaluations[*r.answer];
    out += fmt::format("answer: {} = {}\n", spec.path, format_value(a.value, spec.integer));
    std::vector<std::vector<std::string>> rows;
    rows.push_back({"", fmt::format("{} (answer)", format_value(a.value, spec.integer))});
    if (r.beyond)
      rows[0].push_back(fmt::format("{} (first beyond)", format_value(r.evaluations[*r.beyond].value, spec.integer)));
    for (std::size_t k = 0; k < spec.shown.size(); ++k) {
      std::vector<std::string> row{spec.shown[k], show(spec.shown[k], a.metrics[k], spec.replications)};
      if (r.beyond) {
        std::string cell = show(spec.shown[k], r.evaluations[*r.beyond].metrics[k], spec.replications);
        if (k < spec.requirements.size() && !holds(spec.requirements[k], r.evaluations[*r.beyond].metrics[k]))
          cell += " (fails)";
        row.push_back(cell);
      }
      rows.push_back(row);
    }
    std::vector<std::size_t> width(rows[0].size(), 0);
    for (const auto& row : rows)
      for (std::size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
    out += "\n";
    for (const auto& row : rows) {
      std::string line = fmt::format("  {:<{}}", row[0], width[0]);
      for (std::size_t c = 1; c < row.size(); ++c) line += fmt::format("  {:>{}}", row[c], width[c]);
      out += line + "\n";
    }
    if (!r.beyond)
      out += fmt::format("\nthe whole range meets the requirements: the answer may lie beyond {}\n",
                         format_value(a.value, spec.integer));
    // Every bucket starts full. Where that stored allowance served a measurable share of the
    // work, the answer holds for this horizon, not for good: over a longer one it is lower.
    if (a.start_share >= kStartShareOfNote) {
      // For an arrival rate the steady figure follows: the use beyond refill scales with it.
      const bool rate = spec.path.find("rate") != std::string::npos;
      out += fmt::format("\nnote: at the answer, {} bucket, full at the start, served {:.1f}% of that budget's use "
                         "beyond its refill.\nThe answer holds for this horizon; over a longer one it is lower{}. A "
                         "longer duration measures it (a warm-up does not: a load above the limit draws on the "
                         "bucket whenever it comes)\n",
                         a.start_budget, 100 * a.start_share,
                         rate ? ", about " + format_value(tidy_value(a.value * (1 - a.start_share)), false) +
                                    " for a rate that holds for good"
                              : "");
    }
  }
  for (const auto& n : r.non_monotone)
    out += "\nwarning: feasibility is not monotone in " + spec.path + ": " + n +
           "; the answer is the edge nearest the " + (spec.maximize ? "top" : "bottom") + " of the range";
  if (!r.non_monotone.empty()) out += "\n";
  out += fmt::format("\nevaluations, in order ({}):\n", r.evaluations.size());
  std::size_t vw = 5;
  for (const auto& e : r.evaluations) vw = std::max(vw, format_value(e.value, spec.integer).size());
  std::string head = fmt::format("  {:>{}}  {:<5}", "value", vw, "meets");
  for (std::size_t k = 0; k < spec.requirements.size(); ++k) head += "  " + spec.requirements[k].metric;
  out += head + "\n";
  for (const auto& e : r.evaluations) {
    std::string line = fmt::format("  {:>{}}  {:<5}", format_value(e.value, spec.integer), vw, e.feasible ? "yes" : "no");
    for (std::size_t k = 0; k < spec.requirements.size(); ++k)
      line += fmt::format("  {:>{}}", show(spec.shown[k], e.metrics[k], spec.replications),
                          spec.requirements[k].metric.size());
    out += line + "\n";
  }
  return out;
}

}  // namespace

int search_command(const std::vector<std::string>& args) {
  po::options_description visible(R"(Usage: ratesim search FILE --vary PATH=LO..HI (--maximize | --minimize) --require 'METRIC OP VALUE'... [options]

Finds the largest (--maximize) or smallest (--minimize) value of one scenario path in [LO, HI]
for which every requirement holds: the highest safe arrival rate, the fewest workers that finish
a backlog in time, the most workers without give-ups. METRIC is a summary.json path (as in
expect:), OP one of <=, <, >=, >, ==, VALUE a number (a duration such as 30s for *_s metrics).

It assumes feasibility is monotone in the value, evaluates the range's ends and three points
between, then bisects: whole numbers exactly (--integer), others to --precision of the range.
An evaluation that contradicts monotonicity is reported with the evidence. With
--replications N a requirement holds only when its whole 95% interval lies on the right side.
Prints the answer, the metrics there and at the first value beyond it (the knee), and every
evaluation; the same output whatever --jobs.

Options)");
  std::vector<std::string> requires_text;
  std::string vary_text, out_dir;
  double precision = 0.005;
  visible.add_options()("help,h", "show this help")(
      "vary", po::value(&vary_text), "PATH=LO..HI: the path to vary and its range (required)")(
      "integer", "whole values only (counts: workers, limits, retries)")(
      "maximize", "find the largest value that meets the requirements")(
      "minimize", "find the smallest value that meets the requirements")(
      "require", po::value(&requires_text)->composing(), "'METRIC OP VALUE', e.g. 'total.requests.gave_up <= 0' (repeatable; at least one)");
  const ReplicationsOption replication_option(visible, "runs per value, seeds seed, seed+1, ... (default 1)");
  visible.add_options()(
      "precision", po::value(&precision), "for non-integers: stop when the bracket is this share of the range (default 0.005)");
  const JobsOption jobs_option(visible);
  const SeedOption seed_option(visible);
  const SetOption set_option(visible, "override one value at every evaluation: PATH=VALUE");
  const VariantOption variant_option(visible, "search the scenario's variant NAME instead of the base");
  visible.add_options()(
      "out", po::value(&out_dir), "write search.json and search.csv into this folder")(
      "json", "print search.json instead of the table");
  std::string file;
  po::variables_map vm;
  if (!parse_command_line("search", args, visible, vm, file,
                          "\nExit codes: 0 an answer was found, 1 no value in the range meets the requirements, "
                          "2 bad input or usage.\n"))
    return kExitOk;
  const std::vector<std::string>& sets = set_option.value();
  const std::string& variant = variant_option.value();
  const int replications = replication_option.value();
  if (vary_text.empty()) throw UsageError("search needs --vary PATH=LO..HI (see 'ratesim search --help')");
  if (vm.count("maximize") == vm.count("minimize"))
    throw UsageError("search needs exactly one of --maximize and --minimize");
  if (requires_text.empty()) throw UsageError("search needs at least one --require 'METRIC OP VALUE'");
  if (!(precision > 0 && precision < 1))
    throw UsageError(fmt::format("invalid value '{}' for --precision: expected a share above 0 and below 1", precision));

  const Vary vary = parse_vary(vary_text);
  SearchSpec spec{.path = vary.path, .low = vary.low, .high = vary.high, .integer = vm.count("integer") > 0,
                  .maximize = vm.count("maximize") > 0, .precision = precision, .requirements = {}, .shown = {},
                  .replications = replications, .seed = 0};
  if (spec.integer && (vary.low != std::floor(vary.low) || vary.high != std::floor(vary.high)))
    throw UsageError(fmt::format("invalid value '{}' for --vary: with --integer, LO and HI are whole numbers", vary_text));
  for (const auto& t : requires_text) spec.requirements.push_back(parse_requirement(t));

  auto make = [&](double value) {
    std::vector<std::string> s = sets;
    s.push_back(spec.path + "=" + format_value(value, spec.integer));
    return variant.empty() ? scenario::load_scenario_file(file, s) : scenario::load_scenario_variant(file, variant, s);
  };
  // Everything is checked before anything runs: the path at both ends, and the metrics.
  const scenario::Scenario first = make(spec.low);
  const scenario::Scenario last = make(spec.high);
  const std::vector<std::string> paths = summary_paths_of(first);
  for (const auto& q : spec.requirements) {
    if (const std::string problem = unknown_metric_message(q.metric, paths); !problem.empty())
      throw UsageError("--require: " + problem);
    if (std::find(spec.shown.begin(), spec.shown.end(), q.metric) == spec.shown.end()) spec.shown.push_back(q.metric);
  }
  // A requirement's own metric is listed once, first.
  std::vector<Requirement> unique;
  for (const auto& m : spec.shown)
    for (const auto& q : spec.requirements)
      if (q.metric == m) {
        unique.push_back(q);
        break;
      }
  if (unique.size() != spec.requirements.size())
    throw UsageError("give each metric at most one --require (two bounds on one metric: search twice)");
  for (const auto& m : kContext)
    if (std::find(spec.shown.begin(), spec.shown.end(), m) == spec.shown.end()) spec.shown.push_back(m);
  spec.seed = seed_option.value().value_or(first.world.seed);
  print_spend_warnings({{spec.path + "=" + format_value(spec.low, spec.integer), &first},
                        {spec.path + "=" + format_value(spec.high, spec.integer), &last}});

  const SearchResult result = run_search(spec, make, jobs_option.value(), true);

  const auto json = to_json(spec, result);
  if (!out_dir.empty()) {
    report::OutputSet outputs;
    outputs.directory(out_dir);
    outputs.file(std::filesystem::path(out_dir) / "search.json").stream() << json.dump(2) << "\n";
    write_csv(outputs.file(std::filesystem::path(out_dir) / "search.csv").stream(), spec, result);
    outputs.commit();
  }
  if (vm.count("json")) std::cout << json.dump(2) << "\n";
  else std::cout << table(first.name + (variant.empty() ? "" : " (" + variant + ")"), spec, result);
  if (!out_dir.empty() && !vm.count("json"))
    std::cout << fmt::format("\nwrote {} and {}\n", (std::filesystem::path(out_dir) / "search.json").string(),
                             (std::filesystem::path(out_dir) / "search.csv").string());
  return result.answer ? kExitOk : kExitCheckFailed;
}

}  // namespace ratesim::cli
