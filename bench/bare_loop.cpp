// The reference for bench/run.sh: the least a discrete-event simulation of the benchmark's
// traffic can do. Poisson arrivals at the benchmark scenario's rates (1,000/s, 1,100/s, 900/s
// for 20 minutes each); each arrival schedules its completion about a second later; events are
// 32 bytes in a binary heap ordered by (time, sequence), as ratesim's are. Two events per
// request and no model at all: ratesim's time per request over this one's says what the model
// costs on top of the event queue.
//
//   build/bench/bare_loop [SECONDS]   (default 3600) prints requests, events and wall seconds
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

namespace {

struct Event {
  std::int64_t time;  // microseconds
  std::uint64_t seq;
  std::uint32_t kind;
  std::uint32_t a;
  std::uint64_t b;
};
static_assert(sizeof(Event) == 32);

bool later(const Event& x, const Event& y) { return x.time != y.time ? x.time > y.time : x.seq > y.seq; }

}  // namespace

int main(int argc, char** argv) {
  const double horizon = argc > 1 ? std::atof(argv[1]) : 3600;
  const auto start = std::chrono::steady_clock::now();
  std::mt19937_64 rng(1);
  std::exponential_distribution<double> gap(1.0);
  std::lognormal_distribution<double> service(std::log(1.0), 0.4);
  std::vector<Event> heap;
  std::uint64_t seq = 0, requests = 0, events = 0, checksum = 0;
  const auto push = [&](std::int64_t t, std::uint32_t kind, std::uint32_t a) {
    heap.push_back(Event{t, seq++, kind, a, 0});
    std::push_heap(heap.begin(), heap.end(), later);
  };
  const auto rate_at = [](double t) { return t < 1200 ? 1000.0 : t < 2400 ? 1100.0 : 900.0; };
  push(static_cast<std::int64_t>(gap(rng) / rate_at(0) * 1e6), 0, 0);
  while (!heap.empty()) {
    std::pop_heap(heap.begin(), heap.end(), later);
    const Event e = heap.back();
    heap.pop_back();
    ++events;
    const double now = static_cast<double>(e.time) / 1e6;
    if (e.kind == 0) {  // an arrival: the next one, and this request's completion
      ++requests;
      const double next = now + gap(rng) / rate_at(now);
      if (next <= horizon) push(static_cast<std::int64_t>(next * 1e6), 0, e.a + 1);
      push(e.time + static_cast<std::int64_t>(service(rng) * 1e6), 1, e.a);
    } else {
      checksum += e.a;
    }
  }
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("requests %llu events %llu wall_s %.6f checksum %llu\n", static_cast<unsigned long long>(requests),
              static_cast<unsigned long long>(events), wall, static_cast<unsigned long long>(checksum));
  return 0;
}
