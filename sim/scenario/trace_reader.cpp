#include "sim/scenario/trace_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <optional>

#include "sim/scenario/did_you_mean.hpp"
#include "sim/scenario/input_error.hpp"
#include "sim/scenario/units.hpp"

namespace ratesim::scenario {
namespace {

struct Field {
  std::string text;
  int column;  ///< 1-based
};

std::vector<Field> split(const std::string& line) {
  std::vector<Field> out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = line.find(',', start);
    std::string text = line.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\r')) text.pop_back();
    std::size_t lead = 0;
    while (lead < text.size() && text[lead] == ' ') ++lead;
    out.push_back(Field{text.substr(lead), static_cast<int>(start + lead + 1)});
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

}  // namespace

models::traffic::Trace read_trace(const std::string& path, double time_scale) {
  check_input_file(path, kMaxTraceBytes, "trace file");
  std::ifstream in(path);
  if (!in) throw InputError(path, 0, 0, fmt::format("cannot open trace file: {}", std::strerror(errno)));
  const std::vector<std::string> known{"time_s", "input_tokens", "output_tokens", "max_tokens",
                                       "model", "cached_tokens"};
  std::string line;
  if (!std::getline(in, line))
    throw InputError(path, 1, 1, "empty trace file: expected a header row naming its columns");
  const std::vector<Field> header = split(line);
  std::vector<int> column_of(known.size(), -1);
  for (std::size_t i = 0; i < header.size(); ++i) {
    const auto it = std::find(known.begin(), known.end(), header[i].text);
    if (it == known.end())
      throw InputError(path, 1, header[i].column,
                       fmt::format("unknown column '{}'{}: expected time_s, input_tokens, "
                                   "output_tokens, and optionally max_tokens, model, cached_tokens",
                                   header[i].text, did_you_mean(header[i].text, known)));
    if (column_of[static_cast<std::size_t>(it - known.begin())] >= 0)
      throw InputError(path, 1, header[i].column,
                       fmt::format("duplicate column '{}': each column appears once in the header", header[i].text));
    column_of[static_cast<std::size_t>(it - known.begin())] = static_cast<int>(i);
  }
  for (std::size_t k = 0; k < 3; ++k)
    if (column_of[k] < 0)
      throw InputError(path, 1, 1, fmt::format("missing column '{}' in the header", known[k]));

  models::traffic::Trace trace;
  double previous = 0;
  int line_number = 1;
  while (std::getline(in, line)) {
    ++line_number;
    if (line.empty() || line == "\r") continue;
    const std::vector<Field> fields = split(line);
    if (fields.size() != header.size())
      throw InputError(path, line_number, 1,
                       fmt::format("expected {} fields as in the header, got {}", header.size(),
                                   fields.size()));
    auto number = [&](std::size_t k, double min) -> std::optional<double> {
      if (column_of[k] < 0) return std::nullopt;
      const Field& f = fields[static_cast<std::size_t>(column_of[k])];
      if (f.text.empty() && k >= 3) return std::nullopt;  // optional columns may be blank
      const auto v = parse_number(f.text);
      const bool whole = k == 0 || (v && *v == std::floor(*v));
      if (!v || *v < min || !whole || *v > 4e9)
        throw InputError(path, line_number, f.column,
                         fmt::format("invalid value '{}' for '{}': expected {} >= {}", f.text,
                                     known[k], k == 0 ? "a number" : "a whole number", min));
      return v;
    };
    models::traffic::TraceRecord r;
    const double t = *number(0, 0);
    if (t < previous)
      throw InputError(path, line_number, fields[static_cast<std::size_t>(column_of[0])].column,
                       fmt::format("time_s {} is before the previous record's {}: records must be "
                                   "in time order",
                                   fields[static_cast<std::size_t>(column_of[0])].text, previous));
    previous = t;
    r.at = kernel::from_seconds(t * time_scale);
    r.input_tokens = static_cast<std::uint32_t>(*number(1, 1));
    r.output_tokens = static_cast<std::uint32_t>(*number(2, 1));
    if (auto v = number(3, 1)) r.max_tokens = static_cast<std::uint32_t>(*v);
    if (auto v = number(5, 0)) r.cached_tokens = static_cast<std::uint32_t>(*v);
    if (column_of[4] >= 0) {
      const std::string& name = fields[static_cast<std::size_t>(column_of[4])].text;
      auto it = std::find(trace.models.begin(), trace.models.end(), name);
      if (it == trace.models.end()) {
        trace.models.push_back(name);
        it = trace.models.end() - 1;
      }
      r.model = static_cast<std::uint16_t>(it - trace.models.begin());
    }
    trace.records.push_back(r);
  }
  return trace;
}

}  // namespace ratesim::scenario
