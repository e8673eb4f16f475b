#include "sim/scenario/node_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "sim/scenario/did_you_mean.hpp"
#include "sim/scenario/input_error.hpp"
#include "sim/scenario/units.hpp"

namespace ratesim::scenario {
namespace {

void collect(const YAML::Node& n, std::vector<YAML::Node>& out) {
  out.push_back(n);
  if (n.IsMap()) {
    for (const auto& kv : n) {
      collect(kv.first, out);
      collect(kv.second, out);
    }
  } else if (n.IsSequence()) {
    for (const auto& item : n) collect(item, out);
  }
}

std::string join(const std::vector<std::string>& words) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += i + 1 == words.size() ? " or " : ", ";
    out += words[i];
  }
  return out;
}

const char* const kDurationExpected =
    "expected a duration: a number of seconds or numbers with units (us, ms, s, m, h, d), "
    "e.g. 250ms, 2s, 1h30m";

}  // namespace

void Source::add_override(const YAML::Node& root, std::string label, int column_offset) {
  Override o{.nodes = {}, .label = std::move(label), .column_offset = column_offset, .whole_file = false};
  collect(root, o.nodes);
  overrides_.push_back(std::move(o));
}

void Source::add_file(const YAML::Node& root, std::string label) {
  Override o{.nodes = {}, .label = std::move(label), .column_offset = 0, .whole_file = true};
  collect(root, o.nodes);
  overrides_.push_back(std::move(o));
}

void Source::fail(const YAML::Node& at, const std::string& message) const {
  for (auto o = overrides_.rbegin(); o != overrides_.rend(); ++o) {
    for (const YAML::Node& n : o->nodes) {
      if (!n.is(at)) continue;
      const YAML::Mark m = at.Mark();
      if (o->whole_file) throw InputError(o->label, m.line + 1, m.column + 1, message);
      throw InputError(o->label, 1, o->column_offset + std::max(0, m.column) + 1, message);
    }
  }
  fail_at(at.Mark(), message);
}

void Source::remember_key(const YAML::Node& map, const std::string& key, KeyOrigin origin) {
  keys_.push_back(KeyRecord{.map = map, .key = key, .origin = std::move(origin)});
}

void Source::fail_key(const YAML::Node& map, const YAML::Node& key, const std::string& message) const {
  if (!key.Mark().is_null()) fail(key, message);
  const std::string name = key.IsScalar() ? key.Scalar() : "";
  for (auto k = keys_.rbegin(); k != keys_.rend(); ++k) {
    if (k->key != name || !k->map.is(map)) continue;
    if (k->origin.key) fail_key(YAML::Node(), *k->origin.key, message);
    throw InputError(k->origin.label, k->origin.line, k->origin.column, message);
  }
  fail(key, message);
}

void Source::fail_at(const YAML::Mark& mark, const std::string& message) const {
  if (mark.is_null()) throw InputError(file_, 0, 0, message);
  throw InputError(file_, mark.line + 1, mark.column + 1, message);
}

std::string quote(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Scalar: return "'" + n.Scalar() + "'";
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Map: return "a mapping";
    case YAML::NodeType::Null: return "nothing";
    default: return "nothing";
  }
}

MapReader::MapReader(const Source& src, const YAML::Node& node, std::string what)
    : src_(src), node_(node), what_(std::move(what)) {
  if (!node_.IsMap())
    src_.fail(node_, fmt::format("expected a mapping for {}, got {}", what_, quote(node_)));
  // YAML forbids repeated keys but yaml-cpp keeps both; one of them would be silently ignored.
  std::vector<std::string> seen;
  for (const auto& kv : node_) {
    const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "";
    if (std::find(seen.begin(), seen.end(), key) != seen.end())
      src_.fail(kv.first, fmt::format("duplicate key '{}' in {}", key, what_));
    seen.push_back(key);
  }
}

YAML::Node MapReader::get(const std::string& key) {
  known_.push_back(key);
  for (const auto& kv : node_)
    if (kv.first.IsScalar() && kv.first.Scalar() == key) return kv.second;
  return YAML::Node(YAML::NodeType::Undefined);
}

bool MapReader::has(const std::string& key) { return get(key).IsDefined(); }

YAML::Node MapReader::require(const std::string& key) {
  YAML::Node v = get(key);
  if (!v.IsDefined()) src_.fail(node_, fmt::format("missing key '{}' in {}", key, what_));
  return v;
}

void MapReader::finish() const {
  for (const auto& kv : node_) {
    const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "?";
    if (std::find(known_.begin(), known_.end(), key) == known_.end())
      src_.fail_key(node_, kv.first,
                    fmt::format("unknown key '{}' in {}{}", key, what_, did_you_mean(key, known_)));
  }
}

std::string read_string(const Source& src, const YAML::Node& n, const std::string& field) {
  if (!n.IsScalar() || n.Scalar().empty())
    src.fail(n, fmt::format("invalid value {} for '{}': expected a name", quote(n), field));
  return n.Scalar();
}

namespace {
bool valid_name(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
}

}  // namespace

std::string read_name(const Source& src, const YAML::Node& n, const std::string& field) {
  const std::string s = read_string(src, n, field);
  if (!valid_name(s))
    src.fail(n, fmt::format("invalid name '{}' for '{}': expected letters, digits, '-' and '_' only",
                            s, field));
  return s;
}


double read_number(const Source& src, const YAML::Node& n, const std::string& field, double min) {
  const auto v = n.IsScalar() ? parse_number(n.Scalar()) : std::nullopt;
  if (!v || *v < min)
    src.fail(n, fmt::format("invalid value {} for '{}': expected a number >= {}", quote(n), field,
                            min));
  return *v;
}

std::int64_t read_integer(const Source& src, const YAML::Node& n, const std::string& field,
                          std::int64_t min, std::int64_t max) {
  const auto v = n.IsScalar() ? parse_number(n.Scalar()) : std::nullopt;
  if (!v || *v != std::floor(*v) || *v < static_cast<double>(min))
    src.fail(n, fmt::format("invalid value {} for '{}': expected a whole number >= {}", quote(n),
                            field, min));
  if (*v > static_cast<double>(max))
    src.fail(n, fmt::format("invalid value {} for '{}': expected a whole number <= {}", quote(n),
                            field, max));
  return static_cast<std::int64_t>(*v);
}

bool read_bool(const Source& src, const YAML::Node& n, const std::string& field) {
  if (n.IsScalar()) {
    const std::string& s = n.Scalar();
    if (s == "true") return true;
    if (s == "false") return false;
  }
  src.fail(n, fmt::format("invalid value {} for '{}': expected true or false", quote(n), field));
}

kernel::Duration read_duration(const Source& src, const YAML::Node& n, const std::string& field,
                               kernel::Duration min, kernel::Duration max) {
  const auto d = n.IsScalar() ? parse_duration(n.Scalar()) : std::nullopt;
  if (!d) src.fail(n, fmt::format("invalid duration {} for '{}': {}", quote(n), field,
                                  kDurationExpected));
  if (*d < min)
    src.fail(n, fmt::format("invalid duration {} for '{}': expected at least {}", quote(n), field,
                            format_duration(min)));
  if (*d > max)
    src.fail(n, fmt::format("invalid duration {} for '{}': expected at most {}", quote(n), field,
                            format_duration(max)));
  return *d;
}

double read_rate(const Source& src, const YAML::Node& n, const std::string& field) {
  const auto r = n.IsScalar() ? parse_rate(n.Scalar()) : std::nullopt;
  if (!r)
    src.fail(n, fmt::format("invalid rate {} for '{}': expected a number per second or a number "
                            "per unit, e.g. 20/s, 1200/min, 5000/h",
                            quote(n), field));
  // A million a second is a thousand times the largest tier's RPM; more is surely a typo, and
  // would put several arrivals in each microsecond of simulated time.
  if (*r > kMaxRatePerSecond)
    src.fail(n, fmt::format("invalid rate {} for '{}': expected at most {:.0f} per second", quote(n), field,
                            kMaxRatePerSecond));
  return *r;
}

std::size_t read_choice(const Source& src, const YAML::Node& n, const std::string& field,
                        const std::vector<std::string>& options) {
  if (n.IsScalar()) {
    const auto it = std::find(options.begin(), options.end(), n.Scalar());
    if (it != options.end()) return static_cast<std::size_t>(it - options.begin());
  }
  const std::string word = n.IsScalar() ? n.Scalar() : "";
  src.fail(n, fmt::format("invalid value {} for '{}': expected {}{}", quote(n), field,
                          options.size() == 1 ? options[0] : "one of " + join(options),
                          did_you_mean(word, options)));
}

namespace {

double read_quantity(const Source& src, const YAML::Node& n, const std::string& field,
                     Quantity q) {
  switch (q) {
    case Quantity::kSeconds:
      return kernel::to_seconds(read_duration(src, n, field));
    case Quantity::kTokens: {
      const double v = read_number(src, n, field, 1);
      // Ten times the largest context window offered today; more is surely a typo, and would be
      // clamped when drawn.
      if (v > kMaxTokens)
        src.fail(n, fmt::format("invalid value {} for '{}': expected a number of tokens from 1 to {:.0f}",
                                quote(n), field, kMaxTokens));
      return v;
    }
    case Quantity::kPerSecond: {
      const double v = read_number(src, n, field, 0);
      if (v < kMinPerSecond)
        src.fail(n, fmt::format("invalid value {} for '{}': expected a speed of at least {} per second",
                                quote(n), field, kMinPerSecond));
      return v;
    }
  }
  return 0;
}

double read_positive(const Source& src, const YAML::Node& n, const std::string& field,
                     Quantity q) {
  const double v = read_quantity(src, n, field, q);
  if (v <= 0)
    src.fail(n, fmt::format("invalid value {} for '{}': expected more than 0", quote(n), field));
  return v;
}

}  // namespace

kernel::Distribution read_distribution(const Source& src, const YAML::Node& n,
                                       const std::string& field, Quantity q) {
  using kernel::Distribution;
  const double floor = q == Quantity::kTokens ? 1.0 : 0.0;
  if (n.IsScalar()) {
    Distribution d = Distribution::constant(read_quantity(src, n, field, q));
    d.floor = floor;
    return d;
  }
  const std::vector<std::string> kinds{"uniform", "normal", "lognormal", "exponential",
                                       "empirical"};
  if (!n.IsMap() || n.size() != 1)
    src.fail(n, fmt::format("invalid value {} for '{}': expected a number or one of {{uniform: "
                            "[a, b]}}, {{normal: {{mean, sd}}}}, {{lognormal: {{median, sigma}}}}, "
                            "{{exponential: {{mean}}}}, {{empirical: {{values, weights}}}}",
                            quote(n), field));
  const YAML::Node key = n.begin()->first;
  const YAML::Node body = n.begin()->second;
  const std::size_t kind = read_choice(src, key, field + " distribution", kinds);
  const std::string inner = field + "." + kinds[kind];
  Distribution d;
  switch (kind) {
    case 0: {  // uniform: [a, b]
      if (!body.IsSequence() || body.size() != 2)
        src.fail(body, fmt::format("invalid value {} for '{}': expected [low, high]", quote(body),
                                   inner));
      const double lo = read_quantity(src, body[0], inner, q);
      const double hi = read_quantity(src, body[1], inner, q);
      if (hi < lo)
        src.fail(body, fmt::format("invalid range for '{}': high {} is below low {}", inner,
                                   body[1].Scalar(), body[0].Scalar()));
      d = Distribution::uniform(lo, hi);
      break;
    }
    case 1: {  // normal: {mean, sd}
      MapReader m(src, body, "'" + inner + "'");
      const double mean = read_quantity(src, m.require("mean"), inner + ".mean", q);
      const YAML::Node sd_node = m.require("sd");
      const double sd = q == Quantity::kSeconds ? read_quantity(src, sd_node, inner + ".sd", q)
                                                : read_number(src, sd_node, inner + ".sd", 0);
      m.finish();
      d = Distribution::normal(mean, sd, floor);
      break;
    }
    case 2: {  // lognormal: {median, sigma}
      MapReader m(src, body, "'" + inner + "'");
      const double median = read_positive(src, m.require("median"), inner + ".median", q);
      const YAML::Node sigma_node = m.require("sigma");
      const double sigma = read_number(src, sigma_node, inner + ".sigma", 0);
      // e^(3 × 5) is a factor of three million between the median and a 3-sigma draw already.
      if (sigma > 5)
        src.fail(sigma_node, fmt::format("invalid value {} for '{}.sigma': expected 0 to 5", quote(sigma_node), inner));
      m.finish();
      d = Distribution::lognormal(median, sigma);
      break;
    }
    case 3: {  // exponential: {mean}
      MapReader m(src, body, "'" + inner + "'");
      const double mean = read_positive(src, m.require("mean"), inner + ".mean", q);
      m.finish();
      d = Distribution::exponential(mean);
      break;
    }
    case 4: {  // empirical: {values: [...], weights: [...]}
      MapReader m(src, body, "'" + inner + "'");
      const YAML::Node values = m.require("values");
      const YAML::Node weights = m.get("weights");
      m.finish();
      if (!values.IsSequence() || values.size() == 0)
        src.fail(values, fmt::format("invalid value {} for '{}.values': expected a non-empty list",
                                     quote(values), inner));
      std::vector<double> vs, ws;
      for (const auto& v : values) vs.push_back(read_quantity(src, v, inner + ".values", q));
      if (weights.IsDefined()) {
        if (!weights.IsSequence() || weights.size() != values.size())
          src.fail(weights, fmt::format("invalid value {} for '{}.weights': expected a list of {} "
                                        "weights, one per value",
                                        quote(weights), inner, values.size()));
        double total = 0;
        for (const auto& w : weights) {
          ws.push_back(read_number(src, w, inner + ".weights", 0));
          total += ws.back();
        }
        if (total <= 0)
          src.fail(weights, fmt::format("invalid weights for '{}': they must not all be 0", inner));
      }
      d = Distribution::empirical(std::move(vs), ws);
      break;
    }
    default:
      break;
  }
  d.floor = std::max(d.floor, floor);
  return d;
}

}  // namespace ratesim::scenario
