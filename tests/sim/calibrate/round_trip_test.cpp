// Round trips: a scenario with known parameters writes its attempts log, calibrate reads it back
// and recovers them; a backtest of the log against the scenario that made it stays within 20%,
// and one against a scenario with half the ITPM does not.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/calibrate/attempts_reader.hpp"
#include "sim/calibrate/calibrate.hpp"
#include "sim/calibrate/calibrate_output.hpp"
#include "sim/cli/backtest.hpp"
#include "test_support.hpp"

using namespace ratesim;

namespace {

// Known truth: limits 1,000 rpm / 400,000 itpm / 80,000 otpm in 60-second buckets; ttft
// lognormal(800 ms, 0.5); 80 tokens/s; prompts lognormal(3,000, 0.5), outputs uniform
// [100, 600]; 2% 529s. About 2 requests/s of ~3,400 tokens fill the ITPM budget, with a burst of
// 300 at 10 minutes: hundreds of itpm 429s, retried by the Anthropic Python SDK's defaults.
std::string truth(const std::string& itpm) {
  return "name: truth\nseed: 3\nduration: 30m\nprovider:\n"
         "  burst: 60s\n  overload: {rate: 0.02}\n"
         "  models:\n    m1:\n      limits: {rpm: 1000, itpm: " + itpm + ", otpm: 80000}\n"
         "      price: {input: 1, output: 5}\n"
         "      latency: {ttft: {lognormal: {median: 800ms, sigma: 0.5}}, output_tps: 80}\n"
         "workloads:\n  - name: app\n    model: m1\n"
         "    traffic: [{for: 30m, rate: 2/s}, {at: 10m, burst: 300}]\n"
         "    input_tokens: {lognormal: {median: 3000, sigma: 0.5}}\n"
         "    output_tokens: {uniform: [100, 600]}\n    max_tokens: 1024\n"
         "    client: [{retry: {preset: anthropic-python}}]\n";
}

std::filesystem::path temp_dir(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / ("ratesim-round-trip-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

calibrate::AttemptsLog simulated_log(const std::string& yaml, const std::filesystem::path& path) {
  {
    std::ofstream out(path);
    cli::run_scenario(testing::scenario_from(yaml), cli::RunOptions{.attempts_log = &out});
  }
  return calibrate::read_attempts_logs({path.string()});
}

}  // namespace

TEST_CASE("calibrate recovers a scenario's limits, bucket, latency, sizes, 529s and client", "[calibrate]") {
  const auto dir = temp_dir("calibrate");
  const calibrate::AttemptsLog log = simulated_log(truth("400000"), dir / "log.jsonl");
  const calibrate::Calibration c = calibrate::calibrate(log);
  REQUIRE(c.models.size() == 1);
  const calibrate::ModelFit& m = c.models[0];
  INFO("attempts " << c.attempts << ", requests " << c.requests << ", successes " << m.latency.n);
  REQUIRE(m.latency.n > 3000);
  // Limits exactly; the bucket within a second.
  CHECK(m.limits[0].limit == 1000);
  CHECK(m.limits[1].limit == 400000);
  CHECK(m.limits[2].limit == 80000);
  CHECK(m.limits[3].limit == 0);
  CHECK(m.burst.seconds == Approx(60).margin(1));
  // Latency: the median ttft and the output speed within 4% (the median's 95% interval is about
  // ±1.7% for 3,000 successes at sigma 0.5); sigma within 5%.
  CHECK(m.latency.ttft.median == Approx(0.8).epsilon(0.04));
  CHECK(m.latency.ttft.sigma == Approx(0.5).epsilon(0.05));
  CHECK(m.latency.output_tps == Approx(80).epsilon(0.04));
  CHECK_FALSE(m.latency.prefill_tps);
  // 529s: 2% of attempts, inside the 95% interval.
  CHECK(m.overload.ci.low <= 0.02);
  CHECK(m.overload.ci.high >= 0.02);
  CHECK(m.overload.incidents.empty());
  // Sizes: the generating forms and parameters.
  REQUIRE(c.streams.size() == 1);
  const calibrate::StreamFit& s = c.streams[0];
  REQUIRE(s.input.kind == "lognormal");
  CHECK(s.input.params[0] == Approx(3000).epsilon(0.04));
  CHECK(s.input.params[1] == Approx(0.5).epsilon(0.05));
  INFO("output fit " << s.output.yaml() << " KS " << s.output.ks << " critical " << s.output.ks_critical);
  REQUIRE(s.output.kind == "uniform");
  CHECK(s.output.params[0] == Approx(100).margin(2));
  CHECK(s.output.params[1] == Approx(600).margin(2));
  CHECK(s.max_tokens.kind == "constant");
  // The client: the Anthropic Python SDK's defaults (2 retries, retry-after waited for, 0.5 s
  // backoff with its jitter after 529s).
  CHECK(s.retry.max_attempts == 3);
  CHECK(s.retry.obeyed == s.retry.after_retry_after);
  CHECK(s.retry.after_retry_after > 100);
  CHECK(s.retry.base == Approx(0.5).margin(0.05));
  CHECK(s.retry.jitter == "sdk");
  CHECK(s.retry.preset == "anthropic-python");
  // No acceleration model: no 429 came with room in every budget.
  CHECK(m.acceleration.with_room == 0);
  CHECK(m.acceleration.r429 > 100);

  // The fitted scenario is an ordinary scenario file: it loads, with the fitted numbers.
  calibrate::FittedOptions options{.trace_stem = "fitted"};
  std::ofstream(dir / "fitted.yaml") << calibrate::fitted_scenario(c, options);
  std::ofstream(dir / calibrate::trace_file_name(options, c, 0)) << calibrate::fitted_trace(c, 0);
  const scenario::Scenario fitted = scenario::load_scenario_file((dir / "fitted.yaml").string());
  REQUIRE(fitted.world.provider.models.size() == 1);
  CHECK(fitted.world.provider.models[0].latency.output_tps.mean() == Approx(80).epsilon(0.04));
  REQUIRE(fitted.world.workloads.size() == 1);
  CHECK(fitted.world.workloads[0].trace.records.size() == c.requests);
  // ... and so is the phases form.
  const calibrate::Calibration per_model = calibrate::calibrate(log, true);
  std::ofstream(dir / "phases.yaml") << calibrate::fitted_scenario(per_model, {.phases = true, .phase_seconds = 300});
  const scenario::Scenario phases = scenario::load_scenario_file((dir / "phases.yaml").string());
  REQUIRE(phases.world.workloads.size() == 1);
  CHECK(phases.world.workloads[0].kind == models::WorkloadConfig::Kind::kOpen);
}

TEST_CASE("with ttft_s in the log (streaming), the time to first token is read, not inferred", "[calibrate]") {
  const auto dir = temp_dir("ttft");
  calibrate::AttemptsLog log = simulated_log(truth("400000"), dir / "log.jsonl");
  // Give every success the ttft a streaming client would have seen: its latency less the output
  // at 80 tokens/s. The output speed is then exactly 80, and the ttft values are the truth's draws.
  std::vector<double> ttft;
  for (calibrate::LoggedAttempt& a : log.attempts)
    if (a.ok()) {
      a.ttft = a.latency - static_cast<double>(a.output_tokens) / 80.0;
      ttft.push_back(a.ttft);
    }
  const calibrate::Calibration c = calibrate::calibrate(log);
  const calibrate::LatencyFit& l = c.models[0].latency;
  CHECK(l.measured_ttft);
  CHECK(l.output_tps == Approx(80).epsilon(1e-6));
  const calibrate::LognormalFit direct = calibrate::fit_lognormal(ttft);
  CHECK(l.ttft.median == Approx(direct.median));
  CHECK(l.ttft.median == Approx(0.8).epsilon(0.04));
}

TEST_CASE("a backtest against the generating scenario passes, against half its ITPM it fails", "[calibrate]") {
  const auto dir = temp_dir("backtest");
  const calibrate::AttemptsLog log = simulated_log(truth("400000"), dir / "log.jsonl");
  const cli::BacktestResult same = cli::backtest(log, testing::scenario_from(truth("400000")), 0.2);
  INFO(cli::backtest_table(same));
  CHECK(same.pass);
  CHECK(same.observed.arrived == same.simulated.arrived);
  // The same seed replays the same arrivals and sizes: ok within 5%, 429s within 20%.
  CHECK(std::abs(*same.rows[0].relative) < 0.05);
  const cli::BacktestResult halved = cli::backtest(log, testing::scenario_from(truth("200000")), 0.2);
  INFO(cli::backtest_table(halved));
  CHECK_FALSE(halved.pass);
  const auto r429 = std::find_if(halved.rows.begin(), halved.rows.end(), [](const auto& r) { return r.metric == "attempts.r429.total"; });
  REQUIRE(r429 != halved.rows.end());
  CHECK(r429->beyond);
  CHECK(r429->relative > 0.2);
}
