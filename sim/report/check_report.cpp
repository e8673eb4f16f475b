#include "sim/report/check_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "sim/report/number_format.hpp"

namespace ratesim::report {
namespace {

using metrics::CheckOutcome;

std::string show(double v) {
  if (std::fabs(v) >= 100 || v == std::floor(v)) return with_separators(v, 0);
  return with_separators(v, std::fabs(v) >= 1 ? 3 : 4);
}

std::string show(const metrics::Estimate& e, int replications, bool seconds) {
  const std::string unit = seconds ? "s" : "";
  if (replications < 2) return show(e.mean) + unit;
  return fmt::format("{}{} [{}{}, {}{}]", show(e.mean), unit, show(e.low), unit, show(e.high), unit);
}

/// A value of the check's metric, with "s" for one in seconds.
std::string value_text(const CheckOutcome& o, double v) { return show(v) + (o.seconds ? "s" : ""); }

/// A bound as the file wrote it ("30s"), else as a number.
std::string bound_text(const CheckOutcome& o, bool max) {
  const std::string& text = max ? o.max_text : o.min_text;
  if (!text.empty()) return text;
  return value_text(o, max ? *o.max : *o.min);
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

std::size_t failures(const std::vector<CheckOutcome>& outcomes) {
  return static_cast<std::size_t>(std::count_if(outcomes.begin(), outcomes.end(), [](const CheckOutcome& o) { return !o.passed(); }));
}

}  // namespace

std::string check_bound(const CheckOutcome& o) {
  if (o.baseline)
    return fmt::format("{} {} (baseline {}, {:g}%)", o.max ? "<=" : ">=", show(o.max ? *o.max : *o.min), show(*o.baseline),
                       100 * o.tolerance);
  if (o.min && o.max) return fmt::format("in [{}, {}]", bound_text(o, false), bound_text(o, true));
  if (o.min) return ">= " + bound_text(o, false);
  if (o.max) return "<= " + bound_text(o, true);
  return "";
}

std::string check_failure(const CheckOutcome& o) {
  switch (o.failure) {
    case CheckOutcome::Failure::kNone: return "";
    case CheckOutcome::Failure::kNoValue: return "the run has no value for it (null: it never happened)";
    case CheckOutcome::Failure::kBelowMin:
      return fmt::format("{} is below the minimum {}", value_text(o, o.value.mean), bound_text(o, false));
    case CheckOutcome::Failure::kAboveMax:
      return fmt::format("{} is above the maximum {}", value_text(o, o.value.mean), bound_text(o, true));
    case CheckOutcome::Failure::kWorse:
      return fmt::format("{} is {} than the baseline {} allows ({:+.1f}%)", show(o.value.mean), o.max ? "higher" : "lower",
                         show(*o.baseline), *o.baseline != 0 ? 100 * (o.value.mean - *o.baseline) / *o.baseline : 100.0);
  }
  return "";
}

std::string check_table(const CheckRun& run, const std::vector<CheckOutcome>& outcomes) {
  std::size_t name_width = 0, value_width = 0;
  for (const CheckOutcome& o : outcomes) {
    name_width = std::max(name_width, o.name.size());
    value_width = std::max(value_width, show(o.value, run.replications, o.seconds).size());
  }
  std::string t = fmt::format("{} · seed {}{} · {} checks\n\n", run.scenario, run.seed,
                              run.replications > 1 ? fmt::format("..{} ({} replications)", run.seed + static_cast<std::uint64_t>(run.replications) - 1,
                                                                 run.replications)
                                                   : "",
                              outcomes.size());
  for (const CheckOutcome& o : outcomes)
    t += fmt::format("{}  {:<{}}  {:>{}}  {}{}\n", o.passed() ? "pass" : "FAIL", o.name, name_width,
                     show(o.value, run.replications, o.seconds), value_width, check_bound(o), o.passed() ? "" : "  — " + check_failure(o));
  t += fmt::format("\n{} passed, {} failed\n", outcomes.size() - failures(outcomes), failures(outcomes));
  return t;
}

void write_junit(std::ostream& out, const CheckRun& run, const std::vector<CheckOutcome>& outcomes) {
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << fmt::format("<testsuite name=\"ratesim check {}{}\" tests=\"{}\" failures=\"{}\">\n", xml_escape(run.scenario),
                     run.file.empty() ? "" : " (" + xml_escape(run.file) + ")", outcomes.size(), failures(outcomes));
  const std::string classname = run.file.empty() ? run.scenario : run.file;
  for (const CheckOutcome& o : outcomes) {
    out << fmt::format("  <testcase classname=\"{}\" name=\"{}\"", xml_escape(classname), xml_escape(o.name));
    if (o.passed()) out << "/>\n";
    else
      out << fmt::format(">\n    <failure message=\"{}\">value {}, expected {}</failure>\n  </testcase>\n",
                         xml_escape(check_failure(o)), xml_escape(show(o.value, run.replications, o.seconds)), xml_escape(check_bound(o)));
  }
  out << "</testsuite>\n";
}

void write_check_markdown(std::ostream& out, const CheckRun& run, const std::vector<CheckOutcome>& outcomes) {
  out << fmt::format("### ratesim check: {} — {} passed, {} failed\n\n", run.scenario, outcomes.size() - failures(outcomes),
                     failures(outcomes))
      << "| | check | value | expected |\n|---|---|---|---|\n";
  // Failures first: a reviewer reads the top of the comment.
  std::vector<const CheckOutcome*> ordered;
  for (const CheckOutcome& o : outcomes)
    if (!o.passed()) ordered.push_back(&o);
  for (const CheckOutcome& o : outcomes)
    if (o.passed()) ordered.push_back(&o);
  for (const CheckOutcome* o : ordered)
    out << fmt::format("| {} | `{}` | {} | {}{} |\n", o->passed() ? "✅" : "❌", o->name, show(o->value, run.replications, o->seconds),
                       check_bound(*o), o->passed() ? "" : " — " + check_failure(*o));
}

}  // namespace ratesim::report
