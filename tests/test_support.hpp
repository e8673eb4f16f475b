// Helpers shared by the tests: small scenarios written inline, and a recorder of what a world
// does.
#pragma once

#include <string>
#include <vector>

#include "models/client/layer.hpp"
#include "models/observer.hpp"
#include "sim/cli/runner.hpp"
#include "sim/scenario/scenario_loader.hpp"

namespace ratesim::testing {

/// A scenario from YAML text (label "test.yaml").
scenario::Scenario scenario_from(const std::string& yaml);
/// Runs a scenario from YAML text and returns the summary.
metrics::Summary run_yaml(const std::string& yaml);
/// The message InputError gives for `yaml` (after the `--set` overrides `sets`), or "" if it
/// loads. `label` stands for the file name.
std::string load_error(const std::string& yaml, const std::vector<std::string>& sets = {},
                       const std::string& label = "test.yaml");

/// Records every call a world makes to its observers.
struct Recorder : models::WorldObserver {
  struct Send {
    std::uint64_t id;
    double t;
    std::uint32_t attempt;
  };
  struct Done {
    std::uint64_t id;
    double t;
    models::RequestOutcome outcome;
  };
  std::vector<Send> sends;
  std::vector<Done> done;
  std::vector<models::AttemptResult> results;
  std::vector<std::pair<double, std::int64_t>> settled;  ///< (time, output tokens settled)
  int in_flight = 0;
  int max_in_flight = 0;

  void on_attempt_sent(models::Time now, const models::Request& r) override {
    sends.push_back({r.id, kernel::to_seconds(now), r.attempts});
    max_in_flight = std::max(max_in_flight, ++in_flight);
  }
  void on_attempt_outcome(models::Time, const models::Request&,
                          const models::AttemptDecision& d) override {
    results.push_back(d.result);
  }
  void on_budget_settled(models::Time now, std::uint32_t, std::size_t, std::int64_t amount) override {
    settled.emplace_back(kernel::to_seconds(now), amount);
  }
  void on_attempt_returned(models::Time, const models::Request&) override { --in_flight; }
  void on_request_done(models::Time now, const models::Request& r,
                       models::RequestOutcome o) override {
    done.push_back({r.id, kernel::to_seconds(now), o});
  }
  std::vector<double> send_times(std::uint64_t id) const {
    std::vector<double> out;
    for (const Send& s : sends)
      if (s.id == id) out.push_back(s.t);
    return out;
  }
};

/// A client layer's host for tests of one layer alone: a clock the test sets, requests in a
/// vector (slot = index), and a record of what the layer asked for. A request passed inward is
/// "in flight": its last_send becomes the clock's time.
struct FakeHost final : models::client::LayerHost {
  models::Time t{};
  std::vector<models::Request> requests = std::vector<models::Request>(400);
  std::vector<std::pair<models::client::Slot, std::size_t>> passed;  ///< (slot, from layer)
  std::vector<models::client::Slot> dropped, gave_up;
  std::vector<std::pair<models::Time, models::client::Slot>> wakes;
  std::vector<models::Time> timers;

  models::Time now() const override { return t; }
  models::Request& request(models::client::Slot s) override { return requests[s]; }
  void pass_inward(models::client::Slot s, std::size_t from) override {
    requests[s].last_send = t;
    requests[s].parked = false;
    passed.emplace_back(s, from);
  }
  void wake_at(models::Time at, models::client::Slot s, std::size_t) override { wakes.emplace_back(at, s); }
  void drop(models::client::Slot s) override {
    requests[s].finished = true;
    dropped.push_back(s);
  }
  void give_up(models::client::Slot s) override {
    requests[s].finished = true;
    gave_up.push_back(s);
  }
  void timer_at(models::Time at, std::uint16_t, std::size_t, std::uint32_t) override { timers.push_back(at); }
  const models::RateLimitHeaders* headers(models::client::Slot) const override { return nullptr; }
  /// Makes slot `s` hold a live request (a new generation) and returns it.
  models::Request& arrive(models::client::Slot s) {
    models::Request& r = requests[s];
    const std::uint32_t generation = r.generation + 1;
    r = models::Request{};
    r.generation = generation;
    r.live = true;
    return r;
  }
};

/// Runs `s` with `rec` attached.
void run_with(const scenario::Scenario& s, models::WorldObserver& rec);

/// A provider block with one model "m" (ttft 1 s, output instantly) and the given limits text,
/// e.g. "{rpm: 60}".
std::string provider_yaml(const std::string& limits, const std::string& extra = "");

std::string source_path(const std::string& relative);

/// What the ratesim binary did: its exit code and what it printed.
struct BinaryResult {
  int code;
  std::string out;
  std::string err;
};
/// Runs `ratesim ARGS` through the shell (ARGS may quote and redirect).
BinaryResult run_ratesim(const std::string& args);
/// A file's whole text ("" if it cannot be read).
std::string slurp(const std::string& path);

}  // namespace ratesim::testing
