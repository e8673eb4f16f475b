#!/usr/bin/python3
"""Charts for ratesim outputs.

    tools/plot.py DIR            a run folder (ratesim run --out DIR): writes PNGs into DIR
    tools/plot.py FILE.csv       a compare.csv (ratesim compare --out DIR) or a sweep CSV
                                 (ratesim sweep --out FILE): one chart per metric, written beside
                                 the file; a sensitivity.csv (ratesim run --sensitivity --out DIR):
                                 a tornado chart

Charts of a run: traffic (offered, sent, succeeded, and 429s by cause over time), budget use
per limit group, latency p50 and p99 over time, cumulative cost, and requests in flight and
queued; with a sensitivity.csv in the folder, a tornado chart of the assumptions. Needs matplotlib (Debian: python3-matplotlib, installed by ./setup.sh).
"""
import csv
import os
import sys


def _matplotlib():
    try:
        import matplotlib
    except ImportError:
        # The python3 first on PATH may be one without Debian's packages; Debian's has them.
        system = "/usr/bin/python3"
        if os.path.realpath(sys.executable) != os.path.realpath(system) and os.path.exists(system):
            os.execv(system, [system, os.path.abspath(__file__)] + sys.argv[1:])
        sys.exit("plot.py: matplotlib is missing: install python3-matplotlib (./setup.sh does)")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def number(text):
    return float(text) if text not in ("", None) else float("nan")


def series(rows, workload, column):
    picked = [r for r in rows if r["workload"] == workload]
    return [number(r["t_s"]) / 60 for r in picked], [number(r[column]) for r in picked]


def time_axes(ax, ylabel, title, legend_loc="best"):
    """Labels a chart whose x axis is simulated time."""
    ax.set_xlabel("time (min)")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(loc=legend_loc, fontsize=8)
    ax.grid(alpha=0.3)


def save(plt, fig, path):
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    print("wrote", path)


def plot_run(plt, folder):
    rows = read_csv(os.path.join(folder, "timeseries.csv"))
    if not rows:
        sys.exit("plot.py: timeseries.csv has no rows")
    times = sorted({number(r["t_s"]) for r in rows})
    step = (times[1] - times[0]) if len(times) > 1 else 1.0
    per_s = 1.0 / step
    workloads = [w for w in dict.fromkeys(r["workload"] for r in rows) if w != "all"]

    # 1. Traffic: offered, sent, succeeded, 429s by cause.
    fig, ax = plt.subplots(figsize=(10, 5))
    t, _ = series(rows, "all", "arrivals")
    for column, label, style in [("arrivals", "offered (arrivals)", "-"), ("attempts", "attempts sent", "-"),
                                 ("ok", "succeeded", "-")]:
        _, y = series(rows, "all", column)
        ax.plot(t, [v * per_s for v in y], style, label=label, linewidth=1.6)
    causes = [("r429_rpm", "429 rpm"), ("r429_itpm", "429 itpm"), ("r429_otpm", "429 otpm"),
              ("r429_tpm", "429 tpm"), ("r429_acceleration", "429 acceleration"), ("r429_spend", "429 spend"),
              ("r529", "529")]
    bottom = [0.0] * len(t)
    for column, label in causes:
        if column not in rows[0]:
            continue
        _, y = series(rows, "all", column)
        y = [v * per_s for v in y]
        if any(v > 0 for v in y):
            ax.fill_between(t, bottom, [b + v for b, v in zip(bottom, y)], step="post", alpha=0.35, label=label)
            bottom = [b + v for b, v in zip(bottom, y)]
    time_axes(ax, "per second", "Traffic: offered, sent, succeeded, and refusals by cause", "upper right")
    save(plt, fig, os.path.join(folder, "traffic.png"))

    # 2. Budget use per limit group.
    limits_path = os.path.join(folder, "limits.csv")
    if os.path.exists(limits_path):
        limits = read_csv(limits_path)
        groups = list(dict.fromkeys(r["group"] for r in limits))
        if groups:
            fig, axes = plt.subplots(len(groups), 1, figsize=(10, 3.2 * len(groups)), squeeze=False)
            for ax, group in zip(axes[:, 0], groups):
                for budget in dict.fromkeys(r["budget"] for r in limits if r["group"] == group):
                    picked = [r for r in limits if r["group"] == group and r["budget"] == budget]
                    ax.plot([number(r["t_s"]) / 60 for r in picked], [100 * number(r["used_frac"]) for r in picked],
                            label=f"{budget} (limit {int(number(picked[0]['limit'])):,}/min)", linewidth=1.4)
                ax.axhline(100, color="black", linewidth=0.8, linestyle="--")
                time_axes(ax, "% of the limit's rate", f"Budget use: limit group {group}")
            save(plt, fig, os.path.join(folder, "budgets.png"))

    # 3. Latency p50 and p99 per workload.
    fig, ax = plt.subplots(figsize=(10, 5))
    for w in workloads:
        t, p50 = series(rows, w, "latency_p50_s")
        _, p99 = series(rows, w, "latency_p99_s")
        line, = ax.plot(t, p50, label=f"{w} p50", linewidth=1.4)
        ax.plot(t, p99, "--", color=line.get_color(), label=f"{w} p99", linewidth=1.2)
    time_axes(ax, "latency, arrival to success (s)", "Latency of requests that succeeded in each interval")
    save(plt, fig, os.path.join(folder, "latency.png"))

    # 4. Cumulative cost per workload.
    fig, ax = plt.subplots(figsize=(10, 5))
    for w in workloads + ["all"]:
        t, cost = series(rows, w, "cost_usd")
        total, cumulative = 0.0, []
        for c in cost:
            total += c
            cumulative.append(total)
        ax.plot(t, cumulative, label=w, linewidth=2.0 if w == "all" else 1.4)
    time_axes(ax, "USD", "Cumulative cost")
    save(plt, fig, os.path.join(folder, "cost.png"))

    # 5. In flight and queued.
    fig, ax = plt.subplots(figsize=(10, 5))
    for w in workloads:
        t, in_flight = series(rows, w, "in_flight")
        _, queued = series(rows, w, "queued")
        line, = ax.plot(t, in_flight, label=f"{w} in flight", linewidth=1.4)
        ax.plot(t, queued, ":", color=line.get_color(), label=f"{w} queued in the client", linewidth=1.4)
    time_axes(ax, "requests (at each interval's end)", "Requests in flight and waiting in client layers")
    save(plt, fig, os.path.join(folder, "concurrency.png"))


def plot_sensitivity(plt, path):
    """A tornado chart: for each assumption, how far its low and high ends move each metric
    away from the scenario as written; the widest swings on top."""
    rows = read_csv(path)
    base = next(r for r in rows if r["level"] == "base")
    names = list(dict.fromkeys(r["assumption"] for r in rows if r["level"] != "base"))
    panels = [("ok", "requests ok"), ("r429", "429s"), ("latency_p99_s", "latency p99, s"),
              ("cost_usd", "cost, USD")]

    def level(name, which):
        return next(r for r in rows if r["assumption"] == name and r["level"] == which)

    def swing(name):
        return abs(number(level(name, "high")["ok"]) - number(level(name, "low")["ok"]))

    names.sort(key=swing)  # barh draws the first at the bottom: widest on top
    fig, axes = plt.subplots(1, len(panels), figsize=(4.0 * len(panels) + 2.5, 0.55 * len(names) + 1.6),
                             sharey=True, squeeze=False)
    y = list(range(len(names)))
    for ax, (column, title) in zip(axes.flat, panels):
        b = number(base[column])
        low = [number(level(n, "low")[column]) - b for n in names]
        high = [number(level(n, "high")[column]) - b for n in names]
        ax.barh([v + 0.2 for v in y], high, height=0.4, color="#C44E52", label="high end")
        ax.barh([v - 0.2 for v in y], low, height=0.4, color="#4C72B0", label="low end")
        ax.axvline(0, color="black", linewidth=0.8)
        shown = f"{b:,.0f}" if abs(b) >= 100 else f"{b:.3g}"
        ax.set_title(f"{title}\n(as written: {shown})", fontsize=9)
        ax.grid(axis="x", alpha=0.3)
        ax.tick_params(axis="x", labelsize=8)
    labels = [f"{n.replace('provider.', '')}\n{level(n, 'low')['value']} .. {level(n, 'high')['value']}" for n in names]
    axes.flat[0].set_yticks(y)
    axes.flat[0].set_yticklabels(labels, fontsize=8)
    axes.flat[0].legend(fontsize=8, loc="lower left")
    fig.suptitle("How much each assumption matters: change against the scenario as written, "
                 "one assumption at a time", fontsize=10)
    save(plt, fig, os.path.join(os.path.dirname(os.path.abspath(path)), "sensitivity.png"))


def plot_compare(plt, path):
    rows = read_csv(path)
    folder = os.path.dirname(os.path.abspath(path))
    variants = list(dict.fromkeys(r["variant"] for r in rows))
    metrics = list(dict.fromkeys(r["metric"] for r in rows))
    shown = [m for m in metrics if any(number(r["value"]) != 0 for r in rows if r["metric"] == m)]
    cols = 3
    nrows = (len(shown) + cols - 1) // cols
    fig, axes = plt.subplots(nrows, cols, figsize=(4.2 * cols, 2.9 * nrows), squeeze=False)
    for ax, metric in zip(axes.flat, shown):
        picked = {r["variant"]: r for r in rows if r["metric"] == metric}
        values = [number(picked[v]["value"]) for v in variants]
        low = [values[i] - number(picked[v]["ci_low"]) for i, v in enumerate(variants)]
        high = [number(picked[v]["ci_high"]) - values[i] for i, v in enumerate(variants)]
        ax.bar(variants, values, yerr=[low, high], capsize=3, color="#4C72B0")
        ax.set_title(metric.replace("total.", ""), fontsize=9)
        ax.tick_params(axis="x", labelrotation=30, labelsize=8)
        ax.grid(axis="y", alpha=0.3)
    for ax in list(axes.flat)[len(shown):]:
        ax.axis("off")
    fig.suptitle("Variants compared (bars: mean; whiskers: 95% interval)")
    save(plt, fig, os.path.join(folder, "compare.png"))


def plot_sweep(plt, path):
    rows = read_csv(path)
    header = list(rows[0].keys())
    axes_names = header[1:header.index("replication")]
    metrics = header[header.index("seed") + 1:]
    means = {r["point"]: r for r in rows if r["replication"] == "mean"}
    lows = {r["point"]: r for r in rows if r["replication"] == "ci_low"}
    highs = {r["point"]: r for r in rows if r["replication"] == "ci_high"}
    points = list(means)
    labels = ["\n".join(f"{a.split('.')[-1]}={means[p][a]}" for a in axes_names) for p in points]
    shown = [m for m in metrics if any(number(means[p][m]) != 0 for p in points)]
    cols = 3
    nrows = (len(shown) + cols - 1) // cols
    fig, axes = plt.subplots(nrows, cols, figsize=(4.4 * cols, 3.1 * nrows), squeeze=False)
    for ax, metric in zip(axes.flat, shown):
        values = [number(means[p][metric]) for p in points]
        low = [values[i] - number(lows[p][metric]) for i, p in enumerate(points)]
        high = [number(highs[p][metric]) - values[i] for i, p in enumerate(points)]
        ax.errorbar(range(len(points)), values, yerr=[low, high], fmt="o-", capsize=3)
        ax.set_xticks(range(len(points)))
        ax.set_xticklabels(labels, fontsize=7)
        ax.set_title(metric.replace("total.", ""), fontsize=9)
        ax.grid(alpha=0.3)
    for ax in list(axes.flat)[len(shown):]:
        ax.axis("off")
    fig.suptitle("Sweep: mean over replications at each grid point (whiskers: 95% interval)")
    save(plt, fig, os.path.splitext(path)[0] + ".png")


def main(argv):
    if len(argv) != 2 or argv[1] in ("-h", "--help"):
        print(__doc__)
        return 0 if len(argv) == 2 else 2
    target = argv[1]
    plt = _matplotlib()
    if os.path.isdir(target):
        if not os.path.exists(os.path.join(target, "timeseries.csv")):
            sys.exit(f"plot.py: {target} has no timeseries.csv (write one with ratesim run --out {target})")
        plot_run(plt, target)
        if os.path.exists(os.path.join(target, "sensitivity.csv")):
            plot_sensitivity(plt, os.path.join(target, "sensitivity.csv"))
    elif target.endswith(".csv") and os.path.exists(target):
        with open(target) as f:
            first = f.readline()
        if first.startswith("point,"):
            plot_sweep(plt, target)
        elif first.startswith("assumption,"):
            plot_sensitivity(plt, target)
        else:
            plot_compare(plt, target)
    else:
        sys.exit(f"plot.py: {target}: expected a run folder or a compare.csv")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
