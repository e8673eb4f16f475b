"""Charts of a fit (ratesim calibrate --report DIR) and of a backtest (ratesim backtest --out DIR)."""
import json
import math
import os

from .common import number, read_csv, save, time_unit

OBSERVED = "#4C72B0"
SIMULATED = "#DD8452"


def _qq(ax, fitted, observed, title, unit_label):
    """A quantile–quantile panel: each point is one quantile, fitted across, observed up."""
    pts = [(f, o) for f, o in zip(fitted, observed) if not (math.isnan(f) or math.isnan(o))]
    if not pts:
        ax.set_visible(False)
        return
    lo = min(min(p) for p in pts)
    hi = max(max(p) for p in pts)
    ax.plot([lo, hi], [lo, hi], color="gray", linewidth=1, linestyle="--", label="perfect fit")
    ax.scatter([p[0] for p in pts], [p[1] for p in pts], s=10, color=OBSERVED, label="quantiles 0.5% … 99.5%")
    ax.set_title(title, fontsize=9)
    ax.set_xlabel(f"fitted ({unit_label})", fontsize=8)
    ax.set_ylabel(f"observed ({unit_label})", fontsize=8)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7)


def plot_calibrate(plt, folder):
    """latency-qq.png and sizes-qq.png in the report folder; returns [(png, caption)]."""
    with open(os.path.join(folder, "report.json")) as f:
        report = json.load(f)
    charts = []
    qq = read_csv(os.path.join(folder, "qq.csv"))
    models = [m["model"] for m in report["models"] if any(r["model"] == m["model"] for r in qq)]
    if models:
        fig, axes = plt.subplots(1, len(models), figsize=(4.6 * len(models), 4.2), squeeze=False)
        for ax, model in zip(axes.flat, models):
            rows = [r for r in qq if r["model"] == model]
            m = next(x for x in report["models"] if x["model"] == model)
            lat = m["latency"]
            _qq(ax, [number(r["fitted_ttft_s"]) for r in rows], [number(r["observed_ttft_s"]) for r in rows],
                f"{model}: lognormal median {lat['ttft_median_s']:.3g} s, sigma {lat['ttft_sigma']:.2f}\n"
                f"(KS {lat['ttft_ks']:.3f}; {lat['n']:,} successes; output {lat['output_tps']:.3g} tok/s)", "s")
        fig.suptitle("Time to first token: observed against the fitted lognormal", fontsize=11)
        charts.append((save(plt, fig, os.path.join(folder, "latency-qq.png")),
                       "Time to first token, observed quantiles against the fitted lognormal's"))
    sizes = read_csv(os.path.join(folder, "sizes.csv"))
    streams = []
    for r in sizes:
        if r["workload"] not in streams:
            streams.append(r["workload"])
    fields = ["input_tokens", "output_tokens", "max_tokens"]
    if streams:
        fig, axes = plt.subplots(len(streams), 3, figsize=(13, 3.6 * len(streams)), squeeze=False)
        forms = {w["name"]: w["sizes"] for w in report["workloads"]}
        for i, stream in enumerate(streams):
            for j, field in enumerate(fields):
                rows = [r for r in sizes if r["workload"] == stream and r["field"] == field]
                fit = forms.get(stream, {}).get(field, {})
                ks = fit.get("ks")
                note = f"KS {ks['distance']:.3f} (1% critical {ks['critical_1pct']:.3f})" if ks else "all equal"
                if fit.get("censored"):  # observed: the Kaplan-Meier estimate, censored values allowed for
                    note = f"KS {ks['distance']:.3f} against Kaplan-Meier, {fit['censored']:,} censored"
                _qq(axes[i][j], [number(r["fitted"]) for r in rows], [number(r["observed"]) for r in rows],
                    f"{stream} · {field}: {fit.get('form', '?')}\n{note}, n {fit.get('n', 0):,}", "tokens")
        fig.suptitle("Token sizes: observed against the fitted distributions", fontsize=11)
        charts.append((save(plt, fig, os.path.join(folder, "sizes-qq.png")),
                       "Token sizes, observed quantiles against the fitted distribution's"))
    return charts


def plot_backtest(plt, folder):
    """backtest.png in the backtest folder; returns [(png, caption)]."""
    with open(os.path.join(folder, "backtest.json")) as f:
        bt = json.load(f)
    rows = read_csv(os.path.join(folder, "backtest.csv"))
    minutes = [number(r["minute"]) for r in rows]
    unit, name = time_unit(60 * (max(minutes) + 1) if minutes else 60)
    t = [60 * m / unit for m in minutes]
    panels = [("ok", "successful attempts per minute"), ("429", "429s per minute")]
    if any(number(r["observed_529"]) or number(r["simulated_529"]) for r in rows):
        panels.append(("529", "529s per minute"))
    fig, axes = plt.subplots(len(panels), 1, figsize=(11, 2.9 * len(panels)), sharex=True, squeeze=False)
    errors = bt["error"]
    for ax, (key, title) in zip(axes.flat, panels):
        obs = [number(r[f"observed_{key}"]) for r in rows]
        sim = [number(r[f"simulated_{key}"]) for r in rows]
        ax.step(t, obs, where="post", color=OBSERVED, linewidth=1.4, label=f"observed (log): {sum(obs):,.0f}")
        ax.step(t, sim, where="post", color=SIMULATED, linewidth=1.4, linestyle="--",
                label=f"simulated: {sum(sim):,.0f}")
        ax.set_title(title, fontsize=9)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8, loc="upper right")
    axes.flat[-1].set_xlabel(f"time of the attempt ({name})")
    tol = bt["tolerance"] * 100
    names = {"requests.ok": "requests ok", "requests.gave_up": "given up", "attempts.r429.total": "429s"}
    # An error is null against a log's 0 (n/a).
    gated = ", ".join(f"{names.get(m, m)} " + ("n/a" if errors.get(m) is None else f"{errors[m] * 100:+.1f}%")
                      for m in bt["gated"])
    verdict = "pass" if bt["pass"] else "FAIL"
    fig.suptitle(f"Backtest: {verdict} at {tol:g}% ({gated})", fontsize=11)
    return [(save(plt, fig, os.path.join(folder, "backtest.png")), "Per minute, the log against the simulation")]
