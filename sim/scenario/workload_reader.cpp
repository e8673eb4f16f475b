#include "sim/scenario/workload_reader.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <optional>

#include "models/request_slab.hpp"
#include "sim/scenario/did_you_mean.hpp"
#include "sim/scenario/input_error.hpp"
#include "sim/scenario/node_reader.hpp"
#include "sim/scenario/units.hpp"

#include "models/traffic/arrival_process.hpp"
#include "sim/scenario/client_reader.hpp"
#include "sim/scenario/trace_reader.hpp"

namespace ratesim::scenario {

using models::WorkloadConfig;
using models::provider::ProviderConfig;
using kernel::Duration;
using namespace std::chrono_literals;

namespace {

models::traffic::OpenTraffic read_traffic(const Source& src, const YAML::Node& n) {
  using models::traffic::Phase;
  if (!n.IsSequence() || n.size() == 0)
    src.fail(n, fmt::format("invalid value {} for 'traffic': expected a list of phases, e.g. "
                            "[{{for: 10m, rate: 2/s}}]",
                            quote(n)));
  models::traffic::OpenTraffic t;
  for (const auto& item : n) {
    MapReader m(src, item, "traffic phase");
    const YAML::Node length = m.get("for");
    const YAML::Node at = m.get("at");
    const std::vector<std::string> shapes{"rate", "ramp_to", "count", "pause", "burst", "sine"};
    std::vector<std::string> given;
    for (const std::string& s : shapes)
      if (m.has(s)) given.push_back(s);
    m.finish();
    if (given.empty())
      src.fail(item, "traffic phase needs one of 'rate', 'ramp_to', 'count', 'pause', 'sine' or "
                     "'burst'");
    if (given.size() > 1)
      src.fail(item, fmt::format("traffic phase has both '{}' and '{}': give one per phase",
                                 given[0], given[1]));
    const std::string& shape = given[0];
    const YAML::Node value = item[shape];
    if (shape == "burst") {
      if (length.IsDefined())
        src.fail(length, "a burst phase happens at one instant: give 'at', not 'for'");
      if (!at.IsDefined()) src.fail(item, "missing key 'at' in burst phase");
      t.bursts.push_back({.at = read_duration(src, at, "at"),
                          .count = static_cast<std::uint64_t>(
                              read_integer(src, value, "burst", 1, kMaxRequests))});
      if (t.bursts.back().count > models::kMaxLiveRequests)
        src.fail(value, fmt::format("invalid value {} for 'burst': more requests at once than ratesim holds "
                                    "(at most {}, about 190 bytes each); spread them with a 'count' phase",
                                    quote(value), models::kMaxLiveRequests));
      continue;
    }
    if (at.IsDefined())
      src.fail(at, fmt::format("'at' belongs to burst phases; a '{}' phase takes 'for'", shape));
    if (!length.IsDefined()) src.fail(item, fmt::format("missing key 'for' in traffic phase"));
    Phase p;
    p.length = read_duration(src, length, "for", 1us);
    if (shape == "rate") {
      p.kind = Phase::Kind::kRate;
      p.rate = read_rate(src, value, "rate");
    } else if (shape == "ramp_to") {
      p.kind = Phase::Kind::kRampTo;
      p.rate = read_rate(src, value, "ramp_to");
    } else if (shape == "sine") {
      MapReader sm(src, value, "sine phase");
      p.kind = Phase::Kind::kSine;
      p.rate = read_rate(src, sm.require("mean"), "mean");
      const YAML::Node amplitude = sm.require("amplitude");
      p.amplitude = read_rate(src, amplitude, "amplitude");
      p.period = read_duration(src, sm.require("period"), "period", 1ms);
      sm.finish();
      if (p.amplitude > p.rate)
        src.fail(amplitude, fmt::format("invalid rate {} for 'amplitude': expected at most the "
                                        "mean, so the rate never goes below zero",
                                        quote(amplitude)));
    } else if (shape == "count") {
      p.kind = Phase::Kind::kCount;
      p.count = static_cast<std::uint64_t>(read_integer(src, value, "count", 0, kMaxRequests));
    } else {
      if (!read_bool(src, value, "pause"))
        src.fail(value, "invalid value 'false' for 'pause': a pause phase is written 'pause: true'");
      p.kind = Phase::Kind::kPause;
    }
    t.phases.push_back(p);
  }
  return t;
}

models::CacheConfig read_cache(const Source& src, const YAML::Node& n, const std::string& workload) {
  MapReader m(src, n, "cache of workload '" + workload + "'");
  models::CacheConfig c;
  c.prefix_tokens = static_cast<std::uint32_t>(
      read_integer(src, m.require("prefix_tokens"), "prefix_tokens", 1, 1'000'000'000));
  if (auto v = m.get("ttl"); v.IsDefined()) {
    c.ttl = read_duration(src, v, "ttl");
    if (c.ttl != 5min && c.ttl != 1h)
      src.fail(v, fmt::format("invalid value {} for 'ttl': expected 5m or 1h (the provider's two "
                              "cache lifetimes)",
                              quote(v)));
  }
  if (auto v = m.get("keys"); v.IsDefined())
    c.keys = static_cast<std::uint32_t>(read_integer(src, v, "keys", 1, 10'000'000));
  if (auto v = m.get("choose"); v.IsDefined())
    c.choice = read_enum(src, v, "choose", models::kCacheChoices);
  if (auto v = m.get("zipf_s"); v.IsDefined()) c.zipf_s = read_number(src, v, "zipf_s", 0);
  m.finish();
  return c;
}

/// How the workload's requests come: exactly one of traffic, backlog, users and trace.
void read_arrivals(const Source& src, MapReader& m, const YAML::Node& n, WorkloadConfig& w, const ProviderConfig& p) {
  const YAML::Node traffic = m.get("traffic");
  const YAML::Node backlog = m.get("backlog");
  const YAML::Node users = m.get("users");
  const YAML::Node trace = m.get("trace");
  const YAML::Node arrivals = m.get("arrivals");
  const YAML::Node repeat = m.get("repeat");
  if (traffic.IsDefined() + backlog.IsDefined() + users.IsDefined() + trace.IsDefined() != 1)
    src.fail(n, fmt::format("workload '{}' needs exactly one of 'traffic' (open arrivals), "
                            "'backlog' (requests ready at once), 'users' (a closed loop) or "
                            "'trace' (recorded requests)",
                            w.name));
  if (traffic.IsDefined()) {
    w.kind = WorkloadConfig::Kind::kOpen;
    w.traffic = read_traffic(src, traffic);
    if (arrivals.IsDefined())
      w.traffic.arrivals = read_enum(src, arrivals, "arrivals", models::traffic::kArrivals);
    if (repeat.IsDefined())
      w.traffic.repeat = static_cast<std::uint32_t>(read_integer(src, repeat, "repeat", 1, 1'000'000));
    const Duration cycle = w.traffic.cycle();
    if (w.traffic.repeat > 1) {
      if (cycle == Duration{0})
        src.fail(repeat, "'repeat' needs phases with a duration ('for') to repeat");
      for (const auto& b : w.traffic.bursts)
        if (b.at >= cycle)
          src.fail(traffic, fmt::format("a burst at {} lies outside the repeated phases ({} long)",
                                        format_duration(b.at), format_duration(cycle)));
    }
  } else {
    if (arrivals.IsDefined()) src.fail(arrivals, "'arrivals' applies to 'traffic' only");
    if (repeat.IsDefined()) src.fail(repeat, "'repeat' applies to 'traffic' only");
  }
  if (trace.IsDefined()) {
    w.kind = WorkloadConfig::Kind::kTrace;
    MapReader t(src, trace, "trace");
    const YAML::Node file = t.require("file");
    double time_scale = 1;
    if (auto v = t.get("time_scale"); v.IsDefined()) time_scale = read_number(src, v, "time_scale", 0);
    if (auto v = t.get("rate_scale"); v.IsDefined()) w.trace.rate_scale = read_number(src, v, "rate_scale", 0);
    t.finish();
    // Relative paths are resolved from the scenario file's folder.
    std::filesystem::path path = read_string(src, file, "file");
    if (path.is_relative()) path = std::filesystem::path(src.file()).parent_path() / path;
    if (!std::filesystem::exists(path))
      src.fail(file, fmt::format("cannot open trace file '{}': no such file", path.string()));
    const double rate_scale = w.trace.rate_scale;
    w.trace = read_trace(path.string(), time_scale);
    w.trace.rate_scale = rate_scale;
    for (const std::string& model_name : w.trace.models) {
      if (p.models.end() == std::find_if(p.models.begin(), p.models.end(),
                                         [&](const auto& md) { return md.name == model_name; }))
        src.fail(file, fmt::format("trace '{}' names model '{}', which the provider does not define",
                                   path.string(), model_name));
    }
    if (w.trace.records.size() * std::max(1.0, rate_scale) > static_cast<double>(kMaxRequests))
      src.fail(file, "the trace would bring more than 1e10 requests");
  }
  if (users.IsDefined()) {
    w.kind = WorkloadConfig::Kind::kUsers;
    MapReader u(src, users, "users");
    w.users.count = static_cast<std::uint64_t>(read_integer(src, u.require("count"), "count", 1, 10'000'000));
    w.users.think = read_distribution(src, u.require("think"), "think", Quantity::kSeconds);
    u.finish();
  } else if (backlog.IsDefined()) {
    w.kind = WorkloadConfig::Kind::kBacklog;
    MapReader b(src, backlog, "backlog");
    const YAML::Node count = b.require("count");
    w.backlog.count = static_cast<std::uint64_t>(read_integer(src, count, "count", 0, kMaxRequests));
    if (w.backlog.count > models::kMaxLiveRequests)
      src.fail(count, fmt::format("invalid value {} for 'count': a backlog is pending all at once, and "
                                  "ratesim holds at most {} pending requests (about 190 bytes each); "
                                  "split it into backlogs at different times, or use traffic phases",
                                  quote(count), models::kMaxLiveRequests));
    if (auto at = b.get("at"); at.IsDefined()) w.backlog.at = read_duration(src, at, "at");
    b.finish();
  }
}

/// Token sizes (a trace brings its own) and the cached prefix.
void read_sizes(const Source& src, MapReader& m, WorkloadConfig& w) {
  // A trace brings its own sizes; max_tokens is needed unless its column is there.
  const bool traced = w.kind == WorkloadConfig::Kind::kTrace;
  auto sizes = [&](const char* key) { return traced ? m.get(key) : m.require(key); };
  if (auto v = sizes("input_tokens"); v.IsDefined())
    w.input_tokens = read_distribution(src, v, "input_tokens", Quantity::kTokens);
  if (auto v = sizes("output_tokens"); v.IsDefined())
    w.output_tokens = read_distribution(src, v, "output_tokens", Quantity::kTokens);
  const bool trace_has_max = traced && std::all_of(w.trace.records.begin(), w.trace.records.end(),
                                                   [](const auto& r) { return r.max_tokens > 0; });
  if (auto v = trace_has_max ? m.get("max_tokens") : m.require("max_tokens"); v.IsDefined())
    w.max_tokens = read_distribution(src, v, "max_tokens", Quantity::kTokens);
  if (auto c = m.get("cache"); c.IsDefined()) w.cache = read_cache(src, c, w.name);
  // A trace's cached_tokens column needs a cache to read and write: 5-minute entries, one key,
  // unless the workload says otherwise.
  if (traced && !w.cache &&
      std::any_of(w.trace.records.begin(), w.trace.records.end(),
                  [](const auto& r) { return r.cached_tokens > 0; }))
    w.cache = models::CacheConfig{};
}

/// `api: batch` and its `batch:` settings; the keys that do not apply to it are refused.
void read_batch_api(const Source& src, MapReader& m, WorkloadConfig& w, const YAML::Node& client,
                    const YAML::Node& deadline, const YAML::Node& attempt_timeout) {
  const YAML::Node api = m.get("api");
  const YAML::Node batch = m.get("batch");
  const bool batch_api = api.IsDefined() && read_choice(src, api, "api", {"messages", "batch"}) == 1;
  if (batch.IsDefined() && !batch_api)
    src.fail(batch, "'batch' settings need 'api: batch' on the workload");
  if (batch_api) {
    if (client.IsDefined())
      src.fail(client, "client layers do not apply to 'api: batch' workloads: the Batch API "
                       "takes whole batches");
    if (deadline.IsDefined())
      src.fail(deadline, "'deadline' does not apply to 'api: batch' workloads: batch results "
                         "come when the batch ends (at most 24h)");
    if (attempt_timeout.IsDefined())
      src.fail(attempt_timeout, "'attempt_timeout' does not apply to 'api: batch' workloads");
    w.batch = models::BatchConfig{};
    if (batch.IsDefined()) {
      MapReader b(src, batch, "batch settings of workload '" + w.name + "'");
      if (auto v = b.get("size"); v.IsDefined())
        w.batch->size = static_cast<std::uint64_t>(read_integer(src, v, "size", 1, 100'000));
      if (auto v = b.get("every"); v.IsDefined()) w.batch->every = read_duration(src, v, "every", 1ms);
      b.finish();
    }
  }
}

}  // namespace

WorkloadConfig read_workload(const Source& src, const YAML::Node& n, const ProviderConfig& p) {
  MapReader m(src, n, "workload");
  WorkloadConfig w;
  w.name = read_name(src, m.require("name"), "name");
  m.set_what("workload '" + w.name + "'");
  const YAML::Node model = m.require("model");
  w.model = read_string(src, model, "model");
  std::vector<std::string> model_names;
  for (const auto& md : p.models) model_names.push_back(md.name);
  if (std::find(model_names.begin(), model_names.end(), w.model) == model_names.end())
    src.fail(model, fmt::format("unknown model '{}' in workload '{}'{}: the provider defines {}",
                                w.model, w.name, did_you_mean(w.model, model_names),
                                fmt::join(model_names, ", ")));

  if (const YAML::Node ws = m.get("workspace"); ws.IsDefined()) {
    w.workspace = read_name(src, ws, "workspace");
    std::vector<std::string> names;
    for (const auto& s : p.workspaces) names.push_back(s.name);
    if (std::find(names.begin(), names.end(), w.workspace) == names.end())
      src.fail(ws, fmt::format("unknown workspace '{}' in workload '{}'{}: expected one of provider.workspaces ({})",
                               w.workspace, w.name, did_you_mean(w.workspace, names),
                               names.empty() ? "none declared" : fmt::format("{}", fmt::join(names, ", "))));
  }
  read_arrivals(src, m, n, w, p);
  read_sizes(src, m, w);
  const YAML::Node deadline = m.get("deadline");
  const YAML::Node client = m.get("client");
  if (deadline.IsDefined()) w.deadline = read_duration(src, deadline, "deadline", 1us);
  const YAML::Node attempt_timeout = m.get("attempt_timeout");
  if (attempt_timeout.IsDefined())
    w.attempt_timeout = read_duration(src, attempt_timeout, "attempt_timeout", 1us);
  if (client.IsDefined()) w.client = read_client(src, client, p);
  read_batch_api(src, m, w, client, deadline, attempt_timeout);
  m.finish();
  return w;
}

}  // namespace ratesim::scenario
