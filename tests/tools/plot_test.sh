#!/usr/bin/env bash
# tools/plot.py turns a run folder (with its sensitivity.csv), a compare.csv, a sweep CSV, a
# search folder, a fit report and a backtest folder into PNG charts worth looking at, and each into a self-contained report.html that
# a real browser renders with the run's numbers in its tables; what each chart and table must show
# (budget use per minute with its band, a backlog's service time, a sweep's points that complete
# less work, a search's intervals, a table that fits the page) is checked on the data they draw.
# Usage: plot_test.sh RATESIM_BINARY SOURCE_DIR
set -euo pipefail
ratesim="$1"
src="$2"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

"$ratesim" run "$src/scenarios/quickstart.yaml" --sensitivity --jobs 2 --out "$dir/run" >/dev/null
"$src/tools/plot.py" "$dir/run" --html >/dev/null
# A backlog through 8 workers, with requests.csv: the latency chart gets its service-time panel.
"$ratesim" run "$src/scenarios/backfill.yaml" --variant workers-8 --requests --out "$dir/backlog" >/dev/null
"$src/tools/plot.py" "$dir/backlog" --html >/dev/null
"$ratesim" compare "$src/scenarios/backfill.yaml" --variant ramp --out "$dir/cmp" >/dev/null
"$src/tools/plot.py" "$dir/cmp/compare.csv" --html >/dev/null
"$ratesim" sweep "$src/scenarios/backfill.yaml" --grid workloads.backfill.client.0.retry.max_retries=0,2,6,8 \
  --grid provider.burst=10s,60s --replications 2 --out "$dir/sweep/sweep.csv" >/dev/null
"$src/tools/plot.py" "$dir/sweep/sweep.csv" --html >/dev/null
"$ratesim" search "$src/scenarios/backfill.yaml" --vary workloads.backfill.client.0.retry.max_retries=0..8 \
  --integer --minimize --require 'total.requests.gave_up <= 300' --replications 3 --out "$dir/search" >/dev/null
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

for png in backlog/latency.png backlog/budgets.png run/traffic.png run/budgets.png run/latency.png run/cost.png run/concurrency.png \
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

# The charts' data, checked without pixels (Debian's python3 has matplotlib; plot.py uses it too).
py=python3
[ -x /usr/bin/python3 ] && py=/usr/bin/python3
check_py() { # NAME, then a Python program on stdin that raises (assert) when the check fails
  if PYTHONPATH="$src/tools" "$py" - "$dir" >"$dir/check.out" 2>&1; then pass; else fail "$1: $(tail -n 3 "$dir/check.out")"; fi
}

check_py "budget use is per minute, with the 10 s intervals as its band" <<'EOF'
from ratesim_plot.run_charts import per_minute
# Six 10 s intervals at 10%..60% of the limit make one minute: mean (10+..+60)/6 = 35%, band 10%..60%;
# the seventh interval is the next minute alone.
got = per_minute([0, 10, 20, 30, 40, 50, 60], [10, 20, 30, 40, 50, 60, 90], 10)
assert got == [(0, 35.0, 10, 60), (60, 90.0, 90, 90)], got
# Intervals of a minute or more are drawn as they are.
assert per_minute([0, 60], [5, 7], 60) == [(0, 5, 5, 5), (60, 7, 7, 7)]
EOF

check_py "the budget chart's legend lies outside its panel" <<'EOF'
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
from ratesim_plot.run_charts import legend_outside
fig, ax = plt.subplots(figsize=(12, 3.3))
ax.plot([0, 1], [0, 300], label="itpm (limit 2,000,000/min)")
legend = legend_outside(ax)
fig.tight_layout()
fig.canvas.draw()
box, panel = legend.get_window_extent(), ax.get_window_extent()
assert box.x0 >= panel.x1, (box, panel)
EOF

check_py "service time is first attempt to success, per interval, from requests.csv" <<'EOF'
import os, sys
from ratesim_plot.run_charts import service_times
path = os.path.join(sys.argv[1], "hand.csv")
with open(path, "w") as f:
    f.write("id,workload,model,arrival_s,first_send_s,done_s,outcome,attempts\n"
            "0,b,m,0,100,101.5,ok,1\n"       # 1.5 s of service after 100 s waiting for a turn
            "1,b,m,0,102,105,ok,2\n"         # 3 s
            "2,b,m,0,103,104,gave_up,3\n"    # not a success
            "3,b,m,0,111,113,ok,1\n")        # the next 10 s interval
# Nearest rank of two values: p50 the first, p99 the second.
got = service_times(path, 10.0)
assert got == {"b": {100.0: (1.5, 3.0), 110.0: (2.0, 2.0)}}, got
EOF

check_py "a backlog's latency chart puts service time beside arrival to success" <<'EOF'
import os, sys
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
from ratesim_plot.run_charts import TimeSeries, latency_figure
for folder, panels in (("backlog", 2), ("run", 1)):
    path = os.path.join(sys.argv[1], folder)
    fig = latency_figure(plt, TimeSeries(os.path.join(path, "timeseries.csv")), path)
    labels = [ax.get_ylabel() for ax in fig.axes]
    assert len(fig.axes) == panels, (folder, labels)
    assert labels[0].startswith("arrival to success"), labels
    if panels == 2:
        assert labels[1].startswith("first attempt to success"), labels
        assert fig.axes[1].get_lines(), "no service-time line"
    else:
        assert "needs requests.csv" in fig.axes[0].get_title(), fig.axes[0].get_title()
EOF

check_py "sweep points that complete less work are found by compare's rule" <<'EOF'
from ratesim_plot.sweep_charts import less_work
rows = lambda *pts: [{"point": str(i), "total.requests.ok": str(ok), "total.requests.unfinished": str(u)}
                     for i, (ok, u) in enumerate(pts)]
# The best completes 1,000: 0.5% less is 995. 996 passes; 990 is 10 fewer (1%); a point with all
# 1,000 done but 10 more unfinished than the fewest (0) is beyond 0.5% of 1,000 = 5.
got = less_work(rows((1000, 0), (996, 0), (990, 0), (1000, 10)))
assert got == {"2": "completes 10 fewer requests (1%)", "3": "leaves 10 more requests unfinished"}, got
EOF

check_py "the sweep's report marks those points and no table is wider than six points" <<'EOF'
import os, re, sys
from ratesim_plot.sweep_charts import Sweep
sweep = Sweep(os.path.join(sys.argv[1], "sweep", "sweep.csv"))
page = open(os.path.join(sys.argv[1], "sweep", "report.html")).read()
assert sweep.less_work, "the test's sweep should have points that complete less work"
assert len(sweep.means) > 6, "the test's sweep should need more than one table"
for head in re.findall(r"<thead><tr>(.*?)</tr></thead>", page):
    assert head.count("<th>") <= 1 + 6, head
shown = re.findall(r"<th>point (\d+)( \(!\))?</th>", page)
assert sorted(int(p) for p, _ in shown) == sorted(int(r["point"]) for r in sweep.means), shown
assert {p for p, mark in shown if mark} == set(sweep.less_work), shown
for point, why in sweep.less_work.items():
    assert f"point {point} (" in page and why in page, (point, why)
for metric in sweep.metrics:  # every metric that is not zero everywhere has its row
    if any(float(r[metric] or "nan") != 0 for r in sweep.means):
        assert f"<td>{metric.replace('total.', '')}</td>" in page, metric
EOF

check_py "the search report gives each value's interval against the requirement" <<'EOF'
import json, os, sys
from ratesim_plot.html_report import fmt
from ratesim_plot.search_charts import interval_whiskers
s = json.load(open(os.path.join(sys.argv[1], "search", "search.json")))
page = open(os.path.join(sys.argv[1], "search", "report.html")).read()
assert "requests.gave_up (required &lt;= 300)" in page
for e in s["evaluations"]:
    mean, (low, high) = e["metrics"]["total.requests.gave_up"], e["intervals"]["total.requests.gave_up"]
    assert f"{fmt(mean)} [{fmt(low)}, {fmt(high)}]" in page, e
# The chart's whiskers reach the interval's ends.
evals = sorted(s["evaluations"], key=lambda e: e["value"])
y = [e["metrics"]["total.requests.gave_up"] for e in evals]
below, above = interval_whiskers(evals, "total.requests.gave_up", 1.0, y)
for e, m, b, a in zip(evals, y, below, above):
    low, high = e["intervals"]["total.requests.gave_up"]
    assert abs(m - b - low) < 1e-6 and abs(m + a - high) < 1e-6, (e, b, a)
EOF

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
