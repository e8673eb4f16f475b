"""Charts of a sweep CSV (ratesim sweep --out F.csv): each metric against the first numeric grid
path, one line per value of the other paths, and the answer chart (completed requests, time and
cost per completed request) for questions such as "how many workers?"."""
import math
import os

from .common import duration_unit, number, numeric_value, read_csv, save


OK, UNFINISHED = "total.requests.ok", "total.requests.unfinished"
LESS_WORK = "#C44E52"


def less_work(means):
    """{point: why} for the grid points that get less done than the others, by compare's rule
    (ratesim's incomparable_columns): fewer requests completed than the best point, by more than
    0.5%, or more left unfinished than the fewest, by more than 0.5% of the best point's completed.
    Their cost and latency are not comparable: a point that is cheap because it abandons work is
    not better."""
    if not means or OK not in means[0]:
        return {}
    ok = {r["point"]: number(r[OK]) for r in means}
    unfinished = {r["point"]: number(r[UNFINISHED]) if UNFINISHED in r else 0.0 for r in means}
    most_ok, least_unfinished = max(ok.values()), min(unfinished.values())
    out = {}
    for point in ok:
        if ok[point] < most_ok * (1 - 0.005):
            out[point] = (f"completes {most_ok - ok[point]:,.0f} fewer requests "
                          f"({100 * (most_ok - ok[point]) / most_ok:.0f}%)")
        elif unfinished[point] > least_unfinished + 0.005 * most_ok:
            out[point] = f"leaves {unfinished[point] - least_unfinished:,.0f} more requests unfinished"
    return out


class Sweep:
    def __init__(self, path):
        rows = read_csv(path)
        header = list(rows[0].keys())
        self.paths = header[1:header.index("replication")]
        self.metrics = header[header.index("seed") + 1:]
        self.means = [r for r in rows if r["replication"] == "mean"]
        self.lows = {r["point"]: r for r in rows if r["replication"] == "ci_low"}
        self.highs = {r["point"]: r for r in rows if r["replication"] == "ci_high"}
        # The x axis: the first path whose values are all numbers (durations and rates count);
        # else the first path, as categories.
        self.x = next((p for p in self.paths if all(numeric_value(r[p]) is not None for r in self.means)), None)
        self.categorical = self.x is None
        if self.categorical:
            self.x = self.paths[0]
        self.others = [p for p in self.paths if p != self.x]
        seconds = any(r[self.x].strip()[-1:] in "smhd" and numeric_value(r[self.x]) is not None for r in self.means)
        self.x_seconds = seconds and not self.categorical
        self.x_values = list(dict.fromkeys(r[self.x] for r in self.means))
        self.less_work = less_work(self.means)

    def short(self, path):
        return ".".join(path.split(".")[-2:])

    def lines(self):
        """[(label, [mean rows in x order])], one per combination of the other paths' values."""
        groups = {}
        for r in self.means:
            key = tuple(r[p] for p in self.others)
            groups.setdefault(key, []).append(r)
        out = []
        for key, rows in groups.items():
            if not self.categorical:
                rows = sorted(rows, key=lambda r: numeric_value(r[self.x]))
            label = ", ".join(f"{self.short(p)}={v}" for p, v in zip(self.others, key)) or None
            out.append((label, rows))
        return out

    def xs(self, rows):
        if self.categorical:
            return [self.x_values.index(r[self.x]) for r in rows]
        v = [numeric_value(r[self.x]) for r in rows]
        if self.x_seconds:
            unit, _ = duration_unit(max(v))
            v = [x / unit for x in v]
        return v

    def x_label(self):
        if self.x_seconds:
            _, name = duration_unit(max(numeric_value(r[self.x]) for r in self.means))
            return f"{self.x} ({name})"
        return self.x

    def set_x(self, ax):
        ax.set_xlabel(self.x_label(), fontsize=8)
        if not self.categorical and all(float(numeric_value(v)).is_integer() for v in self.x_values):
            from matplotlib.ticker import MaxNLocator
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        if self.categorical:
            ax.set_xticks(range(len(self.x_values)))
            ax.set_xticklabels(self.x_values, fontsize=7, rotation=20)

    def plot_metric(self, ax, metric, title=None):
        values = [number(r[metric]) for r in self.means]
        seconds = metric.endswith("_s") or "_s." in metric
        unit, name = duration_unit(max([v for v in values if not math.isnan(v)] + [0])) if seconds else (1.0, "")
        for label, rows in self.lines():
            x = self.xs(rows)
            y = [number(r[metric]) / unit for r in rows]
            lo = [y[i] - number(self.lows[r["point"]][metric]) / unit for i, r in enumerate(rows)]
            hi = [number(self.highs[r["point"]][metric]) / unit - y[i] for i, r in enumerate(rows)]
            bar = ax.errorbar(x, y, yerr=[lo, hi], fmt="o-", capsize=3, markersize=4, linewidth=1.3, label=label)
            # Points that get less done: a hollow ring around the point, as compare's "(!)".
            flagged = [i for i, r in enumerate(rows) if r["point"] in self.less_work]
            if flagged:
                ax.scatter([x[i] for i in flagged], [y[i] for i in flagged], s=90, facecolors="none",
                           edgecolors=LESS_WORK, linewidths=1.4, zorder=3)
        ax.set_title((title or metric.replace("total.", "")) + (f", {name}" if name else ""), fontsize=9)
        self.set_x(ax)
        ax.grid(alpha=0.3)


LESS_WORK_NOTE = "\nred rings: points that complete less work (their time and cost are not comparable)"


def legend(s, ax):
    """The lines' legend, and the ring's meaning when a point is ringed."""
    handles, labels = ax.get_legend_handles_labels()
    if s.less_work:
        from matplotlib.lines import Line2D
        handles.append(Line2D([], [], marker="o", linestyle="none", markersize=9, markerfacecolor="none",
                              markeredgecolor=LESS_WORK))
        labels.append("completes less work")
    if handles and (s.others or s.less_work):
        ax.legend(handles, labels, fontsize=7)


def plot_sweep(plt, path):
    """sweep.png (every metric) and sweep-answer.png; returns [(png path, caption)]."""
    s = Sweep(path)
    shown = [m for m in s.metrics if any(number(r[m]) != 0 and not math.isnan(number(r[m])) for r in s.means)]
    cols = 3
    nrows = (len(shown) + cols - 1) // cols
    fig, axes = plt.subplots(nrows, cols, figsize=(4.6 * cols, 3.2 * nrows), squeeze=False)
    for ax, metric in zip(axes.flat, shown):
        s.plot_metric(ax, metric)
    for ax in list(axes.flat)[len(shown):]:
        ax.axis("off")
    legend(s, axes.flat[0])
    fig.suptitle("Sweep: mean over replications at each grid point (whiskers: 95% interval)" +
                 (LESS_WORK_NOTE if s.less_work else ""), fontsize=11)
    base = os.path.splitext(path)[0]
    charts = [(save(plt, fig, base + ".png"), "Every metric across the grid")]

    # The answer chart: what gets done, how long it takes, what each completed request costs.
    panels = [("total.requests.ok", "requests completed"), ("total.makespan_s", "time to finish (makespan)"),
              ("total.cost_usd.per_ok_request", "cost per completed request, USD")]
    panels = [(m, t) for m, t in panels if m in s.metrics]
    fig, axes = plt.subplots(1, len(panels), figsize=(4.8 * len(panels), 3.8), squeeze=False)
    for ax, (metric, title) in zip(axes.flat, panels):
        s.plot_metric(ax, metric, title)
        ax.set_ylim(bottom=0)  # from zero, so that a 2% change looks like one
    legend(s, axes.flat[0])
    fig.suptitle(f"What {s.short(s.x)} buys: completed requests, time and cost per completed request" +
                 (LESS_WORK_NOTE if s.less_work else ""), fontsize=11)
    charts.append((save(plt, fig, base + "-answer.png"), "Completed requests, time and cost per completed request"))
    return charts
