"""report.html: one self-contained page (tables, diagnosis, assumptions, every chart embedded as
data: URIs; nothing is loaded from the network) for a run folder, a compare, a sweep, a search, a
fit report or a backtest."""
import base64
import html
import json
import math
import os

from .common import number, read_csv

STYLE = """
body { font-family: -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif; margin: 2em auto;
       max-width: 1200px; color: #222; line-height: 1.4; padding: 0 1em; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; } h2 { font-size: 1.2em; margin-top: 1.8em;
     border-bottom: 1px solid #ddd; padding-bottom: 0.2em; }
.meta { color: #666; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; margin: 0.6em 0; font-size: 0.9em; }
th, td { border: 1px solid #ddd; padding: 0.25em 0.6em; }
th { background: #f4f4f4; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.assumed td { background: #fff8e1; }
tr.gridpath td { background: #f4f8fc; }
.warning { color: #8a4b00; }
figure { margin: 1em 0; } figure img { max-width: 100%; border: 1px solid #eee; }
figcaption { color: #555; font-size: 0.9em; }
"""


def esc(x):
    return html.escape(str(x))


def fmt(v):
    """A number as the tables show it."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, int) or (isinstance(v, float) and v == int(v) and abs(v) < 1e15):
        return f"{int(v):,}"
    if abs(v) >= 100:
        return f"{v:,.0f}"
    if abs(v) >= 1:
        return f"{v:,.2f}"
    return f"{v:.3g}"


def table(head, rows, numeric=None, row_class=None):
    """An HTML table; `numeric` the indices of right-aligned columns (default: all but the first)."""
    numeric = set(range(1, len(head))) if numeric is None else set(numeric)
    out = ['<div class="scroll"><table><thead><tr>' + "".join(f"<th>{esc(h)}</th>" for h in head) +
           "</tr></thead><tbody>"]
    for i, r in enumerate(rows):
        cls = f' class="{row_class(i)}"' if row_class and row_class(i) else ""
        cells = "".join(f'<td class="n">{esc(c)}</td>' if j in numeric else f"<td>{esc(c)}</td>"
                        for j, c in enumerate(r))
        out.append(f"<tr{cls}>{cells}</tr>")
    out.append("</tbody></table></div>")
    return "\n".join(out)


def figures(charts):
    out = []
    for path, caption in charts:
        with open(path, "rb") as f:
            data = base64.b64encode(f.read()).decode("ascii")
        out.append(f'<figure><img alt="{esc(caption)}" src="data:image/png;base64,{data}">'
                   f"<figcaption>{esc(caption)}</figcaption></figure>")
    return "\n".join(out)


def page(title, meta, body):
    return (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{esc(title)}</title>"
            f"<style>{STYLE}</style></head><body>\n<h1>{esc(title)}</h1><p class=\"meta\">{esc(meta)}</p>\n"
            f"{body}\n</body></html>\n")


def get(d, dotted):
    for k in dotted.split("."):
        if not isinstance(d, dict) or k not in d:
            return None
        d = d[k]
    return d


def summary_rows(s):
    """(label, dotted path) for the summary table. The 429 rows follow summary.json's r429 object,
    whose keys are ratesim's table of causes (then a workspace's budgets): none is spelled here.
    A workspace's row names the workspace when the workloads it refused all run in one, as the
    command's table does."""
    r429 = s["total"].get("attempts", {}).get("r429", {})
    causes = []
    for cause, value in r429.items():
        if cause == "total":
            continue
        if isinstance(value, dict):
            for b in value:
                spaces = {w.get("workspace", "") for w in s.get("workloads", {}).values()
                          if get(w, f"attempts.r429.{cause}.{b}")}
                name = f"workspace {next(iter(spaces))}" if len(spaces) == 1 else "workspace"
                causes.append((f"429 {b} ({name})", f"attempts.r429.{cause}.{b}"))
        else:
            label = "429 acceleration (assumed model)" if cause == "acceleration" else f"429 {cause}"
            causes.append((label, f"attempts.r429.{cause}"))
    return [
        ("requests arrived", "requests.arrived"), ("ok", "requests.ok"), ("gave up", "requests.gave_up"),
        ("timed out", "requests.timed_out"), ("dropped", "requests.dropped"), ("expired", "requests.expired"),
        ("unfinished", "requests.unfinished"), ("attempts", "attempts.total"), ("429 total", "attempts.r429.total"),
    ] + causes + [
        ("529", "attempts.r529"), ("attempt timeouts", "attempts.timeout"),
        ("latency p50, s", "latency_s.p50"), ("latency p99, s", "latency_s.p99"), ("latency max, s", "latency_s.max"),
        ("makespan, s", "makespan_s"), ("cost, USD", "cost_usd.total"),
        ("cost per ok request, USD", "cost_usd.per_ok_request"),
    ]


def run_body(folder, charts):
    with open(os.path.join(folder, "summary.json")) as f:
        s = json.load(f)
    columns = list(s["workloads"].items())
    if len(columns) != 1:
        columns.append(("total", s["total"]))
    rows = []
    rows_of_summary = summary_rows(s)
    for label, path in rows_of_summary:
        values = [get(w, path) for _, w in columns]
        if all(v in (0, None) for v in values) and path not in ("requests.ok", "requests.arrived", "attempts.total"):
            continue
        rows.append([label] + [fmt(v) for v in values])
    body = ["<h2>Summary</h2>", table([""] + [n for n, _ in columns], rows)]
    groups = [(f"Limit group {name}", g) for name, g in s.get("groups", {}).items()]
    for workspace, w in s.get("workspaces", {}).items():
        groups += [(f"Limit group {name}, workspace {workspace}'s caps", g) for name, g in w.get("groups", {}).items()]
    for title, g in groups:
        budgets = g["budgets"]
        grows = [[b, fmt(v["limit"]), f"{100 * v['mean_util']:.0f}%", f"{100 * v['peak_util']:.0f}%", fmt(v["r429"]),
                  fmt(v["first_429_s"])] for b, v in budgets.items()]
        body.append(f"<h2>{esc(title)}</h2>")
        body.append(table(["budget", "limit per minute", "mean use", "peak use", "429s", "first 429, s"], grows))
        # The same explanations as the text table: a use above 100% is the bucket's stored allowance.
        full = max(budgets.items(), key=lambda kv: kv[1].get("start_share", 0), default=None)
        if full and full[1].get("start_share", 0) >= 0.0005:
            body.append(f"<p>Mean use above 100%: what the {esc(full[0])} bucket held when measuring began (full at a "
                        f"run's start) served {100 * full[1]['start_share']:.1f}% of its use, beyond the refill at the "
                        "limit; a longer duration or a <code>warmup:</code> measures the rate it sustains.</p>")
        peaks = [b for b, v in budgets.items() if v["peak_util"] > 1]
        if peaks:
            body.append(f"<p>Peak use above 100% ({esc(', '.join(peaks))}): the busiest interval drew on what the "
                        "bucket held, which refills at the limit per minute; use above the rate is not by itself "
                        "a 429.</p>")
        window = s.get("measured_s")
        if window and budgets and abs((window["to"] - window["from"]) - s["duration_s"]) > 0.01 * s["duration_s"]:
            body.append(f"<p>Mean use is over the {fmt(window['to'] - window['from'])} s the work ran "
                        f"({fmt(window['from'])} s to {fmt(window['to'])} s), not the {fmt(s['duration_s'])} s "
                        "horizon.</p>")
        if g.get("r429_acceleration"):
            body.append(f"<p>429 acceleration (an assumed model, not a published budget): "
                        f"{fmt(g['r429_acceleration'])}</p>")
    cf = get(s, "counterfactual.without_acceleration")
    if cf:
        body.append("<h2>Without acceleration limits (same scenario and seed; budgets only)</h2>")
        crow = [[label, fmt(get(s["total"], path)), fmt(get(cf, path))] for label, path in rows_of_summary
                if get(cf, path) not in (0, None) or get(s["total"], path) not in (0, None)]
        body.append(table(["", "as run", "without acceleration limits"], crow))
    d = s.get("diagnosis", {})
    body.append("<h2>Diagnosis</h2>")
    first = d.get("first_limit")
    where = f" (workspace {esc(first['workspace'])})" if first and first.get("workspace") else ""
    body.append(f"<p>First limit hit: {esc(first['group'])} {esc(first['budget'])}{where} at {fmt(first['at_s'])} s</p>"
                if first else "<p>No request was refused.</p>")
    causes = [[c["cause"] + (f", {c['bound_by']}-bound" if c.get("bound_by") else ""), fmt(c["count"]),
               f"{100 * c['share']:.0f}%", c["cure"]] for c in d.get("causes", [])]
    if causes:
        body.append(table(["cause", "count", "share", "cure"], causes, numeric=[1, 2]))
    for w in d.get("warnings", []):
        body.append(f'<p class="warning">warning: {esc(w)}</p>')
    assumptions = s.get("assumptions", [])
    if assumptions:
        body.append("<h2>What the run rests on</h2><p>Documented values come with their public source; "
                    "assumed ones (highlighted) are ratesim's or the scenario's, and "
                    "<code>ratesim run --sensitivity</code> shows how much they matter.</p>")
        body.append(table(["path", "value", "basis", "source"],
                          [[a["path"], a["value"], a["basis"], a["source"]] for a in assumptions], numeric=[],
                          row_class=lambda i: "assumed" if assumptions[i]["basis"] == "assumed" else ""))
    sens = os.path.join(folder, "sensitivity.csv")
    if os.path.exists(sens):
        srows = read_csv(sens)
        body.append("<h2>Sensitivity</h2><p>Each assumption at the low and high end of its plausible range, "
                    "one at a time, same seed (all workloads). A <em>structural break</em> (highlighted) is a value "
                    "at which some requests are larger than a whole bucket and can never be admitted: the run "
                    "measures a different system there, so its swing is not a risk to rank.</p>")

        def value(r):
            if r.get("structural") == "true":
                return f"{r['value']} (structural break: {fmt(number(r['never_fits']))} never fit)"
            return r["value"]

        body.append(table(["assumption", "level", "value", "ok", "gave up", "429s", "p99, s", "cost, USD", "makespan, s"],
                          [[r["assumption"], r["level"], value(r)] + [fmt(number(r[c])) for c in
                           ("ok", "gave_up", "r429", "latency_p99_s", "cost_usd", "makespan_s")] for r in srows],
                          numeric=range(3, 9),
                          row_class=lambda i: "assumed" if srows[i].get("structural") == "true" else ""))
    body.append("<h2>Charts</h2>" + figures(charts))
    meta = f"seed {s['seed']} · {fmt(s['duration_s'])} s simulated · ratesim {s['version']}"
    return page(f"ratesim run: {s['scenario']}", meta, "\n".join(body))


def compare_body(path, charts):
    rows = read_csv(path)
    variants = list(dict.fromkeys(r["variant"] for r in rows))
    metrics = list(dict.fromkeys(r["metric"] for r in rows))
    by = {(r["variant"], r["metric"]): r for r in rows}
    trows = []
    for m in metrics:
        cells = []
        for v in variants:
            r = by[(v, m)]
            mean, lo, hi = number(r["value"]), number(r["ci_low"]), number(r["ci_high"])
            cells.append(fmt(mean) if lo == hi or math.isnan(lo) else f"{fmt(mean)} [{fmt(lo)}, {fmt(hi)}]")
        trows.append([m] + cells)
    body = "<h2>Columns</h2>" + table(["metric"] + variants, trows) + "<h2>Charts</h2>" + figures(charts)
    return page("ratesim compare", os.path.basename(path), body)


SWEEP_POINTS_PER_TABLE = 6  # grid points side by side in one table: wider would not fit the page


def sweep_body(path, charts):
    """The grid points as columns (at most SWEEP_POINTS_PER_TABLE a table, so no table runs off the
    page however many metrics or points), metrics as rows; points that complete less work marked
    "(!)" and explained, as compare's table does."""
    from .sweep_charts import Sweep
    sweep = Sweep(path)
    paths, metrics, means = sweep.paths, sweep.metrics, sweep.means
    shown = [m for m in metrics
             if m in ("total.requests.ok", "total.requests.unfinished") or any(number(r[m]) not in (0,) for r in means)]
    body = ["<h2>Grid points (means over the replications)</h2>"]
    for start in range(0, len(means), SWEEP_POINTS_PER_TABLE):
        chunk = means[start:start + SWEEP_POINTS_PER_TABLE]
        head = [""] + [f"point {r['point']}" + (" (!)" if r["point"] in sweep.less_work else "") for r in chunk]
        rows = [[p] + [r[p] for r in chunk] for p in paths]
        rows += [[m.replace("total.", "")] + [fmt(number(r[m])) for r in chunk] for m in shown]
        body.append(table(head, rows, row_class=lambda i: "gridpath" if i < len(paths) else ""))
    if sweep.less_work:
        body.append("<p>(!) marks the points that complete less work than the best point (fewer requests completed, "
                    "by more than 0.5%, or more left unfinished): their cost and latency are not comparable, as in "
                    "<code>ratesim compare</code>. The charts ring them in red.</p><ul>")
        for r in means:
            if r["point"] in sweep.less_work:
                where = ", ".join(f"{sweep.short(p)}={r[p]}" for p in paths)
                body.append(f'<li class="lesswork">point {esc(r["point"])} ({esc(where)}) '
                            f"{esc(sweep.less_work[r['point']])}</li>")
        body.append("</ul>")
    body.append("<h2>Charts</h2>" + figures(charts))
    return page("ratesim sweep", os.path.basename(path), "\n".join(body))


def search_body(path, charts):
    with open(path) as f:
        s = json.load(f)
    goal = "largest" if s["goal"] == "maximize" else "smallest"
    answer = "no value in the range meets the requirements" if s["answer"] is None else f"{s['path']} = {s['answer']:g}"
    body = [f"<h2>Answer</h2><p><strong>{esc(answer)}</strong> (the {goal} value in "
            f"[{s['range'][0]:g}, {s['range'][1]:g}]{', whole numbers' if s['integer'] else ''})</p>"]
    if s["beyond"] is not None:
        body.append(f"<p>The first value beyond it, {s['beyond']:g}, fails a requirement (the knee).</p>")
    body.append(table(["requirement"], [[f"{r['metric']} {r['op']} {r['value']:g}"] for r in s["requirements"]],
                      numeric=[]))
    for n in s.get("non_monotone", []):
        body.append(f'<p class="warning">warning: feasibility is not monotone: {esc(n)}</p>')
    metrics = list(s["evaluations"][0]["metrics"].keys()) if s["evaluations"] else []
    bounds = {}
    for r in s["requirements"]:
        bounds.setdefault(r["metric"], []).append(f"{r['op']} {r['value']:g}")

    def cell(e, m):
        """The mean, and with replications its 95% interval, which must lie wholly within the bound."""
        interval = e.get("intervals", {}).get(m)
        if not interval:
            return fmt(e["metrics"][m])
        return f"{fmt(e['metrics'][m])} [{fmt(interval[0])}, {fmt(interval[1])}]"

    head = ["value", "meets"] + [m.replace("total.", "") + (f" (required {' and '.join(bounds[m])})" if m in bounds else "")
                                 for m in metrics]
    erows = [[fmt(e["value"]), "yes" if e["feasible"] else "no"] + [cell(e, m) for m in metrics] for e in s["evaluations"]]
    note = ""
    if s.get("replications", 1) > 1:
        note = (f"<p>Each metric: the mean over {s['replications']} replications and its 95% interval in brackets. "
                "A requirement holds only when the whole interval lies within its bound.</p>")
    body.append("<h2>Evaluations, in order</h2>" + note +
                table(head, erows, numeric=[0] + list(range(2, 2 + len(metrics)))))
    body.append("<h2>Charts</h2>" + figures(charts))
    return page(f"ratesim search: {s['path']}", os.path.basename(path), "\n".join(body))


def calibrate_body(folder, charts):
    with open(os.path.join(folder, "report.json")) as f:
        r = json.load(f)
    with open(os.path.join(folder, "report.txt")) as f:
        text = f.read()
    rows = []
    for m in r["models"]:
        lat = m["latency"]
        limits = ", ".join(f"{k} {v['limit']:,}" for k, v in m["limits"].items()) or "none in the headers"
        burst = m["burst_s"]["median"] if m["burst_s"] else None
        rows.append([m["model"], fmt(m["attempts"]), fmt(m["requests"]), limits, fmt(burst), fmt(lat["ttft_median_s"]),
                     fmt(lat["ttft_sigma"]), fmt(lat["output_tps"]), fmt(m["overload"]["rate"]),
                     ", ".join(f"{cause} {n:,}" for cause, n in m["causes"].items() if n) or "none"])
    body = ["<h2>Per model</h2>" + table(["model", "attempts", "requests", "limits", "bucket, s", "ttft median, s", "ttft sigma",
                                         "output tok/s", "529 rate", "429s by cause (inferred)"], rows, numeric=[1, 2, 4, 5, 6, 7, 8])]
    wrows = [[w["name"], w["model"], fmt(w["requests"]), w["sizes"]["input_tokens"]["form"], w["sizes"]["output_tokens"]["form"],
              w["client"]["preset"] or ("explicit retry" if w["client"]["retried"] else "no retries"), fmt(w["client"]["max_attempts"])]
             for w in r["workloads"]]
    body.append("<h2>Per workload</h2>" + table(["workload", "model", "requests", "input form", "output form", "client", "most attempts"],
                                                wrows, numeric=[2, 6]))
    body.append("<h2>The fit, as printed</h2><pre>" + esc(text) + "</pre>")
    body.append("<h2>Charts</h2>" + figures(charts))
    return page("ratesim calibrate", ", ".join(os.path.basename(f) for f in r["files"]), "\n".join(body))


def backtest_body(folder, charts):
    with open(os.path.join(folder, "backtest.json")) as f:
        bt = json.load(f)
    verdict = "pass" if bt["pass"] else "FAIL"
    body = [f"<h2>Verdict</h2><p><strong>{verdict}</strong>: {esc(', '.join(bt['gated']))} must be within "
            f"{bt['tolerance'] * 100:g}% of the log's (where the log's is 0, the simulated count within that share of "
            f"the log's requests).</p>"]
    rows = []
    for metric, err in bt["error"].items():
        obs, sim = get(bt["observed"], metric), get(bt["simulated"], metric)
        if metric == "requests.failed":
            obs = bt["observed"]["requests"]["arrived"] - bt["observed"]["requests"]["ok"]
            sim = bt["simulated"]["requests"]["arrived"] - bt["simulated"]["requests"]["ok"]
        beyond = metric in bt["beyond_tolerance"]
        diff = "n/a" if err is None else f"{err * 100:+.1f}%"  # null against a log's 0
        rows.append([metric, fmt(obs), fmt(sim), diff + (" beyond tolerance" if beyond else "")])
    body.append("<h2>Log against simulation</h2>" + table(["metric", "observed", "simulated", "difference"], rows))
    body.append("<h2>Charts</h2>" + figures(charts))
    return page("ratesim backtest", verdict, "\n".join(body))


def write_report(kind, target, charts):
    """Writes report.html beside the target and returns its path."""
    folder = target if os.path.isdir(target) else os.path.dirname(os.path.abspath(target))
    text = {"run": run_body, "compare": compare_body, "sweep": sweep_body, "search": search_body,
            "calibrate": calibrate_body, "backtest": backtest_body}[kind](target, charts)
    out = os.path.join(folder, "report.html")
    tmp = out + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, out)
    print("wrote", out)
    return out
