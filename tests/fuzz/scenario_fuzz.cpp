// A mutation fuzzer for the scenario loader and the --set parser: takes scenario files as seeds,
// mutates them (bytes, lines, numbers pushed to extremes, YAML aliases) and random --set
// assignments, and loads each mutant; small mutants are also run. Every outcome must be a
// loaded scenario or bad input (InputError, TooManyPending): any other exception is a bug, and
// a crash or undefined behaviour is caught by the sanitizer build that runs it in CI.
//
//   scenario_fuzz [--seconds N] [--runs N] [--seed S] FILE_OR_DIR...
//
// Deterministic for a seed and a number of runs; --seconds bounds the time instead.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <atomic>
#include <csignal>
#include <thread>

#include "models/request_slab.hpp"
#include "sim/cli/interrupt.hpp"
#include "models/traffic/arrival_process.hpp"
#include "sim/cli/runner.hpp"
#include "sim/kernel/random_stream.hpp"
#include "sim/scenario/input_error.hpp"
#include "sim/scenario/scenario_loader.hpp"

namespace fs = std::filesystem;
using namespace ratesim;

namespace {

struct Seed {
  std::string label;
  std::string text;
};

std::vector<Seed> read_seeds(const std::vector<std::string>& paths) {
  std::vector<Seed> out;
  for (const auto& p : paths) {
    std::vector<fs::path> files;
    if (fs::is_directory(p)) {
      for (const auto& e : fs::directory_iterator(p))
        if (e.path().extension() == ".yaml") files.push_back(e.path());
    } else {
      files.emplace_back(p);
    }
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      std::ifstream in(f);
      std::ostringstream s;
      s << in.rdbuf();
      out.push_back({f.string(), s.str()});
    }
  }
  return out;
}

const char* const kExtremes[] = {"0", "-1", "1e308", "-1e308", "1e-308", "nan", ".inf", "99999999999999999999",
                                 "4294967296", "2147483648", "0.0000001", "1e10", "18446744073709551616", "",
                                 "~", "[]", "{}", "&a [*a]", "*nope", "1us", "365d", "9999d", "1e-300/s", "x"};
const char* const kPaths[] = {"duration", "seed", "provider.burst", "provider.network_delay",
                              "provider.acceleration", "provider.acceleration.floor", "provider.overload.rate",
                              "workloads.0.input_tokens", "workloads.0.max_tokens", "workloads.0.deadline",
                              "workloads.0.client", "workloads.0.client.0", "workloads.0.traffic.0.rate",
                              "workloads.0.backlog.count", "provider.spend_limit.monthly_usd", "name",
                              "workloads.0", "provider", "variants", "expect"};

std::string mutate(std::string text, kernel::RandomStream& rng) {
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng.uniform01() * static_cast<double>(n)) % std::max<std::size_t>(n, 1); };
  const int edits = 1 + static_cast<int>(pick(4));
  for (int e = 0; e < edits && !text.empty(); ++e) {
    switch (pick(7)) {
      case 0:  // flip a byte
        text[pick(text.size())] = static_cast<char>(pick(128));
        break;
      case 1: {  // delete a span
        const std::size_t at = pick(text.size());
        text.erase(at, pick(40));
        break;
      }
      case 2: {  // duplicate a line
        const std::size_t at = text.rfind('\n', pick(text.size()));
        const std::size_t start = at == std::string::npos ? 0 : at + 1;
        const std::size_t end = text.find('\n', start);
        text.insert(start, text.substr(start, end == std::string::npos ? std::string::npos : end - start + 1));
        break;
      }
      case 3: {  // a number pushed to an extreme
        const std::size_t at = text.find_first_of("0123456789", pick(text.size()));
        if (at == std::string::npos) break;
        const std::size_t end = text.find_first_not_of("0123456789.", at);
        text.replace(at, (end == std::string::npos ? text.size() : end) - at,
                     kExtremes[pick(std::size(kExtremes))]);
        break;
      }
      case 4:  // an anchor and an alias somewhere
        text.insert(pick(text.size()), pick(2) ? " &z " : " *z ");
        break;
      case 5: {  // swap two lines' indentation
        const std::size_t at = text.find("\n  ", pick(text.size()));
        if (at != std::string::npos) text.erase(at + 1, 2);
        break;
      }
      default:  // truncate
        text.resize(pick(text.size()));
        break;
    }
  }
  return text;
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = 0;
  std::uint64_t runs = 2000, seed = 1;
  std::vector<std::string> inputs;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--seconds" && i + 1 < argc) seconds = std::stod(argv[++i]);
    else if (a == "--runs" && i + 1 < argc) runs = std::stoull(argv[++i]);
    else if (a == "--seed" && i + 1 < argc) seed = std::stoull(argv[++i]);
    else inputs.push_back(a);
  }
  const std::vector<Seed> seeds = read_seeds(inputs);
  if (seeds.empty()) {
    std::cerr << "scenario_fuzz: no seed files\n";
    return 2;
  }
  kernel::RandomStream rng(seed, "fuzz");
  const auto start = std::chrono::steady_clock::now();
  // A watchdog: a mutant that simulates for more than ten seconds is a hang, stopped through the
  // same flag as SIGINT and reported with the mutant.
  using Clock = std::chrono::steady_clock;
  std::atomic<std::int64_t> run_started{0};
  std::atomic<bool> done{false};
  std::thread watchdog([&] {
    while (!done) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      const std::int64_t t0 = run_started;
      if (t0 != 0 && Clock::now().time_since_epoch().count() - t0 > std::chrono::nanoseconds(std::chrono::seconds(10)).count())
        cli::set_stop_for_testing(SIGALRM);
    }
  });
  std::uint64_t loaded = 0, refused = 0, simulated = 0, n = 0;
  for (;; ++n) {
    if (seconds > 0 ? std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() > seconds
                    : n >= runs)
      break;
    const Seed& s = seeds[n % seeds.size()];
    const std::string text = mutate(s.text, rng);
    std::vector<std::string> sets;
    if (rng.uniform01() < 0.3)
      sets.push_back(std::string(kPaths[n % std::size(kPaths)]) + "=" +
                     kExtremes[static_cast<std::size_t>(rng.uniform01() * std::size(kExtremes)) % std::size(kExtremes)]);
    try {
      // Relative trace paths resolve from the seed's folder.
      scenario::Scenario sc = scenario::load_scenario_text(text, s.label, sets);
      ++loaded;
      double expected = 0;
      for (const auto& w : sc.world.workloads)
        expected += w.kind == models::WorkloadConfig::Kind::kOpen ? models::traffic::expected_arrivals(w.traffic, sc.world.duration)
                    : w.kind == models::WorkloadConfig::Kind::kBacklog ? static_cast<double>(w.backlog.count)
                                                                       : 1e9;  // closed loops and traces: not run
      if (expected < 20'000) {
        run_started = Clock::now().time_since_epoch().count();
        cli::run_scenario(sc, cli::RunOptions{.counterfactual = false});
        run_started = 0;
        ++simulated;
      }
    } catch (const scenario::InputError&) {
      ++refused;
    } catch (const models::TooManyPending&) {
      ++refused;
    } catch (const cli::Interrupted&) {
      std::cerr << "scenario_fuzz: run " << n << " (seed " << seed << ", from " << s.label
                << ") simulated for more than 10 s: a hang?\n--- mutant ---\n" << text << "\n";
      done = true;
      watchdog.join();
      return 1;
    } catch (const std::exception& e) {
      done = true;
      watchdog.join();
      std::cerr << "scenario_fuzz: run " << n << " (seed " << seed << ", from " << s.label << ") threw "
                << typeid(e).name() << ": " << e.what() << "\n--- mutant ---\n" << text << "\n--- sets ---\n";
      for (const auto& a : sets) std::cerr << a << "\n";
      return 1;
    }
  }
  done = true;
  watchdog.join();
  std::cout << "scenario_fuzz: " << n << " mutants of " << seeds.size() << " seeds: " << loaded << " loaded ("
            << simulated << " simulated), " << refused << " refused as bad input, no crash\n";
  return 0;
}
