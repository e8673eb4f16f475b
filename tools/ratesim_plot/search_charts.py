"""The chart of a search (ratesim search --out DIR): each requirement's metric at every value
evaluated, the requirement's bound, and the answer."""
import json
import math
import os

from .common import duration_unit, save


def interval_whiskers(evals, metric, unit, y):
    """(below, above) each mean: the distance to its 95% interval's ends, zero without replications."""
    low, high = [], []
    for e, mean in zip(evals, y):
        interval = e.get("intervals", {}).get(metric)
        if interval is None or interval[0] is None or math.isnan(mean):
            low.append(0.0)
            high.append(0.0)
        else:
            low.append(max(0.0, mean - interval[0] / unit))
            high.append(max(0.0, interval[1] / unit - mean))
    return low, high


def plot_search(plt, path):
    """search.png beside search.json; returns [(png path, caption)]."""
    with open(path) as f:
        s = json.load(f)
    evals = sorted(s["evaluations"], key=lambda e: e["value"])
    reqs = s["requirements"]
    panels = [r["metric"] for r in reqs]
    if "total.requests.ok" not in panels:
        panels.append("total.requests.ok")
    fig, axes = plt.subplots(1, len(panels), figsize=(5.0 * len(panels), 4.0), squeeze=False)
    x = [e["value"] for e in evals]
    for ax, metric in zip(axes.flat, panels):
        raw = [e["metrics"].get(metric) for e in evals]
        seconds = metric.endswith("_s") or "_s." in metric
        largest = max([v for v in raw if v is not None] + [0])
        unit, name = duration_unit(largest) if seconds else (1.0, "")
        y = [float("nan") if v is None else v / unit for v in raw]
        ax.plot(x, y, color="lightgray", linewidth=1, zorder=1)
        ok = [i for i, e in enumerate(evals) if e["feasible"]]
        bad = [i for i, e in enumerate(evals) if not e["feasible"]]
        # With replications, each value's 95% interval: a requirement holds only when all of it
        # lies within the bound.
        low, high = interval_whiskers(evals, metric, unit, y)
        if any(v > 0 for v in low + high):
            for idx, colour in ((ok, "#55A868"), (bad, "#C44E52")):
                ax.errorbar([x[i] for i in idx], [y[i] for i in idx], yerr=[[low[i] for i in idx], [high[i] for i in idx]],
                            fmt="none", ecolor=colour, elinewidth=1.1, capsize=3, zorder=2)
        ax.scatter([x[i] for i in ok], [y[i] for i in ok], color="#55A868", marker="o", label="meets all", zorder=2)
        ax.scatter([x[i] for i in bad], [y[i] for i in bad], color="#C44E52", marker="x", label="fails", zorder=2)
        for r in reqs:
            if r["metric"] == metric:
                ax.axhline(r["value"] / unit, color="black", linestyle="--", linewidth=0.9,
                           label=f"required {r['op']} {r['value'] / unit:g}")
        if s["answer"] is not None:
            ax.axvline(s["answer"], color="#55A868", linewidth=1.2, label=f"answer {s['answer']:g}")
        if s["beyond"] is not None:
            ax.axvline(s["beyond"], color="#C44E52", linewidth=1, linestyle=":", label=f"first beyond {s['beyond']:g}")
        ax.set_title(metric + (f" ({name})" if name else ""), fontsize=9)
        ax.set_xlabel(s["path"], fontsize=8)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7)
    goal = "largest" if s["goal"] == "maximize" else "smallest"
    answer = "no value qualifies" if s["answer"] is None else f"answer {s['answer']:g}"
    whiskers = f"\nwhiskers: each value's 95% interval over {s['replications']} replications" if s.get("replications", 1) > 1 else ""
    fig.suptitle(f"Search for the {goal} {s['path']}: {answer} ({len(evals)} evaluations){whiskers}", fontsize=11)
    out = os.path.join(os.path.dirname(os.path.abspath(path)), "search.png")
    return [(save(plt, fig, out), "Each requirement's metric at every value evaluated")]
