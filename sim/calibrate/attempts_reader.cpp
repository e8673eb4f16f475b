#include "sim/calibrate/attempts_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <zlib.h>
#include <future>
#include <nlohmann/json.hpp>
#include <string_view>
#include <thread>
#include <unordered_map>

#include "sim/report/csv.hpp"
#include "sim/report/rfc3339.hpp"
#include "sim/scenario/input_error.hpp"
#include "sim/scenario/units.hpp"

namespace ratesim::calibrate {
namespace {

using nlohmann::json;
using models::LimitCause;

/// Largest log file read: about 4 million lines of a few hundred bytes.
constexpr std::uintmax_t kMaxLogBytes = 4ull << 30;
/// Most lines read from one file: tens of millions of attempts fill gigabytes of memory (and a
/// small compressed file may expand to any number of lines).
constexpr std::uint32_t kMaxLines = 50'000'000;
/// Longest line read: an attempt's record is a few hundred bytes.
constexpr std::size_t kMaxLineBytes = 1 << 20;
constexpr std::string_view kTooLong = "\x01line too long";
/// Lines parsed together (in parallel) before their strings are interned in order.
constexpr std::size_t kBlockLines = 1 << 15;

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

/// One field's value as a line gave it.
struct Value {
  enum Kind : std::uint8_t { kAbsent, kNull, kNumber, kString, kBool, kOther };
  Kind kind = kAbsent;
  bool integer = false;
  double number = 0;
  std::string text;  ///< strings; for numbers and the rest, as written

  bool present() const { return kind != kAbsent && kind != kNull; }
  std::string shown() const {
    std::string t = text.size() > 60 ? text.substr(0, 57) + "..." : text;
    return "'" + t + "'";
  }
};

// The fields an attempt record may have. Nested ones are named as in a CSV header.
enum Field : std::uint8_t {
  kTime, kArrival, kRequestId, kAttempt, kModel, kWorkload, kStatus, kLatency, kTtft, kMaxTokens,
  kInputTokens, kUsageInput, kUsageOutput, kUsageCacheWrite, kUsageCacheRead, kErrorMessage,
  kRetryAfter, kShouldRetry, kBudgetFirst,  // then limit, remaining, reset for each of the 4 budgets
  kFieldCount = kBudgetFirst + 3 * models::kBudgetCount
};


int top_field(std::string_view key) {
  static const std::pair<std::string_view, Field> kTop[] = {
      {"time", kTime},           {"arrival", kArrival},   {"request_id", kRequestId}, {"attempt", kAttempt},
      {"model", kModel},         {"workload", kWorkload}, {"status", kStatus},        {"latency_s", kLatency},
      {"ttft_s", kTtft},         {"max_tokens", kMaxTokens}, {"input_tokens", kInputTokens}};
  for (const auto& [name, f] : kTop)
    if (key == name) return f;
  return -1;
}

int usage_field(std::string_view key) {
  if (key == "input_tokens") return kUsageInput;
  if (key == "output_tokens") return kUsageOutput;
  if (key == "cache_creation_input_tokens") return kUsageCacheWrite;
  if (key == "cache_read_input_tokens") return kUsageCacheRead;
  return -1;
}

/// `s` equals `lower_case` ignoring ASCII case.
bool iequals(std::string_view s, std::string_view lower_case) {
  if (s.size() != lower_case.size()) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i] >= 'A' && s[i] <= 'Z' ? static_cast<char>(s[i] - 'A' + 'a') : s[i];
    if (c != lower_case[i]) return false;
  }
  return true;
}

/// A response header's field (names are case-insensitive); -1 for headers calibrate does not use.
int header_field(std::string_view name) {
  if (iequals(name, "retry-after")) return kRetryAfter;
  if (iequals(name, "x-should-retry")) return kShouldRetry;
  constexpr std::string_view kPrefix = "anthropic-ratelimit-";
  if (name.size() <= kPrefix.size() || !iequals(name.substr(0, kPrefix.size()), kPrefix)) return -1;
  const std::string_view rest = name.substr(kPrefix.size());
  for (std::size_t b = 0; b < models::kBudgetCount; ++b) {
    const std::string_view budget = models::kBudgets[b].header;
    if (rest.size() <= budget.size() || !iequals(rest.substr(0, budget.size()), budget) || rest[budget.size()] != '-') continue;
    const std::string_view part = rest.substr(budget.size() + 1);
    const int base = kBudgetFirst + 3 * static_cast<int>(b);
    if (iequals(part, "limit")) return base;
    if (iequals(part, "remaining")) return base + 1;
    if (iequals(part, "reset")) return base + 2;
  }
  return -1;
}

std::string field_label(int f) {
  static const char* const kNames[] = {"time", "arrival", "request_id", "attempt", "model", "workload", "status",
                                       "latency_s", "ttft_s", "max_tokens", "input_tokens", "input_tokens",
                                       "output_tokens", "cache_creation_input_tokens", "cache_read_input_tokens",
                                       "message", "retry-after", "x-should-retry"};
  if (f < kBudgetFirst) return kNames[f];
  const int b = (f - kBudgetFirst) / 3;
  static const char* const kParts[] = {"limit", "remaining", "reset"};
  return fmt::format("anthropic-ratelimit-{}-{}", models::kBudgets[static_cast<std::size_t>(b)].header,
                     kParts[(f - kBudgetFirst) % 3]);
}

/// What one line holds, before it is checked.
struct Flat {
  std::array<Value, kFieldCount> v;
  bool object = false;         ///< the line is a JSON object (CSV rows always are)
  std::string not_object;      ///< what it was instead
  bool has_usage = false;      ///< a `usage` object was there
  std::string bad_container;   ///< usage/headers given as something other than an object

  void clear() {
    for (Value& x : v) x.kind = Value::kAbsent;
    object = has_usage = false;
    not_object.clear();
    bad_container.clear();
  }
};

/// nlohmann-json's streaming (SAX) parser fills a Flat without building a document.
class FlatSax : public nlohmann::json_sax<json> {
 public:
  explicit FlatSax(Flat& out) : out_(out) {}

  bool null() override { return scalar(Value::kNull, 0, "null", false); }
  bool boolean(bool b) override { return scalar(Value::kBool, b, b ? "true" : "false", false); }
  bool number_integer(number_integer_t n) override { return scalar(Value::kNumber, static_cast<double>(n), std::to_string(n), true); }
  bool number_unsigned(number_unsigned_t n) override { return scalar(Value::kNumber, static_cast<double>(n), std::to_string(n), true); }
  bool number_float(number_float_t n, const string_t& raw) override { return scalar(Value::kNumber, n, raw, false); }
  bool string(string_t& s) override { return scalar(Value::kString, 0, std::move(s), false); }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return open(true); }
  bool end_object() override { return close(); }
  bool start_array(std::size_t) override { return open(false); }
  bool end_array() override { return close(); }
  bool key(string_t& k) override {
    switch (stack_.back()) {
      case kTop: field_ = top_field(k); key_ = std::move(k); break;
      case kUsage: field_ = usage_field(k); break;
      case kHeaders: field_ = header_field(k); break;
      case kError: field_ = k == "message" ? kErrorMessage : -1; break;
      default: field_ = -1;
    }
    return true;
  }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& e) override {
    std::string what = e.what();
    if (const auto at = what.find("syntax error"); at != std::string::npos) what = what.substr(at);
    error_ = BadLine{static_cast<int>(std::max<std::size_t>(1, position)), "malformed JSON: " + what};
    return false;
  }
  const std::optional<BadLine>& error() const { return error_; }

 private:
  enum Context : std::uint8_t { kTop, kUsage, kHeaders, kError, kIgnore };

  Value* target() {
    if (stack_.empty() || stack_.back() == kIgnore || field_ < 0) return nullptr;
    return &out_.v[static_cast<std::size_t>(field_)];
  }
  bool scalar(Value::Kind kind, double number, std::string text, bool integer) {
    if (Value* v = target()) {
      v->kind = kind;
      v->number = number;
      v->integer = integer;
      v->text = std::move(text);
    } else if (stack_.empty()) {
      out_.not_object = "'" + text + "'";
    } else if (stack_.back() == kTop && (key_ == "usage" || key_ == "headers") && kind != Value::kNull) {
      out_.bad_container = key_ + ":" + text;
    } else if (stack_.back() == kTop && key_ == "error" && kind == Value::kString) {
      out_.v[kErrorMessage] = Value{.kind = kind, .text = std::move(text)};
    }
    return true;
  }
  bool open(bool object) {
    if (stack_.empty()) {
      out_.object = object;
      if (!object) out_.not_object = "an array";
      stack_.push_back(object ? kTop : kIgnore);
      return true;
    }
    Context next = kIgnore;
    if (stack_.back() == kTop) {
      if (Value* v = target()) {  // a known field given a container
        v->kind = Value::kOther;
        v->text = object ? "{...}" : "[...]";
      } else if (key_ == "usage" || key_ == "headers") {
        if (!object) out_.bad_container = key_ + ":[...]";
        else next = key_ == "usage" ? kUsage : kHeaders;
        if (next == kUsage) out_.has_usage = true;
      } else if (key_ == "error" && object) {
        next = kError;
      }
    }
    stack_.push_back(next);
    field_ = -1;
    return true;
  }
  bool close() {
    stack_.pop_back();
    field_ = -1;
    return true;
  }

  Flat& out_;
  std::vector<Context> stack_;
  int field_ = -1;
  std::string key_;
  std::optional<BadLine> error_;
};

/// Splits one CSV line (RFC 4180 quoting, without line breaks inside quotes).
std::vector<std::string> csv_fields(std::string_view line) {
  std::vector<std::string> out;
  if (!report::split_csv_line(line, out)) throw BadLine{static_cast<int>(line.size()), "unterminated quoted field"};
  return out;
}

/// A CSV header: the field each column fills (-1: not used).
std::vector<int> csv_columns(std::string_view line) {
  std::vector<int> columns;
  bool time = false;
  for (std::string name : csv_fields(line)) {
    while (!name.empty() && name.back() == ' ') name.pop_back();
    name.erase(0, name.find_first_not_of(' '));
    int f = -1;
    if (name.rfind("usage.", 0) == 0) f = usage_field(std::string_view(name).substr(6));
    else if (name.rfind("headers.", 0) == 0) f = header_field(std::string_view(name).substr(8));
    else if (name == "error.message" || name == "error") f = kErrorMessage;
    else f = top_field(name);
    time = time || f == kTime;
    columns.push_back(f);
  }
  if (!time)
    throw BadLine{1, "the CSV header has no 'time' column: expected the attempts log's fields "
                     "with dotted names (time, request_id, model, status, latency_s, usage.output_tokens, ...)"};
  return columns;
}

void csv_flat(const std::vector<int>& columns, std::string_view line, Flat& out) {
  std::vector<std::string> fields = csv_fields(line);
  if (fields.size() != columns.size())
    throw BadLine{1, fmt::format("expected {} fields as in the header, got {}", columns.size(), fields.size())};
  out.object = true;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (columns[i] < 0 || fields[i].empty()) continue;  // an empty field is an absent one
    if (columns[i] >= kUsageInput && columns[i] <= kUsageCacheRead) out.has_usage = true;
    out.v[static_cast<std::size_t>(columns[i])] = Value{.kind = Value::kString, .text = std::move(fields[i])};
  }
}

/// A number, or a string holding one (CSV fields and header values are strings).
std::optional<double> number_of(const Value& v) {
  if (v.kind == Value::kNumber) return v.number;
  if (v.kind == Value::kString) return scenario::parse_number(v.text);
  return std::nullopt;
}

double require_number(const Value& v, int field, double min, const char* expected, double max = 1e15) {
  const auto n = number_of(v);
  if (!n || !std::isfinite(*n) || *n < min || *n > max)
    throw BadLine{1, fmt::format("invalid value {} for '{}': expected {}", v.shown(), field_label(field), expected)};
  return *n;
}

std::int64_t require_count(const Value& v, int field) {
  const double n = require_number(v, field, 0, "a whole number of tokens >= 0");
  if (n != std::floor(n) || n > 1e12)
    throw BadLine{1, fmt::format("invalid value {} for '{}': expected a whole number of tokens >= 0", v.shown(), field_label(field))};
  return static_cast<std::int64_t>(n);
}

/// An instant: RFC 3339 with a zone, or seconds as a number (Unix time when it is one).
double instant(const Value& v, int field) {
  // Unix seconds up to the year 5000, or seconds from any other start.
  constexpr double kLatest = 1e11;
  if (v.kind == Value::kString) {
    if (const auto t = report::parse_rfc3339(v.text); t && std::abs(*t) <= kLatest) return *t;
    if (const auto n = scenario::parse_number(v.text); n && std::abs(*n) <= kLatest) return *n;
  } else if (v.kind == Value::kNumber && std::abs(v.number) <= kLatest) {
    return v.number;
  }
  throw BadLine{1, fmt::format("invalid value {} for '{}': expected an RFC 3339 time with a zone "
                               "(2026-03-01T12:00:00.250Z) or seconds as a number", v.shown(), field_label(field))};
}

/// One line, parsed and checked: the attempt and the strings still to be interned.
struct Parsed {
  LoggedAttempt attempt;
  std::string request_id, model, workload;
  std::optional<BadLine> bad;
  bool blank = false;
};

void check(Flat& f, Parsed& p) {
  if (!f.object) throw BadLine{1, fmt::format("expected a JSON object (one attempt per line), got {}", f.not_object)};
  if (!f.bad_container.empty()) {
    const auto colon = f.bad_container.find(':');
    throw BadLine{1, fmt::format("invalid value '{}' for '{}': expected an object", f.bad_container.substr(colon + 1),
                                 f.bad_container.substr(0, colon))};
  }
  LoggedAttempt& a = p.attempt;
  const auto required = [&](Field k, const char* expected) -> const Value& {
    if (!f.v[k].present()) throw BadLine{1, fmt::format("missing field '{}': expected {}", field_label(k), expected)};
    return f.v[k];
  };
  a.time = instant(required(kTime, "when the attempt was sent (RFC 3339, or seconds)"), kTime);
  if (f.v[kArrival].present()) a.arrival = instant(f.v[kArrival], kArrival);
  const Value& id = required(kRequestId, "the id shared by the attempts of one logical request");
  if (id.kind != Value::kString && !(id.kind == Value::kNumber && id.integer))
    throw BadLine{1, fmt::format("invalid value {} for 'request_id': expected a string or a whole number", id.shown())};
  p.request_id = std::move(f.v[kRequestId].text);
  const Value& model = required(kModel, "the model of the attempt");
  if (model.kind != Value::kString || model.text.empty())
    throw BadLine{1, fmt::format("invalid value {} for 'model': expected a model name", model.shown())};
  p.model = std::move(f.v[kModel].text);
  if (f.v[kWorkload].present()) {
    if (f.v[kWorkload].kind != Value::kString)
      throw BadLine{1, fmt::format("invalid value {} for 'workload': expected a name", f.v[kWorkload].shown())};
    p.workload = std::move(f.v[kWorkload].text);
  }
  constexpr double kYear = 365.0 * 86400;
  if (f.v[kStatus].present())
    a.status = static_cast<int>(require_number(f.v[kStatus], kStatus, 100, "an HTTP status (200, 429, 529, ...) or null", 599));
  if (f.v[kAttempt].present()) a.attempt = static_cast<std::uint32_t>(require_number(f.v[kAttempt], kAttempt, 1, "1, 2, ...", 1e6));
  if (f.v[kLatency].present()) a.latency = require_number(f.v[kLatency], kLatency, 0, "seconds, 0 to a year", kYear);
  if (f.v[kTtft].present()) a.ttft = require_number(f.v[kTtft], kTtft, 0, "seconds, 0 to a year", kYear);
  if (f.v[kMaxTokens].present()) a.max_tokens = require_count(f.v[kMaxTokens], kMaxTokens);
  if (f.v[kInputTokens].present()) a.prompt_tokens = require_count(f.v[kInputTokens], kInputTokens);
  if (f.has_usage) {
    a.has_usage = true;
    const auto count = [&](Field k) { return f.v[k].present() ? require_count(f.v[k], k) : 0; };
    a.input_tokens = count(kUsageInput);
    a.output_tokens = count(kUsageOutput);
    a.cache_write_tokens = count(kUsageCacheWrite);
    a.cache_read_tokens = count(kUsageCacheRead);
  }
  if (f.v[kRetryAfter].present()) a.retry_after = require_number(f.v[kRetryAfter], kRetryAfter, 0, "seconds, 0 to a year", kYear);
  if (const Value& v = f.v[kShouldRetry]; v.present()) {
    const std::string t = lower(v.text);
    if (t != "true" && t != "false")
      throw BadLine{1, fmt::format("invalid value {} for 'x-should-retry': expected true or false", v.shown())};
    a.should_retry = t == "true";
  }
  for (std::size_t b = 0; b < models::kBudgetCount; ++b) {
    const int base = kBudgetFirst + 3 * static_cast<int>(b);
    if (const Value& v = f.v[static_cast<std::size_t>(base)]; v.present())
      a.budgets[b].limit = static_cast<std::int64_t>(require_number(v, base, 1, "a limit per minute, 1 to 1e12", 1e12));
    if (const Value& v = f.v[static_cast<std::size_t>(base + 1)]; v.present())
      a.budgets[b].remaining = require_number(v, base + 1, -1e15, "a number");
    if (const Value& v = f.v[static_cast<std::size_t>(base + 2)]; v.present()) a.budgets[b].reset = instant(v, base + 2);
  }
  // Beside input and output token headers, anthropic-ratelimit-tokens-* is not a budget of its
  // own but the most restrictive of them (the API's own description), so it fits no limit.
  const std::size_t tokens = models::index(LimitCause::kTpm);
  if (a.budgets[models::index(LimitCause::kItpm)].limit || a.budgets[models::index(LimitCause::kOtpm)].limit)
    a.budgets[tokens] = LoggedBudget{};
  if (a.status == 429 && f.v[kErrorMessage].kind == Value::kString) a.named_cause = cause_from_message(f.v[kErrorMessage].text);
}

/// Lines of a file, plain or gzip-compressed (a name ending in .gz), the line break removed.
class LineSource {
 public:
  explicit LineSource(const std::string& path) {
    const std::string name = lower(path);
    if (name.size() > 3 && name.compare(name.size() - 3, 3, ".gz") == 0) {
      gz_ = gzopen(path.c_str(), "rb");
      if (!gz_) throw scenario::InputError(path, 0, 0, fmt::format("cannot open attempts log: {}", std::strerror(errno)));
      gzbuffer(gz_, 1 << 17);
    } else {
      in_.open(path, std::ios::binary);
      if (!in_) throw scenario::InputError(path, 0, 0, fmt::format("cannot open attempts log: {}", std::strerror(errno)));
    }
    path_ = path;
  }
  ~LineSource() {
    if (gz_) gzclose(gz_);
  }
  LineSource(const LineSource&) = delete;
  LineSource& operator=(const LineSource&) = delete;

  bool next(std::string& line) {
    if (!gz_) return static_cast<bool>(std::getline(in_, line));
    line.clear();
    char buffer[1 << 14];
    while (gzgets(gz_, buffer, sizeof buffer)) {
      line += buffer;
      if (!line.empty() && line.back() == '\n') {
        line.pop_back();
        return true;
      }
      if (line.size() > kMaxLineBytes) {  // no end in sight: keep reading, but not keeping
        line.resize(kMaxLineBytes + 1);
      }
    }
    int error = Z_OK;
    const char* message = gzerror(gz_, &error);
    if (error != Z_OK && error != Z_STREAM_END)
      throw scenario::InputError(path_, 0, 0, fmt::format("cannot read the compressed log: {}", message));
    return !line.empty();
  }

 private:
  std::ifstream in_;
  gzFile gz_ = nullptr;
  std::string path_;
};

class Reader {
 public:
  Reader(AttemptsLog& log, const ReadOptions& options) : log_(log), options_(options) {
    log_.workloads.assign(1, "");
    workload_index_[""] = 0;
  }

  void read_file(const std::string& path) {
    scenario::check_input_file(path, kMaxLogBytes, "attempts log");
    LineSource in(path);
    file_ = static_cast<std::uint16_t>(log_.files.size());
    log_.files.push_back(path);
    path_ = path;
    const std::string name = lower(path);
    const bool gz = name.size() > 3 && name.compare(name.size() - 3, 3, ".gz") == 0;
    const std::string plain = gz ? name.substr(0, name.size() - 3) : name;
    const bool csv = plain.size() >= 4 && plain.compare(plain.size() - 4, 4, ".csv") == 0;
    std::vector<int> columns;
    std::vector<std::string> lines;
    std::uint32_t first_line = 1, number = 0;
    std::string line;
    while (in.next(line)) {
      ++number;
      if (number > kMaxLines)
        throw scenario::InputError(path, static_cast<int>(number), 1,
                                   fmt::format("more than {} lines: calibrate reads at most that many attempts per file", kMaxLines));
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.size() > kMaxLineBytes) {
        // Kept as a line that says so, in its place, so that the first bad line is still the one reported.
        line = std::string(kTooLong);
      }
      if (csv && columns.empty()) {
        if (line.find_first_not_of(" \t") == std::string::npos) continue;
        try {
          columns = csv_columns(line);
        } catch (const BadLine& bad) {
          throw scenario::InputError(path, static_cast<int>(number), bad.column, bad.message);
        }
        first_line = number + 1;
        continue;
      }
      lines.push_back(std::move(line));
      if (lines.size() == kBlockLines) {
        // Parse this block on the other cores while this thread reads the next.
        finish_block();
        pending_ = std::async(std::launch::async, [block = std::move(lines), first_line, csv, &columns]() {
          auto parsed = parse_block(block, csv, columns);
          return Block{std::move(parsed), first_line};
        });
        first_line = number + 1;
        lines.clear();
      }
    }
    finish_block();
    add_block(parse_block(lines, csv, columns), first_line);
    if (csv && columns.empty()) throw scenario::InputError(path, 1, 1, "empty CSV attempts log: expected a header row naming its fields");
  }

 private:
  struct Block {
    std::vector<Parsed> parsed;
    std::uint32_t first = 0;  ///< the file's line number of parsed[0]
  };

  void finish_block() {
    if (!pending_.valid()) return;
    Block b = pending_.get();
    add_block(std::move(b.parsed), b.first);
  }

  /// Parses `lines` on every core.
  static std::vector<Parsed> parse_block(const std::vector<std::string>& lines, bool csv, const std::vector<int>& columns) {
    std::vector<Parsed> parsed(lines.size());
    const auto work = [&](std::size_t from, std::size_t to) {
      Flat flat;
      for (std::size_t i = from; i < to; ++i) {
        Parsed& p = parsed[i];
        if (lines[i].find_first_not_of(" \t") == std::string::npos) {
          p.blank = true;
          continue;
        }
        flat.clear();
        try {
          if (lines[i] == kTooLong) throw BadLine{1, fmt::format("the line is longer than {} bytes: expected one attempt's record", kMaxLineBytes)};
          if (csv) {
            csv_flat(columns, lines[i], flat);
          } else {
            FlatSax sax(flat);
            json::sax_parse(lines[i], &sax);
            if (sax.error()) throw *sax.error();
          }
          check(flat, p);
        } catch (const BadLine& bad) {
          p.bad = bad;
        }
      }
    };
    const std::size_t threads = lines.size() < 1024 ? 1 : std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 16);
    std::vector<std::thread> pool;
    const std::size_t share = (lines.size() + threads - 1) / threads;
    for (std::size_t t = 1; t < threads; ++t)
      pool.emplace_back(work, std::min(lines.size(), t * share), std::min(lines.size(), (t + 1) * share));
    work(0, std::min(lines.size(), share));
    for (std::thread& t : pool) t.join();
    return parsed;
  }

  /// Takes parsed lines in order (the first is line `first`): the first malformed line is the one reported.
  void add_block(std::vector<Parsed> parsed, std::uint32_t first) {
    for (std::size_t i = 0; i < parsed.size(); ++i) {
      Parsed& p = parsed[i];
      const auto number = static_cast<std::uint32_t>(first + i);
      if (p.blank) continue;
      try {
        if (p.bad) throw *p.bad;
        add(p, number);
      } catch (const BadLine& bad) {
        if (!options_.skip_bad) throw scenario::InputError(path_, static_cast<int>(number), bad.column, bad.message);
        if (log_.skipped++ == 0) {
          log_.first_skipped_file = path_;
          log_.first_skipped_line = number;
          log_.first_skipped_reason = bad.message;
        }
      }
    }
  }

  std::uint32_t intern(std::unordered_map<std::string, std::uint32_t>& index, std::vector<std::string>& names,
                       std::string& key) {
    const auto it = index.find(key);
    if (it != index.end()) return it->second;
    const auto id = static_cast<std::uint32_t>(names.size());
    names.push_back(key);
    index.emplace(std::move(key), id);
    return id;
  }

  void add(Parsed& p, std::uint32_t line) {
    LoggedAttempt& a = p.attempt;
    a.line = line;
    a.file = file_;
    if (log_.models.size() >= 1000 && !model_index_.count(p.model)) throw BadLine{1, "more than 1,000 distinct models in the log"};
    if (log_.workloads.size() >= 1000 && !workload_index_.count(p.workload))
      throw BadLine{1, "more than 1,000 distinct workloads in the log"};
    a.request = intern(request_index_, log_.request_ids, p.request_id);
    a.model = static_cast<std::uint16_t>(intern(model_index_, log_.models, p.model));
    a.workload = static_cast<std::uint16_t>(intern(workload_index_, log_.workloads, p.workload));
    log_.attempts.push_back(a);
  }

  AttemptsLog& log_;
  const ReadOptions& options_;
  std::uint16_t file_ = 0;
  std::string path_;
  std::unordered_map<std::string, std::uint32_t> request_index_, model_index_, workload_index_;
  std::future<Block> pending_;
};

}  // namespace

double AttemptsLog::span() const {
  double end = 0;
  for (const LoggedAttempt& a : attempts) end = std::max(end, a.end());
  return end;
}

models::LimitCause cause_from_message(std::string_view message) {
  const std::string m = lower(message);
  auto names = [&](std::size_t c) {
    std::string_view phrases = models::kCauses[c].phrases;
    while (!phrases.empty()) {
      const std::size_t bar = phrases.find('|');
      if (m.find(phrases.substr(0, bar)) != std::string::npos) return true;
      phrases = bar == std::string_view::npos ? std::string_view{} : phrases.substr(bar + 1);
    }
    return false;
  };
  for (std::size_t c = models::kBudgetCount; c < models::kLimitCauseCount; ++c)
    if (names(c)) return static_cast<LimitCause>(c);
  for (std::size_t c = 0; c < models::kBudgetCount; ++c)
    if (names(c)) return models::budget_cause(c);
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
  const auto by_time = [](const LoggedAttempt& x, const LoggedAttempt& y) { return x.time < y.time; };
  if (!std::is_sorted(log.attempts.begin(), log.attempts.end(), by_time))
    std::stable_sort(log.attempts.begin(), log.attempts.end(), by_time);
  log.epoch = log.attempts.front().time;
  for (const LoggedAttempt& a : log.attempts)
    if (!std::isnan(a.arrival)) log.epoch = std::min(log.epoch, a.arrival);
  // A log spans hours or days; more than a year is a time in the wrong unit or from another clock.
  const double span = log.attempts.back().time - log.epoch;
  if (span > 366.0 * 86400) {
    const LoggedAttempt& last = log.attempts.back();
    throw scenario::InputError(log.files[last.file], static_cast<int>(last.line), 1,
                               fmt::format("the log spans {:.0f} days, from its first time to this line's: calibrate reads at most "
                                           "366 days (is a time in milliseconds, or from another clock?)", span / 86400));
  }
  for (LoggedAttempt& a : log.attempts) {
    a.time -= log.epoch;
    a.arrival -= log.epoch;
    for (LoggedBudget& b : a.budgets)
      if (!std::isnan(b.reset)) b.reset -= log.epoch;
  }
  return log;
}

}  // namespace ratesim::calibrate
