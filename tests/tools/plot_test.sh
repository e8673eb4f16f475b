#!/usr/bin/env bash
# tools/plot.py turns a run folder (with its sensitivity.csv), a compare.csv, a sweep CSV, a
# search folder, a fit report and a backtest folder into PNG charts worth looking at, and each into a self-contained report.html that
# a real browser renders with the run's numbers in its tables.
# Usage: plot_test.sh RATESIM_BINARY SOURCE_DIR
set -euo pipefail
ratesim="$1"
src="$2"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

"$ratesim" run "$src/scenarios/quickstart.yaml" --sensitivity --jobs 2 --out "$dir/run" >/dev/null
"$src/tools/plot.py" "$dir/run" --html >/dev/null
"$ratesim" compare "$src/scenarios/backfill.yaml" --variant ramp --out "$dir/cmp" >/dev/null
"$src/tools/plot.py" "$dir/cmp/compare.csv" --html >/dev/null
"$ratesim" sweep "$src/scenarios/backfill.yaml" --grid workloads.backfill.client.0.retry.max_retries=0,2,6 \
  --grid provider.burst=10s,60s --replications 2 --out "$dir/sweep/sweep.csv" >/dev/null
"$src/tools/plot.py" "$dir/sweep/sweep.csv" --html >/dev/null
"$ratesim" search "$src/scenarios/backfill.yaml" --vary workloads.backfill.client.0.retry.max_retries=0..8 \
  --integer --minimize --require 'total.requests.gave_up <= 300' --out "$dir/search" >/dev/null
"$src/tools/plot.py" "$dir/search" --html >/dev/null
"$ratesim" run "$src/scenarios/quickstart.yaml" --attempts-log "$dir/attempts.jsonl" >/dev/null
"$ratesim" calibrate "$dir/attempts.jsonl" --report "$dir/fit" >/dev/null
"$src/tools/plot.py" "$dir/fit" --html >/dev/null
"$ratesim" backtest "$dir/attempts.jsonl" "$src/scenarios/quickstart.yaml" --out "$dir/backtest" >/dev/null
"$src/tools/plot.py" "$dir/backtest" --html >/dev/null

passed=0
failed=0
pass() { passed=$((passed + 1)); }
fail() { echo "FAILED: $1"; failed=$((failed + 1)); }

for png in run/traffic.png run/budgets.png run/latency.png run/cost.png run/concurrency.png \
           run/sensitivity.png cmp/compare.png sweep/sweep.png sweep/sweep-answer.png search/search.png \
           fit/latency-qq.png fit/sizes-qq.png backtest/backtest.png; do
  f="$dir/$png"
  if [ -f "$f" ] && [ "$(head -c 4 "$f" | od -An -c | tr -d ' ')" = "211PNG" ] && [ "$(stat -c %s "$f")" -gt 20000 ]; then
    pass
  else
    fail "not a chart: $png"
  fi
done

# Each report stands alone: every chart inline, nothing fetched from anywhere.
for report in run cmp sweep search fit backtest; do
  html="$dir/$report/report.html"
  if [ -f "$html" ] && ! grep -qE '(src|href)="(https?:)?//' "$html" && grep -q 'src="data:image/png;base64,' "$html"; then
    pass
  else
    fail "$report/report.html is missing or not self-contained"
  fi
done

# --html on a run folder without its summary.json is bad input: one line naming the folder and
# what was expected, exit status 2, no traceback and no report.
mkdir "$dir/nosummary"
cp "$dir/run/timeseries.csv" "$dir/run/limits.csv" "$dir/nosummary/"
status=0
"$src/tools/plot.py" "$dir/nosummary" --html >"$dir/nosummary.out" 2>"$dir/nosummary.err" || status=$?
expected="plot.py: --html: $dir/nosummary has no summary.json, which the report's tables come from (expected a folder written by ratesim run --out $dir/nosummary; without --html the charts need only its CSV files)"
[ "$status" -eq 2 ] && pass || fail "--html without summary.json exits $status, not 2"
[ "$(cat "$dir/nosummary.err")" = "$expected" ] && pass || fail "--html without summary.json says: $(cat "$dir/nosummary.err")"
[ ! -e "$dir/nosummary/report.html" ] && pass || fail "--html without summary.json wrote a report"

# A real browser renders the run's report: a screenshot, and the DOM carries the summary's numbers.
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  fail "no chromium to render report.html (./setup.sh installs it)"
else
  run_browser() { timeout 120 "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars "$@" 2>/dev/null; }
  run_browser --screenshot="$dir/shot.png" --window-size=1280,3000 "file://$dir/run/report.html" >/dev/null || true
  if [ -f "$dir/shot.png" ] && [ "$(stat -c %s "$dir/shot.png")" -gt 50000 ]; then pass; else fail "no screenshot of report.html"; fi
  run_browser --dump-dom "file://$dir/run/report.html" >"$dir/dom.html" || true
  for field in ok gave_up arrived; do
    value=$(python3 -c "import json,sys; print(f\"{json.load(open(sys.argv[1]))['total']['requests'][sys.argv[2]]:,}\")" \
      "$dir/run/summary.json" "$field")
    if grep -q "<td class=\"n\">$value</td>" "$dir/dom.html"; then pass; else fail "the rendered page lacks total $field = $value"; fi
  done
  grep -q "What the run rests on" "$dir/dom.html" && pass || fail "the rendered page lacks the assumptions"
  grep -q "itpm-bound" "$dir/dom.html" && pass || fail "the rendered page lacks the diagnosis"
  run_browser --dump-dom "file://$dir/search/report.html" >"$dir/search-dom.html" || true
  answer=$(python3 -c "import json,sys; print(f\"{json.load(open(sys.argv[1]))['answer']:g}\")" "$dir/search/search.json")
  grep -q "max_retries = $answer</strong>" "$dir/search-dom.html" && pass || fail "the search page lacks its answer $answer"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
