#!/usr/bin/python3
"""Charts and an HTML report for ratesim outputs.

    tools/plot.py DIR [--html]        a run folder (ratesim run --out DIR): traffic, budget use,
                                      latency, cost and concurrency charts, and a tornado chart when
                                      DIR has a sensitivity.csv (ratesim run --sensitivity --out DIR)
    tools/plot.py DIR [--html]        a search folder (ratesim search --out DIR): search.png
    tools/plot.py DIR [--html]        a fit report (ratesim calibrate --report DIR): latency-qq.png
                                      and sizes-qq.png (observed against fitted quantiles)
    tools/plot.py DIR [--html]        a backtest folder (ratesim backtest --out DIR): backtest.png
    tools/plot.py FILE.csv [--html]   a compare.csv (ratesim compare --out DIR): compare.png;
                                      a sweep CSV (ratesim sweep --out FILE): one chart per metric
                                      and an answer chart (completed requests, time, cost per
                                      completed request); a sensitivity.csv: the tornado chart

PNGs are written beside the input. --html also writes report.html there: one self-contained
page with the tables, the diagnosis, the assumptions and every chart embedded (no network needed
to view it). A folder or file it cannot read (no summary.json for --html on a run folder, none of the
files above) is an error on stderr naming it and what was expected, exit status 2. Needs matplotlib (Debian: python3-matplotlib, installed by ./setup.sh).
"""
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


def fail(message):
    """Bad input: one line on stderr, exit status 2 (as for a wrong command line)."""
    print(f"plot.py: {message}", file=sys.stderr)
    return 2


# What --html reads besides the charts, per kind of folder: (file, what writes it).
REPORT_NEEDS = {"run": ("summary.json", "ratesim run --out"), "calibrate": ("report.txt", "ratesim calibrate --report")}


def main(argv):
    args = [a for a in argv[1:] if a != "--html"]
    html = "--html" in argv[1:]
    if len(args) != 1 or args[0] in ("-h", "--help"):
        print(__doc__)
        return 0 if args and args[0] in ("-h", "--help") else 2
    target = args[0]
    plt = _matplotlib()
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from ratesim_plot import calibrate_charts, compare_charts, html_report, run_charts, search_charts, sweep_charts

    if os.path.isdir(target) and html:
        problem = missing_for_report(target)
        if problem:
            return fail(problem)
    if os.path.isdir(target):
        if os.path.exists(os.path.join(target, "timeseries.csv")):
            kind, charts = "run", run_charts.plot_run(plt, target)
        elif os.path.exists(os.path.join(target, "search.json")):
            kind, charts = "search", search_charts.plot_search(plt, os.path.join(target, "search.json"))
            target = os.path.join(target, "search.json")
        elif os.path.exists(os.path.join(target, "backtest.json")):
            kind, charts = "backtest", calibrate_charts.plot_backtest(plt, target)
        elif os.path.exists(os.path.join(target, "qq.csv")) and os.path.exists(os.path.join(target, "report.json")):
            kind, charts = "calibrate", calibrate_charts.plot_calibrate(plt, target)
        elif os.path.exists(os.path.join(target, "compare.csv")):
            target = os.path.join(target, "compare.csv")
            kind, charts = "compare", compare_charts.plot_compare(plt, target)
        else:
            return fail(f"{target} has no timeseries.csv, search.json, backtest.json, report.json or compare.csv "
                        f"(write them with ratesim run, search, backtest or compare --out {target}, or calibrate --report {target})")
    elif target.endswith(".csv") and os.path.exists(target):
        with open(target) as f:
            first = f.readline()
        if first.startswith("point,"):
            kind, charts = "sweep", sweep_charts.plot_sweep(plt, target)
        elif first.startswith("assumption,"):
            kind, charts = None, [(run_charts.sensitivity(plt, target), "How much each assumption matters")]
        else:
            kind, charts = "compare", compare_charts.plot_compare(plt, target)
    elif target.endswith("search.json") and os.path.exists(target):
        kind, charts = "search", search_charts.plot_search(plt, target)
    else:
        return fail(f"{target}: expected a run or search folder, a compare.csv, a sweep CSV or a sensitivity.csv")
    if html:
        if kind is None:
            return fail("--html needs a run folder (its sensitivity.csv is included there)")
        html_report.write_report(kind, target, charts)
    return 0


def missing_for_report(folder):
    """Why --html cannot write a report for this folder, or None. Checked before any chart is drawn,
    so that a folder missing its summary fails at once and says what it lacks."""
    if os.path.exists(os.path.join(folder, "timeseries.csv")):
        kind = "run"
    elif os.path.exists(os.path.join(folder, "qq.csv")) and os.path.exists(os.path.join(folder, "report.json")):
        kind = "calibrate"
    else:
        return None
    needed, writer = REPORT_NEEDS[kind]
    if os.path.exists(os.path.join(folder, needed)):
        return None
    return (f"--html: {folder} has no {needed}, which the report's tables come from "
            f"(expected a folder written by {writer} {folder}; without --html the charts need only its CSV files)")


if __name__ == "__main__":
    sys.exit(main(sys.argv))
