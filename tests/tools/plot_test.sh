#!/usr/bin/env bash
# tools/plot.py turns a run folder (with its sensitivity.csv), a compare.csv and a sweep CSV into PNG charts that are worth looking at:
# every expected chart exists, is a PNG, and is larger than a blank canvas.
# Usage: plot_test.sh RATESIM_BINARY SOURCE_DIR
set -euo pipefail
ratesim="$1"
src="$2"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

"$ratesim" run "$src/scenarios/quickstart.yaml" --sensitivity --jobs 2 --out "$dir/run" >/dev/null
"$src/tools/plot.py" "$dir/run" >/dev/null
"$ratesim" compare "$src/scenarios/backfill.yaml" --variant ramp --out "$dir/cmp" >/dev/null
"$src/tools/plot.py" "$dir/cmp/compare.csv" >/dev/null
"$ratesim" sweep "$src/scenarios/backfill.yaml" --grid workloads.backfill.client.0.retry.max_retries=0,2,6 \
  --replications 2 --out "$dir/sweep.csv" >/dev/null
"$src/tools/plot.py" "$dir/sweep.csv" >/dev/null

passed=0
failed=0
for png in run/traffic.png run/budgets.png run/latency.png run/cost.png run/concurrency.png \
           run/sensitivity.png cmp/compare.png sweep.png; do
  f="$dir/$png"
  if [ -f "$f" ] && [ "$(head -c 4 "$f" | od -An -c | tr -d ' ')" = "211PNG" ] && [ "$(stat -c %s "$f")" -gt 20000 ]; then
    passed=$((passed + 1))
  else
    echo "not a chart: $png"
    failed=$((failed + 1))
  fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
