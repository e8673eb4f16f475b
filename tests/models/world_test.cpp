// End-to-end cases worked by hand: whole scenarios whose results follow from arithmetic.
#include <catch2/catch.hpp>

#include <algorithm>

#include "sim/metrics/diagnosis.hpp"
#include "test_support.hpp"

using namespace ratesim;
using namespace ratesim::testing;
using models::RequestOutcome;

namespace {
std::string open_workload(const std::string& traffic, const std::string& extra = "") {
  return "workloads:\n"
         "  - name: w\n"
         "    model: m\n"
         "    arrivals: uniform\n"
         "    traffic: " + traffic + "\n"
         "    input_tokens: 100\n"
         "    output_tokens: 10\n"
         "    max_tokens: 10\n" + extra;
}
}  // namespace

TEST_CASE("a saturated rpm budget: admissions, 429s, the group summary and the diagnosis", "[world]") {
  // rpm 60 with a 60 s burst: capacity 60, refill 1/s. Arrivals every 0.2 s, 0.2 s .. 60 s (300).
  const auto s = run_yaml("name: t\nduration: 60s\n" + provider_yaml("{rpm: 60}") +
                          open_workload("[{for: 60s, rate: 5/s}]"));
  SECTION("capacity + rate × time are admitted") {
    // The bucket is full until the first arrival, so it admits capacity + rate × (last − first)
    // = 60 + ⌊1 × 59.8⌋ = 119; the rest get 429s for rpm.
    CHECK(s.total.arrived == 300);
    CHECK(s.total.attempts_ok == 119);
    CHECK(s.total.r429_of(models::LimitCause::kRpm) == 181);
    CHECK(s.total.r429_total() == 181);
    CHECK(s.total.requests(RequestOutcome::kGaveUp) == 181);
  }
  SECTION("the group summary reports use, the first 429 and its count per budget") {
    // Before arrival k the bucket holds 60 + 0.2k − 0.2 − (k − 1) = 60.8 − 0.8k, which first
    // drops below one at k = 75: the first 429 is at 15 s.
    REQUIRE(s.groups.size() == 1);
    REQUIRE(s.groups[0].budgets.size() == 1);
    const auto& rpm = s.groups[0].budgets[0];
    CHECK(rpm.name == "rpm");
    CHECK(rpm.limit == 60);
    CHECK(rpm.first_429_s == 15.0);
    CHECK(rpm.r429 == 181);
    // Mean use is over the time the work ran: from the first arrival, 0.2 s, to the last
    // completion, the 429 of the arrival at 60 s: 119 requests in 59.8 s of a 60/min budget.
    CHECK(s.measured_from_s == Approx(0.2));
    CHECK(s.measured_to_s == Approx(60.0));
    CHECK(rpm.mean_util == Approx(119.0 / 59.8));
    // Refill at the limit gives 59.8 in that time; the other 59.2 came from the full bucket.
    CHECK(rpm.start_share == Approx(1 - 59.8 / 119.0));
    // The first 10 s admit 49: 49 / (60 per minute × 1/6 minute).
    CHECK(rpm.peak_util == Approx(4.9));
  }
  SECTION("the diagnosis names the first limit hit and the cure") {
    const auto d = metrics::diagnose(s);
    CHECK(d.first_group == "m");
    CHECK(d.first_budget == "rpm");
    CHECK(d.first_at_s == 15.0);
    REQUIRE(d.causes.size() == 1);
    CHECK(d.causes[0].cause == "rpm");
    CHECK(d.causes[0].count == 181);
    CHECK(d.causes[0].share == 1.0);
    CHECK(d.causes[0].cure == "fewer, bundled calls (several items per request, or the Batch API)");
    CHECK(d.warnings.empty());
  }
}

TEST_CASE("a short burst window enforces the limit per second", "[world]") {
  // The same 60 rpm with burst 1 s: capacity 1, so one request per second passes, at
  // 0.2, 1.2, ..., 59.2 s: 1 + ⌊59.8⌋ = 60.
  const auto s = run_yaml("name: t\nduration: 60s\n" + provider_yaml("{rpm: 60}", "  burst: 1s\n") +
                          open_workload("[{for: 60s, rate: 5/s}]"));
  CHECK(s.total.attempts_ok == 60);
}

TEST_CASE("a warm-up leaves out the requests that arrive in it and measures budget use from its end", "[world]") {
  // rpm 60 with a 1 s burst: one request a second passes, at 0.2, 1.2, ..., 59.2 s (the case
  // above). Arrivals every 0.2 s from 0.2 s to 60 s; warm-up 30 s: the 149 arrivals before 30 s
  // are left out, the 151 from 30.0 s on are measured. Of these, those at 30.2, 31.2, ..., 59.2 s
  // are admitted: 30, of which the last (1 s of service) is still out at the horizon; the other
  // 121 get a 429 and give up.
  const auto s = run_yaml("name: t\nduration: 60s\nwarmup: 30s\n" + provider_yaml("{rpm: 60}", "  burst: 1s\n") +
                          open_workload("[{for: 60s, rate: 5/s}]"));
  CHECK(s.warmup_s == 30.0);
  CHECK(s.requests_left_out == 149);
  CHECK(s.total.arrived == 151);
  CHECK(s.total.requests(RequestOutcome::kOk) == 29);
  CHECK(s.total.requests(RequestOutcome::kUnfinished) == 1);
  CHECK(s.total.requests(RequestOutcome::kGaveUp) == 121);
  CHECK(s.total.r429_total() == 121);
  REQUIRE(s.groups.size() == 1);
  CHECK(s.groups[0].budgets[0].r429 == 121);
  // Budget use from 30 s: the 30 admissions, over the 30 s from the first measured arrival
  // (30.0 s) to the horizon (work was left unfinished): exactly the limit, nothing from a full
  // bucket.
  CHECK(s.measured_from_s == Approx(30.0));
  CHECK(s.measured_to_s == Approx(60.0));
  CHECK(s.groups[0].budgets[0].mean_util == Approx(1.0));
  CHECK(s.groups[0].budgets[0].start_share == 0);
}

TEST_CASE("initial_load: steady starts the acceleration baseline at the scenario's own load", "[world]") {
  // rpm 600, requests at an even 5/s: half the limit, steady for 30 minutes, never retried.
  // Acceleration moderate: a short-term load above max(floor 0.25, 2 × baseline) is refused.
  // From a standstill (initial_load 0) the first minute's load, 0.5, is above both: refusals.
  // With `steady` the baseline starts at the load of the first 10 minutes, 0.5 (2,999 of the
  // 3,000 arrivals admitted by 600 s, over 600 s of a 600/min limit), so 2 × 0.5 = 1 allows the
  // same load throughout: no refusal.
  const auto yaml = [](const std::string& initial) {
    return "name: t\nduration: 30m\n" +
           provider_yaml("{rpm: 600}", "  acceleration: {profile: moderate, initial_load: " + initial + "}\n") +
           open_workload("[{for: 30m, rate: 5/s}]");
  };
  const auto cold = run_yaml(yaml("0"));
  CHECK(cold.total.r429_of(models::LimitCause::kAcceleration) > 0);
  const auto steady = run_yaml(yaml("steady"));
  CHECK(steady.total.r429_total() == 0);
  CHECK(steady.total.requests(RequestOutcome::kOk) == steady.total.arrived - steady.total.requests(RequestOutcome::kUnfinished));
  const auto entry = std::find_if(steady.assumptions.begin(), steady.assumptions.end(),
                                  [](const auto& a) { return a.path == "provider.acceleration.initial_load"; });
  REQUIRE(entry != steady.assumptions.end());
  CHECK(entry->value == "steady (0.50)");
}

TEST_CASE("network delay and service time add up to the latency", "[world]") {
  // One request: 40 ms out, 1 s ttft, instant output, 40 ms back.
  const auto s = run_yaml("name: t\nduration: 10s\n" +
                          provider_yaml("{rpm: 60}", "  network_delay: 40ms\n") +
                          open_workload("[{at: 0s, burst: 1}]"));
  REQUIRE(s.total.requests(RequestOutcome::kOk) == 1);
  CHECK(s.total.latency.max == Approx(1.08).margin(1e-9));
  CHECK(s.total.cost_total() == Approx(100 * 1e-6 + 10 * 5e-6));
}

TEST_CASE("work pending at the horizon is counted as unfinished", "[world]") {
  const auto s = run_yaml("name: t\nduration: 500ms\n" + provider_yaml("{rpm: 60}") +
                          open_workload("[{at: 0s, burst: 3}]"));
  CHECK(s.total.requests(RequestOutcome::kUnfinished) == 3);
  CHECK(s.total.attempts_ok == 3);
}

TEST_CASE("workloads share their organization's budgets", "[world]") {
  // Two workloads of 50 requests each against one rpm bucket of 60: 60 pass in total.
  std::string yaml = "name: t\nduration: 1s\n" + provider_yaml("{rpm: 60}") + "workloads:\n";
  for (const char* name : {"a", "b"})
    yaml += std::string("  - {name: ") + name +
            ", model: m, backlog: {count: 50}, input_tokens: 1, output_tokens: 1, max_tokens: 1}\n";
  const auto s = run_yaml(yaml);
  CHECK(s.total.attempts_ok == 60);
  CHECK(s.workloads[0].attempts_ok == 50);  // a's backlog arrives first
  CHECK(s.workloads[1].attempts_ok == 10);
}


TEST_CASE("attempts of one request in service at once each settle and come back", "[world]") {
  // One request; the client stops waiting after 3 s and retries 1 s later, twice, while the
  // provider takes 10 s per attempt: three attempts are served at once, sent at 0, 4 and 8 s,
  // each reaching the provider 40 ms later and finishing 10 s after that. Each reserved its
  // max_tokens (100) of output budget and produced 40, so each gives 60 back when it ends:
  // at 10.04, 14.04 and 18.04 s. The request gives up at 11 s (third timeout); every response
  // still comes back, the last at 18.08 s.
  const std::string yaml =
      "name: t\nduration: 1m\n"
      "provider:\n  network_delay: 40ms\n  models:\n    m:\n      limits: {rpm: 600, otpm: 100000}\n"
      "      price: {input: 1, output: 5}\n      latency: {ttft: 10s, output_tps: 1000000000}\n"
      "workloads:\n  - {name: w, model: m, traffic: [{at: 0s, burst: 1}, {at: 30s, burst: 1}],"
      " input_tokens: 1000, output_tokens: 40, max_tokens: 100, attempt_timeout: 3s,"
      " client: [{retry: {on: [timeout], backoff: constant, base: 1s, jitter: none, max_retries: 2,"
      " honor_retry_after: false}}]}\n";
  Recorder rec;
  run_with(scenario_from(yaml), rec);
  CHECK(rec.send_times(0) == std::vector<double>{0, 4, 8});
  REQUIRE(rec.settled.size() >= 3);
  const std::vector<std::pair<double, std::int64_t>> first_three(rec.settled.begin(), rec.settled.begin() + 3);
  CHECK(first_three == std::vector<std::pair<double, std::int64_t>>{{10.04, -60}, {14.04, -60}, {18.04, -60}});
  REQUIRE(rec.done.size() == 2);
  CHECK(rec.done[0].outcome == RequestOutcome::kGaveUp);
  CHECK(rec.done[0].t == 11.0);
  // The second request, at 30 s, takes the first one's slot (free since 18.08 s) and goes
  // the same way 30 s later.
  CHECK(rec.done[1].outcome == RequestOutcome::kGaveUp);
  CHECK(rec.done[1].t == 41.0);
  CHECK(rec.settled.size() == 6);
  CHECK(rec.settled[3] == std::pair<double, std::int64_t>{40.04, -60});
  CHECK(rec.settled[5] == std::pair<double, std::int64_t>{48.04, -60});
}

TEST_CASE("arrivals of many workloads at the same instants come in the order scheduled", "[world]") {
  // A backlog of one request at 1 s, then six workloads of one request a second at 1, 2, ..., 10 s
  // (uniform arrivals). The first four open workloads' arrivals go through lanes of their own,
  // the other two and the backlog through the heap; either way, arrivals at one instant are
  // taken in the order they were scheduled: the backlog's first (scheduled at the start, before
  // any open workload's), then workload order. So at 1 s: the backlog's request (id 0), then
  // w0..w5 (ids 1..6); at 2 s w0..w5 (ids 7..12); and so on.
  std::string yaml = "name: t\nduration: 10s\n" + provider_yaml("{rpm: 6000}") + "workloads:\n" +
                     "  - {name: b, model: m, backlog: {count: 1, at: 1s}, input_tokens: 10, output_tokens: 1,"
                     " max_tokens: 1}\n";
  for (int w = 0; w < 6; ++w)
    yaml += "  - {name: w" + std::to_string(w) +
            ", model: m, arrivals: uniform, traffic: [{for: 10s, rate: 1/s}], input_tokens: 10,"
            " output_tokens: 1, max_tokens: 1}\n";
  struct Arrivals : models::WorldObserver {
    std::vector<std::tuple<double, std::uint16_t, std::uint64_t>> seen;  // time, workload, id
    void on_arrival(models::Time now, const models::Request& r) override {
      seen.emplace_back(kernel::to_seconds(now), r.workload, r.id);
    }
  } rec;
  run_with(scenario_from(yaml), rec);
  REQUIRE(rec.seen.size() == 61);
  CHECK(rec.seen[0] == std::tuple<double, std::uint16_t, std::uint64_t>{1.0, 0, 0});
  for (std::size_t i = 1; i < rec.seen.size(); ++i) {
    CHECK(std::get<0>(rec.seen[i]) == static_cast<double>((i - 1) / 6 + 1));
    CHECK(std::get<1>(rec.seen[i]) == (i - 1) % 6 + 1);
    CHECK(std::get<2>(rec.seen[i]) == i);
  }
}
