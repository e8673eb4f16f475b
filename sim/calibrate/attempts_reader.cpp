#include "sim/calibrate/attempts_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string_view>
#include <unordered_map>

#include "sim/report/rfc3339.hpp"
#include "sim/scenario/input_error.hpp"
#include "sim/scenario/units.hpp"

namespace ratesim::calibrate {
namespace {

using nlohmann::json;
using models::LimitCause;

/// Largest log file read: about 4 million lines of a few hundred bytes.
constexpr std::uintmax_t kMaxLogBytes = 4ull << 30;

/// A line that cannot be used: where in the line (1-based column, or 1) and why.
struct BadLine {
  int column;
  std::string message;
};

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string shown(const json& v) {
  std::string text = v.is_string() ? v.get<std::string>() : v.dump();
  if (text.size() > 60) text = text.substr(0, 57) + "...";
  return "'" + text + "'";
}

/// A number, or a string holding one (CSV fields and header values are strings).
std::optional<double> number_of(const json& v) {
  if (v.is_number()) return v.get<double>();
  if (v.is_string()) return scenario::parse_number(v.get_ref<const std::string&>());
  return std::nullopt;
}

double require_number(const json& v, const char* field, double min, const char* expected) {
  const auto n = number_of(v);
  if (!n || !std::isfinite(*n) || *n < min)
    throw BadLine{1, fmt::format("invalid value {} for '{}': expected {}", shown(v), field, expected)};
  return *n;
}

std::int64_t require_count(const json& v, const char* field) {
  const double n = require_number(v, field, 0, "a whole number of tokens >= 0");
  if (n != std::floor(n) || n > 1e12)
    throw BadLine{1, fmt::format("invalid value {} for '{}': expected a whole number of tokens >= 0", shown(v), field)};
  return static_cast<std::int64_t>(n);
}

/// An instant: RFC 3339 with a zone, or seconds as a number (Unix time when it is one).
double instant(const json& v, const char* field) {
  if (v.is_string()) {
    if (const auto t = report::parse_rfc3339(v.get_ref<const std::string&>())) return *t;
    if (const auto n = scenario::parse_number(v.get_ref<const std::string&>()); n && std::isfinite(*n)) return *n;
  } else if (v.is_number()) {
    return v.get<double>();
  }
  throw BadLine{1, fmt::format("invalid value {} for '{}': expected an RFC 3339 time with a zone "
                               "(2026-03-01T12:00:00.250Z) or seconds as a number", shown(v), field)};
}

const char* const kBudgetNames[] = {"requests", "input-tokens", "output-tokens", "tokens"};

class Reader {
 public:
  Reader(AttemptsLog& log, const ReadOptions& options) : log_(log), options_(options) {}

  void read_file(const std::string& path) {
    scenario::check_input_file(path, kMaxLogBytes, "attempts log");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw scenario::InputError(path, 0, 0, fmt::format("cannot open attempts log: {}", std::strerror(errno)));
    file_ = static_cast<std::uint16_t>(log_.files.size());
    log_.files.push_back(path);
    const bool csv = path.size() >= 4 && lower(path.substr(path.size() - 4)) == ".csv";
    std::string line;
    std::uint32_t number = 0;
    std::vector<std::string> header;
    while (std::getline(in, line)) {
      ++number;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.find_first_not_of(" \t") == std::string::npos) continue;
      try {
        if (csv && header.empty()) {
          header = csv_header(line);
          continue;
        }
        const json object = csv ? csv_object(header, line) : parse_json(line);
        add(object, number);
      } catch (const BadLine& bad) {
        if (!options_.skip_bad) throw scenario::InputError(path, static_cast<int>(number), bad.column, bad.message);
        if (log_.skipped++ == 0) {
          log_.first_skipped_file = path;
          log_.first_skipped_line = number;
          log_.first_skipped_reason = bad.message;
        }
      }
    }
    if (csv && header.empty()) throw scenario::InputError(path, 1, 1, "empty CSV attempts log: expected a header row naming its fields");
  }

 private:
  static json parse_json(const std::string& line) {
    try {
      json j = json::parse(line);
      if (!j.is_object())
        throw BadLine{1, fmt::format("expected a JSON object (one attempt per line), got {}", shown(j))};
      return j;
    } catch (const json::parse_error& e) {
      std::string what = e.what();
      if (const auto colon = what.find("syntax error"); colon != std::string::npos) what = what.substr(colon);
      throw BadLine{static_cast<int>(std::max<std::size_t>(1, e.byte)), "malformed JSON: " + what};
    }
  }

  /// Splits one CSV line (RFC 4180 quoting, without line breaks inside quotes).
  static std::vector<std::string> csv_fields(const std::string& line) {
    std::vector<std::string> out(1);
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
      const char c = line[i];
      if (quoted) {
        if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
          out.back() += '"';
          ++i;
        } else if (c == '"') {
          quoted = false;
        } else {
          out.back() += c;
        }
      } else if (c == '"' && out.back().empty()) {
        quoted = true;
      } else if (c == ',') {
        out.emplace_back();
      } else {
        out.back() += c;
      }
    }
    if (quoted) throw BadLine{static_cast<int>(line.size()), "unterminated quoted field"};
    return out;
  }

  static std::vector<std::string> csv_header(const std::string& line) {
    std::vector<std::string> names = csv_fields(line);
    for (std::string& n : names) {
      while (!n.empty() && n.back() == ' ') n.pop_back();
      n.erase(0, n.find_first_not_of(' '));
    }
    if (std::find(names.begin(), names.end(), "time") == names.end())
      throw BadLine{1, "the CSV header has no 'time' column: expected the attempts log's fields "
                       "with dotted names (time, request_id, model, status, latency_s, usage.output_tokens, ...)"};
    return names;
  }

  static json csv_object(const std::vector<std::string>& header, const std::string& line) {
    const std::vector<std::string> fields = csv_fields(line);
    if (fields.size() != header.size())
      throw BadLine{1, fmt::format("expected {} fields as in the header, got {}", header.size(), fields.size())};
    json j = json::object();
    for (std::size_t i = 0; i < header.size(); ++i) {
      if (fields[i].empty()) continue;  // an empty field is an absent one
      const std::string& name = header[i];
      const std::size_t dot = name.find('.');
      if (dot == std::string::npos) j[name] = fields[i];
      else j[name.substr(0, dot)][name.substr(dot + 1)] = fields[i];
    }
    return j;
  }

  std::uint32_t intern(std::unordered_map<std::string, std::uint32_t>& index, std::vector<std::string>& names,
                       const std::string& key) {
    const auto [it, added] = index.try_emplace(key, static_cast<std::uint32_t>(names.size()));
    if (added) names.push_back(key);
    return it->second;
  }

  void add(const json& o, std::uint32_t line) {
    LoggedAttempt a;
    a.line = line;
    a.file = file_;
    const auto field = [&](const char* name) -> const json* {
      const auto it = o.find(name);
      return it == o.end() || it->is_null() ? nullptr : &*it;
    };
    const auto required = [&](const char* name, const char* expected) -> const json& {
      const json* v = field(name);
      if (!v) throw BadLine{1, fmt::format("missing field '{}': expected {}", name, expected)};
      return *v;
    };
    a.time = instant(required("time", "when the attempt was sent (RFC 3339, or seconds)"), "time");
    if (const json* v = field("arrival")) a.arrival = instant(*v, "arrival");
    const json& id = required("request_id", "the id shared by the attempts of one logical request");
    if (!id.is_string() && !id.is_number_integer())
      throw BadLine{1, fmt::format("invalid value {} for 'request_id': expected a string or a whole number", shown(id))};
    a.request = intern(request_index_, log_.request_ids, id.is_string() ? id.get<std::string>() : id.dump());
    const json& model = required("model", "the model of the attempt");
    if (!model.is_string() || model.get_ref<const std::string&>().empty())
      throw BadLine{1, fmt::format("invalid value {} for 'model': expected a model name", shown(model))};
    if (log_.models.size() >= 1000 && !model_index_.count(model.get<std::string>()))
      throw BadLine{1, "more than 1,000 distinct models in the log"};
    a.model = static_cast<std::uint16_t>(intern(model_index_, log_.models, model.get<std::string>()));
    if (const json* v = field("workload")) {
      if (!v->is_string())
        throw BadLine{1, fmt::format("invalid value {} for 'workload': expected a name", shown(*v))};
      if (workload_index_.empty()) workload_index_[""] = 0;
      if (log_.workloads.size() >= 1000 && !workload_index_.count(v->get<std::string>()))
        throw BadLine{1, "more than 1,000 distinct workloads in the log"};
      a.workload = static_cast<std::uint16_t>(intern(workload_index_, log_.workloads, v->get<std::string>()));
    }
    if (const json* v = field("status"))
      a.status = static_cast<int>(require_number(*v, "status", 0, "an HTTP status (200, 429, 529, ...) or null"));
    if (const json* v = field("attempt")) a.attempt = static_cast<std::uint32_t>(require_number(*v, "attempt", 1, "1, 2, ..."));
    if (const json* v = field("latency_s")) a.latency = require_number(*v, "latency_s", 0, "seconds >= 0");
    if (const json* v = field("ttft_s")) a.ttft = require_number(*v, "ttft_s", 0, "seconds >= 0");
    if (const json* v = field("max_tokens")) a.max_tokens = require_count(*v, "max_tokens");
    if (const json* v = field("input_tokens")) a.prompt_tokens = require_count(*v, "input_tokens");
    if (const json* u = field("usage")) {
      if (!u->is_object()) throw BadLine{1, fmt::format("invalid value {} for 'usage': expected an object", shown(*u))};
      const auto count = [&](const char* name) -> std::int64_t {
        const auto it = u->find(name);
        return it == u->end() || it->is_null() ? 0 : require_count(*it, name);
      };
      a.has_usage = true;
      a.input_tokens = count("input_tokens");
      a.output_tokens = count("output_tokens");
      a.cache_write_tokens = count("cache_creation_input_tokens");
      a.cache_read_tokens = count("cache_read_input_tokens");
    }
    if (const json* h = field("headers")) read_headers(*h, a);
    if (const json* e = field("error"); e && a.status == 429) {
      const json* message = e->is_object() && e->contains("message") ? &(*e)["message"] : e;
      if (message->is_string()) a.named_cause = cause_from_message(message->get_ref<const std::string&>());
    }
    log_.attempts.push_back(a);
  }

  static void read_headers(const json& h, LoggedAttempt& a) {
    if (!h.is_object()) throw BadLine{1, fmt::format("invalid value {} for 'headers': expected an object", shown(h))};
    for (const auto& [key, value] : h.items()) {
      if (value.is_null()) continue;
      const std::string name = lower(key);
      if (name == "retry-after") {
        a.retry_after = require_number(value, "retry-after", 0, "seconds");
      } else if (name == "x-should-retry") {
        const std::string v = value.is_string() ? lower(value.get<std::string>()) : value.dump();
        if (v != "true" && v != "false")
          throw BadLine{1, fmt::format("invalid value {} for 'x-should-retry': expected true or false", shown(value))};
        a.should_retry = v == "true";
      } else if (name.rfind("anthropic-ratelimit-", 0) == 0) {
        const std::string rest = name.substr(20);
        for (std::size_t b = 0; b < models::kBudgetCount; ++b) {
          const std::string budget = kBudgetNames[b];
          if (rest.rfind(budget + "-", 0) != 0) continue;
          const std::string part = rest.substr(budget.size() + 1);
          const std::string label = "anthropic-ratelimit-" + rest;
          if (part == "limit") {
            const double v = require_number(value, label.c_str(), 1, "a limit per minute");
            a.budgets[b].limit = static_cast<std::int64_t>(v);
          } else if (part == "remaining") {
            a.budgets[b].remaining = require_number(value, label.c_str(), -1e15, "a number");
          } else if (part == "reset") {
            a.budgets[b].reset = instant(value, label.c_str());
          } else {
            continue;
          }
          break;
        }
      }
    }
  }

  AttemptsLog& log_;
  const ReadOptions& options_;
  std::uint16_t file_ = 0;
  std::unordered_map<std::string, std::uint32_t> request_index_, model_index_, workload_index_;
};

}  // namespace

double AttemptsLog::span() const {
  double end = 0;
  for (const LoggedAttempt& a : attempts) end = std::max(end, a.end());
  return end;
}

models::LimitCause cause_from_message(std::string_view message) {
  const std::string m = lower(message);
  if (m.find("acceleration") != std::string::npos || m.find("sharp increase") != std::string::npos)
    return LimitCause::kAcceleration;
  if (m.find("spend limit") != std::string::npos || m.find("spending limit") != std::string::npos)
    return LimitCause::kSpend;
  if (m.find("input tokens per minute") != std::string::npos) return LimitCause::kItpm;
  if (m.find("output tokens per minute") != std::string::npos) return LimitCause::kOtpm;
  if (m.find("requests per minute") != std::string::npos) return LimitCause::kRpm;
  if (m.find("tokens per minute") != std::string::npos) return LimitCause::kTpm;
  return LimitCause::kNone;
}

AttemptsLog read_attempts_logs(const std::vector<std::string>& paths, const ReadOptions& options) {
  AttemptsLog log;
  if (paths.size() > 60000) throw scenario::InputError(paths.front(), 0, 0, "more than 60,000 log files");
  Reader reader(log, options);
  for (const std::string& p : paths) reader.read_file(p);
  if (log.attempts.empty())
    throw scenario::InputError(paths.empty() ? "" : paths.front(), 0, 0,
                               log.skipped ? "no usable attempt: every line was malformed" : "the attempts log is empty");
  std::stable_sort(log.attempts.begin(), log.attempts.end(),
                   [](const LoggedAttempt& x, const LoggedAttempt& y) { return x.time < y.time; });
  log.epoch = log.attempts.front().time;
  for (const LoggedAttempt& a : log.attempts)
    if (!std::isnan(a.arrival)) log.epoch = std::min(log.epoch, a.arrival);
  for (LoggedAttempt& a : log.attempts) {
    a.time -= log.epoch;
    a.arrival -= log.epoch;
    for (LoggedBudget& b : a.budgets)
      if (!std::isnan(b.reset)) b.reset -= log.epoch;
  }
  return log;
}

}  // namespace ratesim::calibrate
