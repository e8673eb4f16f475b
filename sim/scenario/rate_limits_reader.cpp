#include "sim/scenario/rate_limits_reader.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "sim/scenario/input_error.hpp"

namespace ratesim::scenario {
namespace {

using Json = nlohmann::json;

/// A character iterator that tells a shared counter how far the parser has read, so that each
/// SAX event knows where in the text it happened.
class CountingIterator {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  CountingIterator(const char* p, const char* begin, std::size_t* read) : p_(p), begin_(begin), read_(read) {}
  reference operator*() const { return *p_; }
  CountingIterator& operator++() {
    ++p_;
    *read_ = static_cast<std::size_t>(p_ - begin_);
    return *this;
  }
  CountingIterator operator++(int) {
    CountingIterator before = *this;
    ++*this;
    return before;
  }
  bool operator==(const CountingIterator& o) const { return p_ == o.p_; }
  bool operator!=(const CountingIterator& o) const { return p_ != o.p_; }

 private:
  const char* p_;
  const char* begin_;
  std::size_t* read_;
};

/// Builds the document and records, by JSON pointer, the offset where each value begins.
/// A value begins at the first character after the previous event that is not blank, ':' or
/// ',' (the parser reads a number one character past its end, but that character is one of
/// those, or a closing bracket whose event moves nothing).
class PositionedBuilder final : public nlohmann::json_sax<Json> {
 public:
  PositionedBuilder(const std::string& text, const std::size_t& read) : text_(text), read_(read) {
    if (text_.rfind("\xEF\xBB\xBF", 0) == 0) last_ = 3;  // a byte-order mark
  }

  Json root;
  std::map<std::string, std::size_t> starts;  ///< JSON pointer → offset of the value's first byte
  std::size_t error_at = 0;                   ///< the parser's position of a syntax error (1-based)
  std::string error;                          ///< its message

  bool null() override { return add(Json(nullptr)); }
  bool boolean(bool v) override { return add(Json(v)); }
  bool number_integer(number_integer_t v) override { return add(Json(v)); }
  bool number_unsigned(number_unsigned_t v) override { return add(Json(v)); }
  bool number_float(number_float_t v, const string_t&) override { return add(Json(v)); }
  bool string(string_t& v) override { return add(Json(v)); }
  bool binary(binary_t&) override { return add(Json(nullptr)); }  // not produced by JSON text
  bool start_object(std::size_t) override { return open(Json::object()); }
  bool start_array(std::size_t) override { return open(Json::array()); }
  bool key(string_t& k) override {
    key_ = k;
    last_ = read_;
    return true;
  }
  bool end_object() override { return close(); }
  bool end_array() override { return close(); }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& e) override {
    error_at = position;
    error = e.what();
    return false;
  }

 private:
  struct Frame {
    Json* value;
    std::string pointer;
  };

  std::size_t start() const {
    std::size_t i = last_;
    while (i < text_.size() && text_[i] != '\0' && std::strchr(" \t\r\n:,", text_[i]) != nullptr) ++i;
    return i;
  }
  static std::string escape(const std::string& key) {
    std::string out;
    for (char c : key) out += c == '~' ? "~0" : c == '/' ? "~1" : std::string(1, c);
    return out;
  }
  /// Places `v` in the innermost container (or as the root); returns it and its pointer.
  std::pair<Json*, std::string> place(Json v) {
    const std::size_t begins = start();
    if (stack_.empty()) {
      root = std::move(v);
      starts[""] = begins;
      return {&root, ""};
    }
    Frame& parent = stack_.back();
    std::string pointer;
    Json* child = nullptr;
    if (parent.value->is_array()) {
      pointer = parent.pointer + "/" + std::to_string(parent.value->size());
      parent.value->push_back(std::move(v));
      child = &parent.value->back();
    } else {
      pointer = parent.pointer + "/" + escape(key_);
      child = &((*parent.value)[key_] = std::move(v));
    }
    starts[pointer] = begins;
    return {child, pointer};
  }
  bool add(Json v) {
    place(std::move(v));
    last_ = read_;
    return true;
  }
  bool open(Json v) {
    auto [value, pointer] = place(std::move(v));
    stack_.push_back(Frame{value, pointer});
    last_ = read_;
    return true;
  }
  bool close() {
    stack_.pop_back();
    last_ = read_;
    return true;
  }

  const std::string& text_;
  const std::size_t& read_;
  std::size_t last_ = 0;
  std::string key_;
  std::vector<Frame> stack_;
};

FilePosition position_of(const std::string& text, std::size_t offset) {
  FilePosition p{.line = 1, .column = 1};
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++p.line;
      p.column = 1;
    } else {
      ++p.column;
    }
  }
  return p;
}

/// The token a syntax error stopped in: the bytes before `index` up to a blank or bracket, and
/// the byte at `index`; control characters written as escapes.
std::string offending_text(const std::string& text, std::size_t index) {
  if (index >= text.size()) return "end of input";
  std::size_t begin = index;
  while (begin > 0 && std::strchr(" \t\r\n{}[],:", text[begin - 1]) == nullptr) --begin;
  std::string out;
  for (std::size_t i = begin; i <= index; ++i) {
    const char c = text[i];
    if (c == '\n') out += "\\n";
    else if (c == '\t') out += "\\t";
    else if (c == '\r') out += "\\r";
    else out += c;
  }
  return "'" + out + "'";
}

/// nlohmann's message without its prefix ("[json.exception…] parse error at …: syntax error
/// while parsing value - ") and without the "last read" echo, which the offending text replaces.
std::string syntax_reason(const std::string& what) {
  std::string reason = what;
  if (const auto dash = reason.find(" - "); dash != std::string::npos) reason = reason.substr(dash + 3);
  if (const auto last = reason.find("; last read: '"); last != std::string::npos) {
    const auto end = reason.find('\'', last + 14);
    reason.erase(last, end == std::string::npos ? std::string::npos : end + 1 - last);
  }
  if (reason.find("expected") == std::string::npos && reason.find("must") == std::string::npos)
    reason += "; expected a JSON value: an object, a list, a string, a number, true, false or null";
  return reason;
}

/// Walks the parsed document, failing with the place of the offending value.
class Walker {
 public:
  Walker(const std::string& text, const std::string& path, const PositionedBuilder& doc)
      : text_(text), path_(path), doc_(doc) {}

  FilePosition at(const std::string& pointer) const {
    const auto it = doc_.starts.find(pointer);
    return position_of(text_, it == doc_.starts.end() ? 0 : it->second);
  }
  [[noreturn]] void fail(const std::string& pointer, const std::string& message) const {
    const FilePosition p = at(pointer);
    throw InputError(path_, p.line, p.column, message);
  }

  /// How a message quotes a value: scalars as their JSON text, containers as {...} or [...].
  static std::string quote(const Json& v) {
    if (v.is_object()) return "{...}";
    if (v.is_array()) return "[...]";
    return v.dump();
  }

  /// `key` of the object `o` as a string; "" when absent or null.
  std::string optional_string(const Json& o, const std::string& pointer, const std::string& key,
                              const std::string& what) const {
    const auto it = o.find(key);
    if (it == o.end() || it->is_null()) return "";
    if (!it->is_string())
      fail(pointer + "/" + key, fmt::format("invalid value {} for '{}' of {}: expected a string", quote(*it), key, what));
    return it->get<std::string>();
  }

  RateLimitValue limit(const Json& l, const std::string& pointer, const std::string& entry) const {
    if (!l.is_object())
      fail(pointer, fmt::format("invalid value {} in the limits of entry {}: expected an object "
                                "{{\"type\": ..., \"value\": ...}}",
                                quote(l), entry));
    RateLimitValue out;
    out.at = at(pointer);
    const auto type = l.find("type");
    if (type == l.end())
      fail(pointer, fmt::format("a limiter of entry {} has no 'type': expected a string such as "
                                "\"requests_per_minute\"",
                                entry));
    if (!type->is_string())
      fail(pointer + "/type", fmt::format("invalid value {} for the 'type' of a limiter of entry {}: expected "
                                          "a string such as \"requests_per_minute\"",
                                          quote(*type), entry));
    out.type = type->get<std::string>();
    const auto value = l.find("value");
    if (value == l.end())
      fail(pointer, fmt::format("no 'value' for limiter '{}' of entry {}: expected a whole number "
                                "from 1 to {}",
                                out.type, entry, kMaxRateLimit));
    // JSON reads a positive whole number as unsigned; anything else (negative, fractional,
    // a string) is not a limit.
    const bool whole = value->is_number_unsigned() && value->get<std::uint64_t>() >= 1 &&
                       value->get<std::uint64_t>() <= static_cast<std::uint64_t>(kMaxRateLimit);
    if (!whole)
      fail(pointer + "/value", fmt::format("invalid value {} for limiter '{}' of entry {}: expected a "
                                           "whole number from 1 to {}",
                                           quote(*value), out.type, entry, kMaxRateLimit));
    out.value = value->get<std::int64_t>();
    return out;
  }

  RateLimitEntry entry(const Json& e, const std::string& pointer, std::size_t index) const {
    if (!e.is_object())
      fail(pointer, fmt::format("invalid value {} for data[{}]: expected a rate-limit entry, an object "
                                "with group_type, models and limits",
                                quote(e), index));
    RateLimitEntry out;
    out.index = index;
    out.at = at(pointer);
    const std::string where = fmt::format("data[{}]", index);
    out.id = optional_string(e, pointer, "id", where);
    out.group_type = optional_string(e, pointer, "group_type", where);
    if (const auto g = e.find("group"); g != e.end() && !g->is_null()) {
      if (!g->is_object())
        fail(pointer + "/group", fmt::format("invalid value {} for 'group' of {}: expected an object "
                                             "with type, id and display_name",
                                             quote(*g), where));
      out.group_id = optional_string(*g, pointer + "/group", "id", where + ".group");
      out.display_name = optional_string(*g, pointer + "/group", "display_name", where + ".group");
      // Older listings name the type only inside the group.
      if (out.group_type.empty()) out.group_type = optional_string(*g, pointer + "/group", "type", where + ".group");
    }
    if (out.group_type.empty())
      fail(pointer, fmt::format("{} has no 'group_type': expected one of model_group, batch, files, "
                                "skills, token_count, web_search",
                                where));
    const std::string label = out.label();
    if (const auto m = e.find("models"); m != e.end() && !m->is_null()) {
      if (!m->is_array())
        fail(pointer + "/models", fmt::format("invalid value {} for 'models' of entry {}: expected a "
                                              "list of model names, or null",
                                              quote(*m), label));
      for (std::size_t i = 0; i < m->size(); ++i) {
        const std::string mp = fmt::format("{}/models/{}", pointer, i);
        if (!(*m)[i].is_string())
          fail(mp, fmt::format("invalid value {} in the models of entry {}: expected a model name",
                               quote((*m)[i]), label));
        out.models.push_back((*m)[i].get<std::string>());
        out.model_at.push_back(at(mp));
      }
    }
    if (out.group_type == "model_group" && out.models.empty())
      fail(pointer, fmt::format("model_group entry {} lists no models: expected 'models', a list of "
                                "model names",
                                label));
    const auto l = e.find("limits");
    if (l == e.end())
      fail(pointer, fmt::format("entry {} has no 'limits': expected a list of {{\"type\": ..., \"value\": ...}}",
                                label));
    if (!l->is_array())
      fail(pointer + "/limits", fmt::format("invalid value {} for 'limits' of entry {}: expected a list of "
                                            "{{\"type\": ..., \"value\": ...}}",
                                            quote(*l), label));
    for (std::size_t i = 0; i < l->size(); ++i) {
      const std::string lp = fmt::format("{}/limits/{}", pointer, i);
      out.limits.push_back(limit((*l)[i], lp, label));
      for (std::size_t k = 0; k < i; ++k)
        if (out.limits[k].type == out.limits[i].type)
          fail(lp, fmt::format("limiter type '{}' appears twice in entry {}: expected each limiter type once",
                               out.limits[i].type, label));
    }
    return out;
  }

  RateLimitsFile file() const {
    const Json& root = doc_.root;
    if (!root.is_object())
      fail("", fmt::format("invalid value {}: expected the response of GET "
                           "/v1/organizations/rate_limits, an object with a 'data' list",
                           quote(root)));
    const auto data = root.find("data");
    if (data == root.end())
      fail("", "no 'data': expected the response of GET /v1/organizations/rate_limits, an object "
               "with a 'data' list of rate-limit entries");
    if (!data->is_array())
      fail("/data", fmt::format("invalid value {} for 'data': expected a list of rate-limit entries",
                                quote(*data)));
    RateLimitsFile out;
    out.path = path_;
    for (std::size_t i = 0; i < data->size(); ++i)
      out.entries.push_back(entry((*data)[i], fmt::format("/data/{}", i), i));
    if (const auto next = root.find("next_page"); next != root.end()) {
      if (!next->is_null() && !next->is_string())
        fail("/next_page", fmt::format("invalid value {} for 'next_page': expected null or a page "
                                       "cursor",
                                       quote(*next)));
      out.more_pages = next->is_string();
    }
    return out;
  }

 private:
  const std::string& text_;
  const std::string& path_;
  const PositionedBuilder& doc_;
};

}  // namespace

std::string RateLimitEntry::label() const {
  return "'" + (display_name.empty() ? group_type : display_name) + "'";
}

RateLimitsFile parse_rate_limits(const std::string& text, const std::string& path) {
  std::size_t read = 0;
  PositionedBuilder doc(text, read);
  const char* begin = text.data();
  Json::sax_parse(CountingIterator(begin, begin, &read), CountingIterator(begin + text.size(), begin, &read),
                  &doc);
  if (!doc.error.empty()) {
    // The parser's position is 1-based and names the last byte it read.
    const std::size_t index = doc.error_at == 0 ? 0 : doc.error_at - 1;
    const FilePosition p = position_of(text, index);
    throw InputError(path, p.line, p.column,
                     fmt::format("invalid JSON at {}: {}", offending_text(text, index), syntax_reason(doc.error)));
  }
  return Walker(text, path, doc).file();
}

RateLimitsFile read_rate_limits(const std::string& path) {
  check_input_file(path, kMaxScenarioBytes, "rate-limits file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, 0, 0, fmt::format("cannot open rate-limits file: {}", std::strerror(errno)));
  std::ostringstream text;
  text << in.rdbuf();
  return parse_rate_limits(text.str(), path);
}

}  // namespace ratesim::scenario
