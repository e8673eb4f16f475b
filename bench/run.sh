#!/usr/bin/env bash
# Times ratesim on the benchmark scenario and reports simulated requests, events, wall time,
# nanoseconds per request and peak memory. Build first (./setup.sh). Usage:
#   bench/run.sh [SCENARIO]          (default: bench/one_hour_1000rps.yaml)
set -euo pipefail
cd "$(dirname "$0")/.."
scenario="${1:-bench/one_hour_1000rps.yaml}"
bin=build/ratesim
[ -x "$bin" ] || { echo "build ratesim first: ./setup.sh" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs GNU time: apt-get install time" >&2; exit 2; }

log=$(mktemp)
trap 'rm -f "$log" "$log.json"' EXIT
/usr/bin/time -v "$bin" run "$scenario" --json >"$log.json" 2>"$log"

python3 - "$log" "$log.json" <<'PY'
import json, re, sys
time_log = open(sys.argv[1]).read()
summary = json.load(open(sys.argv[2]))
def field(name):
    return re.search(re.escape(name) + r":\s*(.+)", time_log).group(1).strip()
wall = field("Elapsed (wall clock) time (h:mm:ss or m:ss)")
parts = [float(p) for p in wall.split(":")]
seconds = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
rss_mb = int(field("Maximum resident set size (kbytes)")) / 1024
arrived = summary["total"]["requests"]["arrived"]
attempts = summary["total"]["attempts"]["total"]
print(f"scenario        {summary['scenario']}")
print(f"requests        {arrived:,}  (attempts {attempts:,}, 429s {summary['total']['attempts']['r429']['total']:,})")
print(f"wall time       {seconds:.2f} s   user {float(field('User time (seconds)')):.2f} s")
print(f"per request     {seconds / arrived * 1e9:.0f} ns")
print(f"peak memory     {rss_mb:.1f} MB (max resident set)")
PY
