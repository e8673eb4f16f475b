"""Charts of one run folder (ratesim run --out DIR): traffic, budget use, latency, cost,
concurrency, and the sensitivity tornado when sensitivity.csv is there."""
import csv
import gzip
import math
import os

from .common import duration_unit, number, read_csv, save, time_unit

# Refusals are stacked in the order of timeseries.csv's columns, which follow ratesim's table of
# budgets and causes (r429_<cause>, then r429_workspace_<budget>): a new budget needs no change here.
CAUSE_COLOURS = ["#8172B3", "#DD8452", "#937860", "#DA8BC3", "#CCB974", "#8C8C8C", "#64B5CD", "#4C72B0", "#55A868",
                 "#B47CC7"]
OVERLOAD_COLOUR = "#C44E52"


def refusal_columns(header):
    """(column, label, colour) for each 429 column of a timeseries.csv header, then the 529s."""
    out = []
    for i, column in enumerate(c for c in header if c.startswith("r429_")):
        cause = column[len("r429_"):]
        if cause.startswith("workspace_"):
            label = f"429 {cause[len('workspace_'):]} (a workspace's cap)"
        elif cause == "acceleration":
            label = "429 acceleration (assumed model)"
        else:
            label = f"429 {cause}"
        out.append((column, label, CAUSE_COLOURS[i % len(CAUSE_COLOURS)]))
    return out + [("r529", "529", OVERLOAD_COLOUR)]
SENT, OK, FAILED, OFFERED = "#4C72B0", "#55A868", "#C44E52", "gray"


class TimeSeries:
    """timeseries.csv, with the time axis cut where the work ends."""

    def __init__(self, path):
        self.rows = read_csv(path)
        if not self.rows:
            raise SystemExit("plot.py: timeseries.csv has no rows")
        times = sorted({number(r["t_s"]) for r in self.rows})
        self.step = (times[1] - times[0]) if len(times) > 1 else 1.0
        self.workloads = [w for w in dict.fromkeys(r["workload"] for r in self.rows) if w != "all"]
        # The work ends after the last interval with anything going on; the rest of the horizon
        # would only flatten the chart.
        busy = ("arrivals", "attempts", "ok", "in_flight", "queued", "gave_up", "timed_out", "dropped")
        last = 0.0
        for r in self.rows:
            if r["workload"] == "all" and any(number(r[c]) > 0 for c in busy if c in r):
                last = max(last, number(r["t_s"]))
        self.end = min(last + 2 * self.step, times[-1] + self.step)
        self.unit, self.unit_name = time_unit(self.end)

    def series(self, workload, column):
        picked = [r for r in self.rows if r["workload"] == workload and number(r["t_s"]) <= self.end]
        return [number(r["t_s"]) / self.unit for r in picked], [number(r.get(column, "0") or "nan") for r in picked]

    def axes(self, ax, ylabel, title, legend=True):
        ax.set_xlim(0, self.end / self.unit)
        ax.set_xlabel(f"time ({self.unit_name})")
        ax.set_ylabel(ylabel)
        ax.set_title(title, fontsize=10)
        if legend and ax.get_legend_handles_labels()[0]:
            ax.legend(loc="best", fontsize=8)
        ax.grid(alpha=0.3)


def traffic(plt, ts, folder):
    per_s = 1.0 / ts.step
    fig, (rate, total) = plt.subplots(2, 1, figsize=(10, 7.5), sharex=True, gridspec_kw={"height_ratios": [3, 2]})
    t, arrivals = ts.series("all", "arrivals")
    _, sent = ts.series("all", "attempts")
    _, ok = ts.series("all", "ok")
    bottom = [0.0] * len(t)
    for column, label, colour in refusal_columns(list(ts.rows[0])):
        if column not in ts.rows[0]:
            continue
        _, y = ts.series("all", column)
        y = [v * per_s for v in y]
        if any(v > 0 for v in y):
            rate.fill_between(t, bottom, [b + v for b, v in zip(bottom, y)], step="post", alpha=0.5, label=label,
                              color=colour, linewidth=0)
            bottom = [b + v for b, v in zip(bottom, y)]
    rate.plot(t, [v * per_s for v in sent], label="attempts sent", linewidth=1.4, drawstyle="steps-post", color=SENT)
    rate.plot(t, [v * per_s for v in ok], label="succeeded", linewidth=1.6, drawstyle="steps-post", color=OK)
    offered = [v * per_s for v in arrivals]
    rate.plot(t, offered, label="offered (arrivals)", linewidth=1.2, color=OFFERED, linestyle="--",
              drawstyle="steps-post")
    # A backlog arrives at once: its spike would flatten everything else. Keep the scale of what
    # was sent and say where the spike went.
    scale = max([v * per_s for v in sent] + [v * per_s for v in ok] + bottom + [0])
    peak = max(offered + [0])
    if scale > 0 and peak > 1.5 * scale:
        rate.set_ylim(0, 1.3 * scale)
        at = t[offered.index(peak)]
        rate.annotate(f"offered peaks at {peak:,.0f}/s at {at:.3g} {ts.unit_name} (off the scale;\n"
                      f"{peak * ts.step:,.0f} requests at once: see the cumulative panel)",
                      xy=(at, 1.25 * scale), xytext=(0.25, 0.93), textcoords="axes fraction", fontsize=8,
                      va="top", arrowprops={"arrowstyle": "->", "color": "gray"})
    ts.axes(rate, "per second", "Traffic: offered, sent and succeeded per second, refusals by cause stacked")
    rate.set_xlabel("")
    # Cumulative counts: how the work drains.
    cumulative = {}
    for column in ("arrivals", "ok", "gave_up", "timed_out", "dropped"):
        _, y = ts.series("all", column)
        running, out = 0.0, []
        for v in y:
            running += 0 if math.isnan(v) else v
            out.append(running)
        cumulative[column] = out
    failed = [a + b + c for a, b, c in zip(cumulative["gave_up"], cumulative["timed_out"], cumulative["dropped"])]
    total.plot(t, cumulative["arrivals"], label="arrived", color=OFFERED, linestyle="--")
    total.plot(t, cumulative["ok"], label="succeeded", linewidth=1.8, color=OK)
    if any(v > 0 for v in failed):
        total.plot(t, failed, label="gave up, timed out or dropped", linewidth=1.4, color=FAILED)
    ts.axes(total, "requests (cumulative)", "Requests so far")
    return save(plt, fig, os.path.join(folder, "traffic.png"))


def per_minute(times, fracs, step):
    """Budget use per minute from limits.csv's shorter intervals: [(minute start s, mean, lowest,
    highest)], the mean over the minute's intervals (net usage in the minute / the limit) and the
    range of the intervals in it, the band. Intervals of a minute or more stay as they are (their
    band is the value itself)."""
    if step >= 60:
        return [(t, f, f, f) for t, f in zip(times, fracs)]
    minutes = {}
    for t, f in zip(times, fracs):
        minutes.setdefault(60.0 * math.floor(t / 60.0), []).append(f)
    return [(m, sum(v) / len(v), min(v), max(v)) for m, v in sorted(minutes.items())]


def legend_outside(ax, handles=None, labels=None):
    """The legend right of the panel, where it cannot cover a line."""
    extra = {"handles": handles, "labels": labels} if handles else {}
    return ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, borderaxespad=0.0, **extra)


def budgets(plt, ts, folder):
    path = os.path.join(folder, "limits.csv")
    if not os.path.exists(path):
        return None
    limits = read_csv(path)
    # One panel per limit group and scope (the organization's budgets, or a workspace's caps).
    scope_of = lambda r: r.get("scope", "organization")
    groups = list(dict.fromkeys((r["group"], scope_of(r)) for r in limits))
    if not groups:
        return None
    banded = ts.step < 60
    short = f"{ts.step:g} s" if ts.step < 60 else ""
    fig, axes = plt.subplots(len(groups), 1, figsize=(12, 3.3 * len(groups)), squeeze=False)
    for ax, (group, scope) in zip(axes[:, 0], groups):
        clipped, handles, labels = False, [], []
        mine = [r for r in limits if r["group"] == group and scope_of(r) == scope]
        for budget in dict.fromkeys(r["budget"] for r in mine):
            picked = [r for r in mine if r["budget"] == budget and number(r["t_s"]) < ts.end]
            used = [100 * number(r["used_frac"]) for r in picked]
            clipped = clipped or any(u < 0 for u in used)
            minutes = per_minute([number(r["t_s"]) for r in picked], [max(0.0, u) for u in used], ts.step)
            # A step line needs the last minute's end to draw that minute.
            width = 60.0 if banded else ts.step
            x = [m / ts.unit for m, _, _, _ in minutes] + [(minutes[-1][0] + width) / ts.unit]
            mean = [v for _, v, _, _ in minutes]
            line, = ax.plot(x, mean + mean[-1:], linewidth=1.5, drawstyle="steps-post")
            handle = line
            if banded:
                band = ax.fill_between(x, [lo for _, _, lo, _ in minutes] + [minutes[-1][2]],
                                       [hi for _, _, _, hi in minutes] + [minutes[-1][3]], step="post",
                                       color=line.get_color(), alpha=0.18, linewidth=0)
                handle = (band, line)
            handles.append(handle)
            labels.append(f"{budget} (limit {int(number(picked[0]['limit'])):,}/min)")
        ax.axhline(100, color="black", linewidth=0.8, linestyle="--")
        whose = "" if scope == "organization" else f", {scope.replace(':', ' ', 1)}'s caps"
        what = "net usage per minute as % of the limit" + (f";\nlight band: the lowest to highest {short} interval within each minute" if banded else "")
        title = f"Budget use, limit group {group}{whose}: {what}"
        if clipped:
            title += "\n(intervals that gave back more reserved output than they took are counted as 0)"
        ts.axes(ax, "% of the limit", title, legend=False)
        legend_outside(ax, handles, labels)
    return save(plt, fig, os.path.join(folder, "budgets.png"))


def nearest_rank(sorted_values, p):
    """The p-th percentile by the nearest-rank rule, as summary.json's."""
    return sorted_values[max(0, math.ceil(p * len(sorted_values)) - 1)]


def requests_file(folder):
    """requests.csv (run --requests), or its .gz; None when the run did not write one."""
    for name in ("requests.csv", "requests.csv.gz"):
        if os.path.exists(os.path.join(folder, name)):
            return os.path.join(folder, name)
    return None


def service_times(path, step):
    """{workload: {interval start s: (p50, p99)}} of the service time (first attempt sent to
    success, done_s - first_send_s) of the requests that succeeded in each interval. Only
    requests.csv has it: timeseries.csv's latency runs from arrival, which for a backlog is mostly
    the wait for a turn."""
    opener = gzip.open if path.endswith(".gz") else open
    per = {}
    with opener(path, "rt", newline="") as f:
        for r in csv.DictReader(f):
            if r["outcome"] != "ok" or r["first_send_s"] == "":
                continue
            done = float(r["done_s"])
            start = step * math.floor(done / step)
            per.setdefault(r["workload"], {}).setdefault(start, []).append(done - float(r["first_send_s"]))
    return {w: {t: (nearest_rank(sorted(v), 0.50), nearest_rank(sorted(v), 0.99)) for t, v in sorted(by.items())}
            for w, by in per.items()}


def latency_figure(plt, ts, folder):
    """Arrival to success per workload; beside it, when the folder has requests.csv, the service time."""
    requests = requests_file(folder)
    service = service_times(requests, ts.step) if requests else {}
    largest = 0.0
    for w in ts.workloads:
        _, p99 = ts.series(w, "latency_p99_s")
        largest = max([largest] + [v for v in p99 if not math.isnan(v)])
    unit, name = duration_unit(largest)
    fig, axes = plt.subplots(1, 2 if service else 1, figsize=(13 if service else 10, 4.5), squeeze=False)
    ax = axes[0, 0]
    colours = {}
    for w in ts.workloads:
        t, p50 = ts.series(w, "latency_p50_s")
        _, p99 = ts.series(w, "latency_p99_s")
        line, = ax.plot(t, [v / unit for v in p50], label=f"{w} p50", linewidth=1.4, marker=".", markersize=3)
        ax.plot(t, [v / unit for v in p99], "--", color=line.get_color(), label=f"{w} p99", linewidth=1.2)
        colours[w] = line.get_color()
    if service:
        ts.axes(ax, f"arrival to success ({name})", "Arrival to success (queueing included)")
        right = axes[0, 1]
        s_unit, s_name = duration_unit(max(p99 for by in service.values() for _, p99 in by.values()))
        for w in ts.workloads:
            by = {t: v for t, v in service.get(w, {}).items() if t <= ts.end}
            t = [x / ts.unit for x in by]
            right.plot(t, [p50 / s_unit for p50, _ in by.values()], color=colours[w], label=f"{w} p50", linewidth=1.4,
                       marker=".", markersize=3)
            right.plot(t, [p99 / s_unit for _, p99 in by.values()], "--", color=colours[w], label=f"{w} p99",
                       linewidth=1.2)
        ts.axes(right, f"first attempt to success ({s_name})", "Service time: first attempt sent to success")
        fig.suptitle("Latency of the requests that succeeded in each interval", fontsize=11)
    else:
        ts.axes(ax, f"arrival to success ({name})", "Latency of the requests that succeeded in each interval\n"
                "(service time, first attempt to success, needs requests.csv: ratesim run --requests)")
    return fig


def latency(plt, ts, folder):
    return save(plt, latency_figure(plt, ts, folder), os.path.join(folder, "latency.png"))


def cost(plt, ts, folder):
    fig, ax = plt.subplots(figsize=(10, 4.5))
    for w in ts.workloads + (["all"] if len(ts.workloads) > 1 else []):
        t, c = ts.series(w, "cost_usd")
        running, out = 0.0, []
        for v in c:
            running += 0 if math.isnan(v) else v
            out.append(running)
        ax.plot(t, out, label="all workloads" if w == "all" else w, linewidth=2.0 if w == "all" else 1.4)
    ts.axes(ax, "USD (cumulative)", "Cost so far")
    return save(plt, fig, os.path.join(folder, "cost.png"))


def concurrency(plt, ts, folder):
    fig, (flight, queued) = plt.subplots(2, 1, figsize=(10, 6.5), sharex=True)
    for w in ts.workloads:
        t, f = ts.series(w, "in_flight")
        _, q = ts.series(w, "queued")
        flight.plot(t, f, label=w, linewidth=1.4, drawstyle="steps-post")
        queued.plot(t, q, label=w, linewidth=1.4, drawstyle="steps-post")
    ts.axes(flight, "requests", "In flight: an attempt out (at each interval's end)")
    flight.set_xlabel("")
    ts.axes(queued, "requests", "Waiting in the client: for a slot, a token, or a retry's sleep (at each interval's end)")
    return save(plt, fig, os.path.join(folder, "concurrency.png"))


def sensitivity(plt, path):
    """A tornado chart: for each assumption, how far its low and high ends move each metric away
    from the scenario as written; the widest swing in completed requests on top. Assumptions with
    a structural break at one end (requests that can never fit a budget there) are drawn apart,
    below a line and hatched: their swing measures a different system, not a risk."""
    rows = read_csv(path)
    base = next(r for r in rows if r["level"] == "base")
    names = list(dict.fromkeys(r["assumption"] for r in rows if r["level"] != "base"))
    panels = [("ok", "requests ok"), ("r429", "429s"), ("latency_p99_s", "latency p99, s"), ("cost_usd", "cost, USD")]

    def level(name, which):
        return next(r for r in rows if r["assumption"] == name and r["level"] == which)

    def swing(name):
        return abs(number(level(name, "high")["ok"]) - number(level(name, "low")["ok"]))

    def structural(name):
        return any(level(name, w).get("structural") == "true" for w in ("low", "high"))

    breaks = sorted((n for n in names if structural(n)), key=swing)
    ranked = sorted((n for n in names if not structural(n)), key=swing)
    names = breaks + ranked  # barh draws the first at the bottom: breaks below, widest risk on top
    fig, axes = plt.subplots(1, len(panels), figsize=(4.0 * len(panels) + 2.5, 0.55 * len(names) + 1.8),
                             sharey=True, squeeze=False)
    y = list(range(len(names)))
    for ax, (column, title) in zip(axes.flat, panels):
        b = number(base[column])
        for which, offset, colour, label in (("high", 0.2, "#C44E52", "high end"), ("low", -0.2, "#4C72B0", "low end")):
            bars = ax.barh([v + offset for v in y], [number(level(n, which)[column]) - b for n in names], height=0.4,
                           color=colour, label=label)
            for bar, n in zip(bars, names):
                if n in breaks:
                    bar.set_alpha(0.45)
                    bar.set_hatch("//")
        if breaks:
            ax.axhline(len(breaks) - 0.5, color="grey", linestyle="--", linewidth=0.8)
        ax.axvline(0, color="black", linewidth=0.8)
        shown = f"{b:,.0f}" if abs(b) >= 100 else f"{b:.3g}"
        ax.set_title(f"{title}\n(as written: {shown})", fontsize=9)
        ax.grid(axis="x", alpha=0.3)
        ax.tick_params(axis="x", labelsize=8)

    def label(n):
        text = f"{n.replace('provider.', '')}\n{level(n, 'low')['value']} .. {level(n, 'high')['value']}"
        if n in breaks:
            worst = max(number(level(n, w).get("never_fits", "0")) for w in ("low", "high"))
            text += f"\nstructural break: {worst:,.0f} never fit"
        return text

    axes.flat[0].set_yticks(y)
    axes.flat[0].set_yticklabels([label(n) for n in names], fontsize=8)
    # In the figure's corner, above the panels: inside one it would cover a bar.
    # Plain patches: the bars' own handles take the first bar's look, hatched when it is a break.
    from matplotlib.patches import Patch
    fig.legend(handles=[Patch(color="#C44E52", label="high end"), Patch(color="#4C72B0", label="low end")],
               fontsize=8, loc="upper right", ncol=2, frameon=False)
    title = "How much each assumption matters: change against the scenario as written, one at a time"
    if breaks:
        title += "\n(below the dashed line, hatched: structural breaks, where requests can never fit a budget; not ranked)"
    fig.suptitle(title, fontsize=10)
    return save(plt, fig, os.path.join(os.path.dirname(os.path.abspath(path)), "sensitivity.png"))


def plot_run(plt, folder):
    """Every chart of a run folder; returns [(png path, caption)]."""
    ts = TimeSeries(os.path.join(folder, "timeseries.csv"))
    charts = [
        (traffic(plt, ts, folder), "Traffic per second (refusals stacked by cause) and the requests so far"),
        (budgets(plt, ts, folder), "Budget use per limit group"),
        (latency(plt, ts, folder), "Latency of the requests that succeeded, per interval"),
        (cost(plt, ts, folder), "Cost so far"),
        (concurrency(plt, ts, folder), "Requests in flight and waiting in client layers"),
    ]
    tornado = os.path.join(folder, "sensitivity.csv")
    if os.path.exists(tornado):
        charts.append((sensitivity(plt, tornado), "How much each assumption matters"))
    return [(p, c) for p, c in charts if p]
