"""The chart of a compare.csv (ratesim compare --out DIR): one bar chart per metric."""
import math
import os

from .common import duration_unit, number, read_csv, save


def plot_compare(plt, path):
    """compare.png beside compare.csv; returns [(png path, caption)]."""
    rows = read_csv(path)
    variants = list(dict.fromkeys(r["variant"] for r in rows))
    metrics = list(dict.fromkeys(r["metric"] for r in rows))
    shown = [m for m in metrics if any(number(r["value"]) != 0 and not math.isnan(number(r["value"]))
                                       for r in rows if r["metric"] == m)]
    cols = 3
    nrows = (len(shown) + cols - 1) // cols
    fig, axes = plt.subplots(nrows, cols, figsize=(4.4 * cols, 3.0 * nrows), squeeze=False)
    for ax, metric in zip(axes.flat, shown):
        picked = {r["variant"]: r for r in rows if r["metric"] == metric}
        seconds = metric.endswith("_s") or "_s." in metric
        values = [number(picked[v]["value"]) for v in variants]
        unit, name = duration_unit(max([v for v in values if not math.isnan(v)] + [0])) if seconds else (1.0, "")
        values = [v / unit for v in values]
        low = [values[i] - number(picked[v]["ci_low"]) / unit for i, v in enumerate(variants)]
        high = [number(picked[v]["ci_high"]) / unit - values[i] for i, v in enumerate(variants)]
        ax.bar(variants, values, yerr=[low, high], capsize=3, color="#4C72B0")
        ax.set_title(metric.replace("total.", "") + (f" ({name})" if name else ""), fontsize=9)
        ax.tick_params(axis="x", labelrotation=20, labelsize=8)
        ax.grid(axis="y", alpha=0.3)
    for ax in list(axes.flat)[len(shown):]:
        ax.axis("off")
    fig.suptitle("Variants compared (bars: mean; whiskers: 95% interval)")
    out = os.path.join(os.path.dirname(os.path.abspath(path)), "compare.png")
    return [(save(plt, fig, out), "Every metric, column by column")]
