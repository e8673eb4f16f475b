#!/usr/bin/env bash
# Times `ratesim calibrate` on a log of about a million lines (the goal: under 10 s) and reports
# lines per second and peak memory. The log is made first by `ratesim run --attempts-log` from
# bench/calibrate_log.yaml (about 0.9 GB; removed afterwards). Build first (./setup.sh). Usage:
#   bench/calibrate.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bin=build/ratesim
[ -x "$bin" ] || { echo "build ratesim first: ./setup.sh" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs GNU time: apt-get install time" >&2; exit 2; }

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$bin" run bench/calibrate_log.yaml --attempts-log "$dir/log.jsonl" >/dev/null
/usr/bin/time -v "$bin" calibrate "$dir/log.jsonl" >"$dir/out" 2>"$dir/time"

python3 - "$dir/time" "$dir/log.jsonl" <<'PY'
import os, re, sys
time_log = open(sys.argv[1]).read()
def field(name):
    return re.search(re.escape(name) + r":\s*(.+)", time_log).group(1).strip()
wall = field("Elapsed (wall clock) time (h:mm:ss or m:ss)")
seconds = sum(float(p) * 60 ** i for i, p in enumerate(reversed(wall.split(":"))))
lines = sum(1 for _ in open(sys.argv[2], "rb"))
size_mb = os.path.getsize(sys.argv[2]) / 1e6
print(f"log             {lines:,} lines, {size_mb:,.0f} MB")
print(f"calibrate       {seconds:.2f} s wall, user {float(field('User time (seconds)')):.2f} s  ({lines / seconds:,.0f} lines/s)")
print(f"peak memory     {int(field('Maximum resident set size (kbytes)')) / 1024:.0f} MB (max resident set)")
print(f"goal            1,000,000 lines in under 10 s: {'met' if lines >= 1e6 and seconds * 1e6 / lines < 10 else 'NOT met'}")
PY
