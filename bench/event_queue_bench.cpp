// The event queue's own cost: a steady heap of N pending events, each step popping the earliest
// and pushing a new one a random delay later (the "hold" model of event-set benchmarks).
// Run: build/bench/event_queue_bench
#include <benchmark/benchmark.h>

#include "sim/kernel/event_queue.hpp"
#include "sim/kernel/random_stream.hpp"

using namespace ratesim::kernel;

static void BM_EventQueueHold(benchmark::State& state) {
  const auto pending = static_cast<std::size_t>(state.range(0));
  EventQueue q;
  q.reserve(pending + 1);
  RandomStream rng(1, "bench");
  for (std::size_t i = 0; i < pending; ++i)
    q.push(Event{.time = kTimeZero + microseconds(static_cast<std::int64_t>(rng.next_u64() % 2'000'000))});
  for (auto _ : state) {
    const Event e = q.pop();
    q.push(Event{.time = e.time + microseconds(static_cast<std::int64_t>(rng.next_u64() % 2'000'000)),
                 .a = e.a + 1});
    benchmark::DoNotOptimize(e);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EventQueueHold)->Arg(16)->Arg(1024)->Arg(4096)->Arg(65536);

BENCHMARK_MAIN();
