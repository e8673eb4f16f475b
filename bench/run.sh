#!/usr/bin/env bash
# Times ratesim on the benchmark scenario beside a bare event loop (bench/bare_loop.cpp: the same
# traffic, two heap events per request, no model) and reports ratesim's time per request as a
# ratio to the loop's: ratios measured in the same run are stable on a shared machine, absolute
# times are not. Runs alternate, ratesim then the loop, PAIRS times (default 5); the figures are
# medians. Build first (./setup.sh). Usage:
#   bench/run.sh [SCENARIO]                 (default: bench/one_hour_1000rps.yaml)
#   PAIRS=9 bench/run.sh                    more pairs
#   CALLGRIND=1 bench/run.sh                also instructions per request under callgrind, on the
#                                           first 5 minutes (needs valgrind)
set -euo pipefail
cd "$(dirname "$0")/.."
scenario="${1:-bench/one_hour_1000rps.yaml}"
bin=build/ratesim
loop=build/bench/bare_loop
pairs="${PAIRS:-5}"
[ -x "$bin" ] && [ -x "$loop" ] || { echo "build ratesim first: ./setup.sh" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs GNU time: apt-get install time" >&2; exit 2; }

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$bin" run "$scenario" --json >"$dir/summary.json"
for i in $(seq "$pairs"); do
  /usr/bin/time -f "%e %M" -o "$dir/ratesim.$i" "$bin" run "$scenario" --json >/dev/null
  /usr/bin/time -f "%e %M" -o "$dir/loop.$i" "$loop" >"$dir/loop.out"
done
if [ "${CALLGRIND:-0}" = 1 ]; then
  command -v valgrind >/dev/null || { echo "CALLGRIND=1 needs valgrind" >&2; exit 2; }
  valgrind --tool=callgrind --callgrind-out-file="$dir/cg.ratesim" "$bin" run "$scenario" --set duration=5m --json \
    >"$dir/cg-summary.json" 2>"$dir/cg.ratesim.log"
  valgrind --tool=callgrind --callgrind-out-file="$dir/cg.loop" "$loop" 300 >"$dir/cg-loop.out" 2>"$dir/cg.loop.log"
fi

python3 - "$dir" "$pairs" "${CALLGRIND:-0}" <<'PY'
import json, re, statistics, sys
d, pairs, cg = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1"
summary = json.load(open(f"{d}/summary.json"))
arrived = summary["total"]["requests"]["arrived"]
loop_requests = int(re.search(r"requests (\d+)", open(f"{d}/loop.out").read()).group(1))
def timed(name):
    return [tuple(float(x) for x in open(f"{d}/{name}.{i}").read().split()) for i in range(1, pairs + 1)]
ours, loop = timed("ratesim"), timed("loop")
ns_ours = [w / arrived * 1e9 for w, _ in ours]
ns_loop = [w / loop_requests * 1e9 for w, _ in loop]
ratios = [a / b for a, b in zip(ns_ours, ns_loop)]
med = statistics.median
print(f"scenario        {summary['scenario']}")
print(f"requests        {arrived:,}  (attempts {summary['total']['attempts']['total']:,}, 429s {summary['total']['attempts']['r429']['total']:,})")
print(f"ratesim         {med(w for w, _ in ours):.2f} s wall, {med(ns_ours):.0f} ns per request, "
      f"{max(m for _, m in ours) / 1024:.1f} MB peak (median of {pairs})")
print(f"bare loop       {med(w for w, _ in loop):.2f} s wall, {med(ns_loop):.0f} ns per request "
      f"({loop_requests:,} requests, 2 heap events each)")
print(f"ratio           {med(ratios):.2f}  (per request, ratesim / bare loop; median of {pairs} alternating pairs, "
      f"{min(ratios):.2f} to {max(ratios):.2f}; goal: at most 2.0)")
if cg:
    def instructions(name):
        return int(re.search(r"Collected : (\d+)", open(f"{d}/cg.{name}.log").read()).group(1))
    cg_arrived = json.load(open(f"{d}/cg-summary.json"))["total"]["requests"]["arrived"]
    cg_loop = int(re.search(r"requests (\d+)", open(f"{d}/cg-loop.out").read()).group(1))
    a, b = instructions("ratesim") / cg_arrived, instructions("loop") / cg_loop
    print(f"instructions    {a:,.0f} per request against the loop's {b:,.0f}: {a / b:.2f} (callgrind, first 5 minutes)")
PY
