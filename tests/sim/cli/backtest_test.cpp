// backtest on logs small enough to work out by hand: the rows it gates on (requests ok, given up
// and 429s), n/a against a zero and how a gated zero is judged, and the log against the
// simulation per minute.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "sim/calibrate/attempts_reader.hpp"
#include "sim/cli/backtest.hpp"
#include "test_support.hpp"

using namespace ratesim;
using testing::run_ratesim;

namespace {

// One model whose requests bucket holds 8 (rpm 480 over a 1 s burst) and refills 8 a second;
// ttft 1 s, output instant, no other budget. Ten requests at t = 0: eight are admitted and end
// ok at t = 1; two get 429s with retry-after 1 s (the wait for one request, rounded up to whole
// seconds). Without a client layer they give up; with `kRetry` they retry at t = 1 into a full
// bucket and end ok.
std::string scenario_yaml(const std::string& workload_extra = "") {
  return "name: bt\nduration: 1m\n" + testing::provider_yaml("{rpm: 480}", "  burst: 1s\n") +
         "workloads:\n  - name: w\n    model: m\n    traffic: [{at: 0s, burst: 1}]\n"
         "    input_tokens: 100\n    output_tokens: 10\n    max_tokens: 10\n" + workload_extra;
}
const std::string kRetry = "    client: [{retry: {max_retries: 2}}]\n";

/// One attempt of request `id` sent at `time`: a 200 with usage after 1 s, or a 429 (the
/// message names rpm) or 529 at once.
std::string attempt(double time, int id, int status) {
  nlohmann::json a{{"time", time}, {"request_id", id}, {"model", "m"}, {"status", status}, {"input_tokens", 100}, {"max_tokens", 10}};
  if (status == 200) {
    a["latency_s"] = 1;
    a["usage"] = {{"input_tokens", 100}, {"output_tokens", 10}};
  } else {
    a["latency_s"] = 0;
    if (status == 429) a["error"] = {{"type", "rate_limit_error"}, {"message", "This request would exceed the rate limit for requests per minute"}};
  }
  return a.dump() + "\n";
}

/// Requests 1 to 8 sent at t = 0 and ok, and `rest` after them.
std::string log_text(const std::string& rest) {
  std::string text;
  for (int id = 1; id <= 8; ++id) text += attempt(0, id, 200);
  return text + rest;
}

// Log A: request 9 gets a 429 at 0, a 529 at 70 and is ok at 75; request 10 gets a 429 at 0 and
// gives up. Requests ok 9, given up 1; 429s 2; 529s 1; attempts 12.
const std::string kOneGaveUp = log_text(attempt(0, 9, 429) + attempt(0, 10, 429) + attempt(70, 9, 529) + attempt(75, 9, 200));
// Log B: requests 9 and 10 get 429s at 0 and are ok at 70. Ok 10, given up 0; 429s 2.
const std::string kNoneGaveUp = log_text(attempt(0, 9, 429) + attempt(0, 10, 429) + attempt(70, 9, 200) + attempt(70, 10, 200));
// Log C: all ten ok at 0, no 429. Ok 10, given up 0; 429s 0.
const std::string kNo429 = log_text(attempt(0, 9, 200) + attempt(0, 10, 200));

struct TempDir {
  std::filesystem::path path = std::filesystem::temp_directory_path() / ("ratesim-backtest-" + std::to_string(::getpid()));
  TempDir() {
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name) << text;
    return (path / name).string();
  }
};

cli::BacktestResult backtest(const std::string& log, const std::string& scenario, double tolerance) {
  const TempDir dir;
  return cli::backtest(calibrate::read_attempts_logs({dir.write("log.jsonl", log)}), testing::scenario_from(scenario), tolerance);
}

const cli::BacktestRow* find_row(const cli::BacktestResult& r, const std::string& metric) {
  const auto it = std::find_if(r.rows.begin(), r.rows.end(), [&](const cli::BacktestRow& row) { return row.metric == metric; });
  return it == r.rows.end() ? nullptr : &*it;
}

/// The table line that starts with `label` ("" if none).
std::string table_line(const std::string& table, const std::string& label) {
  std::size_t at = 0;
  while (at < table.size()) {
    const std::size_t end = table.find('\n', at);
    const std::string line = table.substr(at, end - at);
    if (line.rfind(label, 0) == 0) return line;
    at = end == std::string::npos ? table.size() : end + 1;
  }
  return "";
}

}  // namespace

TEST_CASE("backtest gates on requests given up: within on ok and 429s, beyond on given up", "[backtest]") {
  // Log A against the scenario without retries: ok 9 → 8 (−1/9 = −11.1%), given up 1 → 2
  // (+100%), 429s 2 → 2 (0%). Only the given-up row is beyond 20%.
  const cli::BacktestResult r = backtest(kOneGaveUp, scenario_yaml(), 0.2);
  const std::string table = cli::backtest_table(r);
  INFO(table);
  const cli::BacktestRow* ok = find_row(r, "requests.ok");
  const cli::BacktestRow* gave_up = find_row(r, "requests.gave_up");
  const cli::BacktestRow* r429 = find_row(r, "attempts.r429.total");
  REQUIRE(ok);
  REQUIRE(gave_up);
  REQUIRE(r429);
  CHECK(ok->observed == 9);
  CHECK(ok->simulated == 8);
  CHECK(*ok->relative == Approx(-1.0 / 9));
  CHECK_FALSE(ok->beyond);
  CHECK(gave_up->gated);
  CHECK(gave_up->observed == 1);
  CHECK(gave_up->simulated == 2);
  CHECK(*gave_up->relative == Approx(1.0));
  CHECK(gave_up->beyond);
  CHECK(r429->observed == 2);
  CHECK(r429->simulated == 2);
  CHECK(*r429->relative == 0);
  CHECK_FALSE(r429->beyond);
  CHECK_FALSE(r.pass);
  // Every non-ok request of the simulation gave up, as in the log: no "not ok" row.
  CHECK_FALSE(find_row(r, "requests.failed"));

  const nlohmann::ordered_json j = cli::backtest_json(r);
  CHECK(j["schema"] == "ratesim.backtest/2");
  CHECK(j["gated"] == nlohmann::ordered_json::array({"requests.ok", "requests.gave_up", "attempts.r429.total"}));
  CHECK(j["beyond_tolerance"] == nlohmann::ordered_json::array({"requests.gave_up"}));
  CHECK(j["error"]["requests.gave_up"] == 1.0);
  CHECK(j["observed"]["requests"]["gave_up"] == 1);
  CHECK(j["simulated"]["requests"]["gave_up"] == 2);
  CHECK(table_line(table, "requests given up") == "requests given up              1           2     +100.0%  beyond tolerance");
  CHECK_THAT(table, Catch::EndsWith("FAIL: requests ok, given up and 429s are not all within 20% of the log\n"));

  // At 100% every row is within: 1 → 2 is +100%, not more.
  CHECK(backtest(kOneGaveUp, scenario_yaml(), 1.0).pass);
}

TEST_CASE("against an observed 0 the difference is n/a, and a gated count is beyond when it exceeds tolerance × the "
          "log's requests", "[backtest]") {
  SECTION("requests given up") {
    // Log B against the scenario without retries: ok 10 → 8 (−20%), given up 0 → 2, 429s 2 → 2.
    // Given up is judged against 10 requests: 2 is within 25% (2.5) and beyond 15% (1.5); as
    // the log gave none up, ok is off by the same share (−2/10) and crosses with it.
    const cli::BacktestResult within = backtest(kNoneGaveUp, scenario_yaml(), 0.25);
    const std::string table = cli::backtest_table(within);
    INFO(table);
    const cli::BacktestRow* gave_up = find_row(within, "requests.gave_up");
    REQUIRE(gave_up);
    CHECK(gave_up->observed == 0);
    CHECK(gave_up->simulated == 2);
    CHECK_FALSE(gave_up->relative);
    CHECK_FALSE(gave_up->beyond);
    CHECK(within.pass);
    CHECK(cli::backtest_json(within)["error"]["requests.gave_up"].is_null());
    CHECK(table_line(table, "requests given up") == "requests given up              0           2         n/a");
    CHECK_THAT(table, Catch::EndsWith("pass: requests ok, given up and 429s are within 25% of the log\n"));

    const cli::BacktestResult beyond = backtest(kNoneGaveUp, scenario_yaml(), 0.15);
    CHECK(find_row(beyond, "requests.gave_up")->beyond);
    CHECK(cli::backtest_json(beyond)["beyond_tolerance"] == nlohmann::ordered_json::array({"requests.ok", "requests.gave_up"}));
  }
  SECTION("429s") {
    // Log C against the scenario with retries: ok 10 → 10, given up 0 → 0, 429s 0 → 2 (the two
    // refused at t = 0, ok on their retry). The 429s are within 25% of 10 requests (2.5) and
    // beyond 15% (1.5), alone.
    const cli::BacktestResult within = backtest(kNo429, scenario_yaml(kRetry), 0.25);
    INFO(cli::backtest_table(within));
    const cli::BacktestRow* r429 = find_row(within, "attempts.r429.total");
    REQUIRE(r429);
    CHECK(r429->observed == 0);
    CHECK(r429->simulated == 2);
    CHECK_FALSE(r429->relative);
    CHECK(within.pass);
    // Both zero: a difference of 0, printed blank.
    const cli::BacktestRow* gave_up = find_row(within, "requests.gave_up");
    REQUIRE(gave_up);
    CHECK(*gave_up->relative == 0);
    CHECK(cli::backtest_json(within)["error"]["requests.gave_up"] == 0);
    CHECK(table_line(cli::backtest_table(within), "requests given up") == "requests given up              0           0");
    CHECK(table_line(cli::backtest_table(within), "429s") == "429s                           0           2         n/a");

    const cli::BacktestResult beyond = backtest(kNo429, scenario_yaml(kRetry), 0.15);
    CHECK_FALSE(beyond.pass);
    CHECK(cli::backtest_json(beyond)["beyond_tolerance"] == nlohmann::ordered_json::array({"attempts.r429.total"}));
  }
}

TEST_CASE("requests not ok is shown only when the simulation ends requests otherwise than ok or given up", "[backtest]") {
  // With a 1.5 s deadline the eight admitted at t = 0 end ok at 1, and the two refused, retried
  // at 1 and due at 2, time out at 1.5: ok 8, given up 0, timed out 2. The log's 10 are all ok,
  // so not ok is 0 → 2, beside given up 0 → 0.
  const cli::BacktestResult r = backtest(kNoneGaveUp, scenario_yaml(kRetry + "    deadline: 1500ms\n"), 0.2);
  INFO(cli::backtest_table(r));
  CHECK(r.simulated.requests(models::RequestOutcome::kTimedOut) == 2);
  const cli::BacktestRow* not_ok = find_row(r, "requests.failed");
  REQUIRE(not_ok);
  CHECK(not_ok->observed == 0);
  CHECK(not_ok->simulated == 2);
  CHECK_FALSE(not_ok->gated);
  CHECK(find_row(r, "requests.gave_up")->simulated == 0);
  // Without the deadline both retries end ok: no such row.
  CHECK_FALSE(find_row(backtest(kNoneGaveUp, scenario_yaml(kRetry), 0.2), "requests.failed"));
}

TEST_CASE("per minute, the log against the simulation: JSON records with backtest.csv's columns, and a table", "[backtest]") {
  // Log A by minute of send time: minute 0 has the 10 first attempts (8 ok, 2 429s), minute 1
  // the 529 at 70 and the success at 75. The simulation sends its 10 attempts at t = 0 (8 ok,
  // 2 429s) and nothing after; its series is padded to the log's two minutes.
  const cli::BacktestResult r = backtest(kOneGaveUp, scenario_yaml(), 0.2);
  const nlohmann::ordered_json j = cli::backtest_json(r);
  const nlohmann::ordered_json expected = nlohmann::ordered_json::parse(R"([
    {"minute": 0, "observed_attempts": 10, "simulated_attempts": 10, "observed_ok": 8, "simulated_ok": 8,
     "observed_429": 2, "simulated_429": 2, "observed_529": 0, "simulated_529": 0},
    {"minute": 1, "observed_attempts": 2, "simulated_attempts": 0, "observed_ok": 1, "simulated_ok": 0,
     "observed_429": 0, "simulated_429": 0, "observed_529": 1, "simulated_529": 0}])");
  CHECK(j["per_minute"] == expected);

  // backtest.csv has the same records, its columns in the records' order.
  std::string csv = "";
  for (const auto& [key, value] : j["per_minute"][0].items()) csv += (csv.empty() ? "" : ",") + key;
  csv += "\n0,10,10,8,8,2,2,0,0\n1,2,0,1,0,0,0,1,0\n";
  CHECK(cli::backtest_csv(r) == csv);

  // The table: each cell observed / simulated, right-aligned to the widest number on its side
  // (attempts: 3 + " / " + 2 = 8 wide, to fit its heading), three spaces between cells.
  CHECK(cli::backtest_minutes_table(r) ==
        "per minute of send time, observed / simulated\n"
        "\n"
        "minute   attempts      ok    429s    529s\n"
        "     0    10 / 10   8 / 8   2 / 2   0 / 0\n"
        "     1     2 /  0   1 / 0   0 / 0   1 / 0\n");
}

TEST_CASE("ratesim backtest: exit 1 on given up alone, --per-minute, and a clear error for bad input", "[backtest][cli]") {
  const TempDir dir;
  const std::string log = dir.write("a.jsonl", kOneGaveUp);
  const std::string scenario = dir.write("bt.yaml", scenario_yaml());
  const auto failed = run_ratesim("backtest " + log + " " + scenario + " --per-minute");
  INFO(failed.out << failed.err);
  CHECK(failed.code == 1);
  CHECK_THAT(failed.out, Catch::Contains("     1     2 /  0   1 / 0   0 / 0   1 / 0\n\n                        observed"));
  CHECK_THAT(failed.out, Catch::Contains("FAIL: requests ok, given up and 429s are not all within 20% of the log"));
  const auto json = run_ratesim("backtest " + log + " " + scenario + " --json --tolerance 100%");
  CHECK(json.code == 0);
  CHECK(nlohmann::json::parse(json.out)["per_minute"].size() == 2);

  const auto bad = run_ratesim("backtest " + log + " " + scenario + " --per-minute=yes");
  CHECK(bad.code == 2);
  CHECK_THAT(bad.err, Catch::Contains("per-minute"));
  const auto no_model = run_ratesim("backtest " + log + " " + testing::source_path("scenarios/quickstart.yaml"));
  CHECK(no_model.code == 2);
  CHECK_THAT(no_model.err, Catch::Contains("a.jsonl:1:1: model 'm' is not in the scenario's provider"));
}
