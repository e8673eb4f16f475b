"""What every chart shares: reading CSV, readable units, saving."""
import csv
import math
import re


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def number(text):
    """A CSV cell as a float; empty cells are NaN."""
    return float(text) if text not in ("", None) else float("nan")


def time_unit(span_s):
    """(seconds per unit, unit name) for an axis spanning span_s seconds."""
    if span_s <= 3 * 60:
        return 1.0, "s"
    if span_s <= 3 * 3600:
        return 60.0, "min"
    if span_s <= 3 * 86400:
        return 3600.0, "h"
    return 86400.0, "d"


def duration_unit(largest_s):
    """(seconds per unit, unit name) for durations up to largest_s seconds."""
    if not largest_s or math.isnan(largest_s) or largest_s <= 120:
        return 1.0, "s"
    if largest_s <= 2 * 3600:
        return 60.0, "min"
    return 3600.0, "h"


_DURATION = re.compile(r"^(\d+(?:\.\d+)?(?:us|ms|s|m|h|d))+$")
_PART = re.compile(r"(\d+(?:\.\d+)?)(us|ms|s|m|h|d)")
_SECONDS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}


def numeric_value(text):
    """A grid value as a number: plain numbers as they are, durations (90s, 1h30m) in seconds,
    rates (20/s, 1200/min) per second; None when it is neither (a preset name, a YAML list)."""
    t = text.strip()
    try:
        return float(t)
    except ValueError:
        pass
    if _DURATION.match(t):
        return sum(float(n) * _SECONDS[u] for n, u in _PART.findall(t))
    m = re.match(r"^(\d+(?:\.\d+)?)/(s|sec|m|min|h|hr|hour|d|day)$", t)
    if m:
        per = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hr": 3600, "hour": 3600, "d": 86400, "day": 86400}
        return float(m.group(1)) / per[m.group(2)]
    return None


def save(plt, fig, path):
    if fig._suptitle is not None:
        fig.tight_layout(rect=(0, 0, 1, 0.96))
    else:
        fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    print("wrote", path)
    return path
