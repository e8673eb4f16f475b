#!/usr/bin/env python3
"""Attempts logs from a known ground truth, for testing `ratesim calibrate`.

An independent reference: it shares no code with ratesim. It has its own token buckets, its own
client retry rule and its own event loop, and writes a JSON Lines log the way a recorder built on
the Anthropic SDK writes one, beside a truth file that says what really happened.

What it models:
- Provider: per-minute budgets rpm, itpm and otpm, each a token bucket holding one minute of its
  limit, full at the start, refilled continuously at limit/60 per second. An attempt needs one
  request, its whole prompt in input tokens, and one token of output room; the output it produces
  is debited when the response completes, so the output bucket may go negative ("actual"
  accounting). A bucket short of room refuses with a 429 whose cause is the budget that needs the
  longest to refill (ties in the order rpm, itpm, otpm) and whose retry-after is that wait rounded
  up to whole seconds, at least 1. During a surge window an attempt that every bucket admits is
  still refused with probability P: cause `acceleration`, retry-after 10 s (room in every budget).
  An admitted attempt takes ttft + output/tps seconds, ttft lognormal; a refusal comes back after
  a fixed refusal latency.
- Headers: as of the decision, after the attempt's own debits. Token `remaining` is rounded to the
  nearest thousand, half up (1,499 -> "1000", 1,500 -> "2000"), requests to whole requests rounded
  down; never below 0. `reset` is when the bucket would be full again, in whole seconds rounded up.
- Traffic: Poisson arrivals in phases of constant rate (the last phase goes on to the end), plus
  an optional burst at time zero; prompts lognormal(median, sigma) in whole tokens >= 1; output
  uniform on [a, b] tokens, clipped to max_tokens.
- Client: the Anthropic Python SDK's default retry rule (anthropics/anthropic-sdk-python,
  src/anthropic/_base_client.py `_should_retry`, `_calculate_retry_timeout`, `_sleep_for_retry`;
  src/anthropic/_constants.py). DEFAULT_MAX_RETRIES = 2 (3 attempts). It retries 429 and 5xx and
  obeys `x-should-retry` (this provider's 429s send "true"). Before retry k (k = retries already
  taken: 0, 1) it sleeps min(0.5 * 2^k, 8) * (1 - 0.25 U), U uniform on [0, 1), except that a
  retry-after with 0 < value <= 60 seconds is obeyed exactly. A request out of retries gives up.
  Each request is its own caller: no concurrency cap, no client-side queue.
- Log: one line per attempt in the order the responses came back. Like the SDK-based recorders,
  a refused attempt's line carries no prompt size (no usage, no input_tokens).

What it deliberately leaves out: prompt caching, more than one model, workspaces, spend limits,
529 overloads and timeouts, streaming (no ttft_s in the log), and the combined
anthropic-ratelimit-tokens-* headers.

Deterministic for a seed: each kind of draw has its own named random stream, so changing one
option (say, the surge probability) does not reshuffle the others.

  python3 tests/tools/log_generator.py --seed 1 --out log.jsonl --truth truth.json \\
      --phase 5m:0.5/s --phase 15m:10/s --phase 10m:1/s --surge 22m:27m:0.3
"""
import argparse
import calendar
import heapq
import json
import math
import os
import random
import re
import sys
import time

MAX_ATTEMPTS = 2_000_000
MODEL = "claude-sonnet-4-6"
# (cause, header name, what the budget counts): the one table of budgets, in tie order.
BUDGETS = (("rpm", "requests", "requests per minute"),
           ("itpm", "input-tokens", "input tokens per minute"),
           ("otpm", "output-tokens", "output tokens per minute"))
CAUSES = tuple(b[0] for b in BUDGETS) + ("acceleration",)
GENERIC_MESSAGE = "Your account has hit a rate limit."
SURGE_RETRY_AFTER = 10
# The SDK's constants (src/anthropic/_constants.py).
SDK_MAX_RETRIES, INITIAL_RETRY_DELAY, MAX_RETRY_DELAY = 2, 0.5, 8.0


def parse_duration(text):
    """Seconds in '90', '90s', '30m', '1.5h', '500ms'."""
    m = re.fullmatch(r"(\d+(?:\.\d+)?)(ms|s|m|min|h)?", text.strip())
    if not m:
        raise argparse.ArgumentTypeError(f"'{text}' is not a duration: expected e.g. 90s, 30m, 1h")
    return float(m.group(1)) * {"ms": 0.001, "s": 1, None: 1, "m": 60, "min": 60, "h": 3600}[m.group(2)]


def parse_rate(text):
    """Arrivals per second in '2', '2/s', '120/min', '120/m', '7200/h'."""
    m = re.fullmatch(r"(\d+(?:\.\d+)?)(?:/(s|m|min|h))?", text.strip())
    if not m:
        raise argparse.ArgumentTypeError(f"'{text}' is not a rate: expected e.g. 2/s, 120/min")
    return float(m.group(1)) / {"s": 1, None: 1, "m": 60, "min": 60, "h": 3600}[m.group(2)]


def parse_phase(text):
    duration, _, rate = text.partition(":")
    return parse_duration(duration), parse_rate(rate)


def parse_surge(text):
    parts = text.split(":")
    if len(parts) != 3:
        raise argparse.ArgumentTypeError(f"'{text}' is not a surge: expected START:END:P, e.g. 20m:25m:0.3")
    p = float(parts[2])
    if not 0 <= p <= 1:
        raise argparse.ArgumentTypeError(f"surge probability {p} is not in [0, 1]")
    return parse_duration(parts[0]), parse_duration(parts[1]), p


def parse_limits(text):
    limits = {"rpm": 1000, "itpm": 100_000, "otpm": 20_000}
    for item in filter(None, text.split(",")):
        name, _, value = item.partition("=")
        if name not in limits or not value.isdigit() or int(value) <= 0:
            raise argparse.ArgumentTypeError(f"'{item}' is not a limit: expected rpm=N, itpm=N or otpm=N, N > 0")
        limits[name] = int(value)
    return limits


def parse_pair(text, kind=float):
    a, _, b = text.partition(":")
    return kind(a), kind(b)


def parse_start(text):
    try:
        return calendar.timegm(time.strptime(text, "%Y-%m-%dT%H:%M:%SZ"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a start time: expected e.g. 2026-11-02T09:00:00Z")


def round_thousands(tokens):
    """A token budget's `remaining` header: the nearest thousand, half up, never below 0."""
    return int(math.floor(max(0.0, tokens) / 1000 + 0.5)) * 1000


def sdk_retry_delay(retries_taken, retry_after, u):
    """Seconds the SDK sleeps before its next attempt (`_calculate_retry_timeout`).

    retries_taken: retries already made (0 before the first retry); retry_after: the header's
    value in seconds or None; u: a uniform draw on [0, 1)."""
    if retry_after is not None and 0 < retry_after <= 60:
        return float(retry_after)
    return min(INITIAL_RETRY_DELAY * 2.0 ** retries_taken, MAX_RETRY_DELAY) * (1 - 0.25 * u)


class Bucket:
    """One minute of a per-minute limit, refilled continuously; the level may go negative."""
    __slots__ = ("limit", "rate", "level", "t")

    def __init__(self, limit):
        self.limit, self.rate, self.level, self.t = limit, limit / 60.0, float(limit), 0.0

    def refill(self, now):
        self.level = min(self.limit, self.level + (now - self.t) * self.rate)
        self.t = now

    def wait(self, need):
        """Seconds until `need` fits; zero if it fits now."""
        return 0.0 if self.level >= need else (need - self.level) / self.rate

    def header(self, tokens):
        """(limit, remaining, seconds until full) as the response reports them."""
        remaining = round_thousands(self.level) if tokens else max(0, math.floor(self.level))
        return self.limit, remaining, (self.limit - self.level) / self.rate


class Provider:
    """Decides attempts against the three buckets and the surge windows."""

    def __init__(self, limits, surges, rng):
        self.buckets = [Bucket(limits[name]) for name, _, _ in BUDGETS]
        self.surges, self.rng = surges, rng

    def decide(self, now, prompt):
        """(cause or None, retry-after or None, headers) for an attempt sent at `now`."""
        for b in self.buckets:
            b.refill(now)
        cause, longest = None, 0.0
        for (name, _, _), b, need in zip(BUDGETS, self.buckets, (1, prompt, 1)):
            w = b.wait(need)
            if w > longest:
                cause, longest = name, w
        if cause is None and any(s <= now < e for s, e, _ in self.surges):
            p = max(p for s, e, p in self.surges if s <= now < e)
            if self.rng.random() < p:
                cause, longest = "acceleration", SURGE_RETRY_AFTER
        if cause is None:
            self.buckets[0].level -= 1
            self.buckets[1].level -= prompt
        headers = [b.header(i > 0) for i, b in enumerate(self.buckets)]
        retry_after = None if cause is None else max(1, math.ceil(longest - 1e-9))
        return cause, retry_after, headers

    def complete(self, now, output):
        b = self.buckets[2]
        b.refill(now)
        b.level -= output


def rfc3339(unix_seconds, millis=True):
    if not millis:
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(math.ceil(unix_seconds - 1e-9)))
    ms = int(math.floor(unix_seconds * 1000 + 0.5))
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ms // 1000)) + f".{ms % 1000:03d}Z"


def arrivals(args, rng):
    """Arrival times: the burst at zero, then Poisson in phases, until args.duration."""
    for _ in range(args.burst):
        yield 0.0
    t, phase_start = 0.0, 0.0
    for i, (length, rate) in enumerate(args.phase):
        end = args.duration if i == len(args.phase) - 1 else min(args.duration, phase_start + length)
        while rate > 0:
            t += rng.expovariate(rate)
            if t >= end:
                break
            yield t
        t = phase_start = end  # memoryless: the next phase starts afresh at its boundary
        if end >= args.duration:
            return


def message(cause, limits, rng, fraction):
    if cause != "acceleration" and fraction > 0 and rng.random() < fraction:
        per = next(b[2] for b in BUDGETS if b[0] == cause)
        return f"This request would exceed the rate limit for your organization of {limits[cause]:,} {per}."
    return GENERIC_MESSAGE


class TooManyAttempts(Exception):
    pass


ARRIVE, SEND, RESPOND = 0, 1, 2  # event kinds; simultaneous events run in the order pushed


def simulate(args, log):
    """Runs the event loop, writes the log to `log` and returns the truth as a dict."""
    rng = {name: random.Random(f"{args.seed}:{name}")
           for name in ("arrival", "prompt", "output", "ttft", "surge", "jitter", "message")}
    provider = Provider(args.limits, args.surge, rng["surge"])
    mu_prompt, mu_ttft = math.log(args.prompt_median), math.log(args.ttft[0])
    prompts, outputs, succeeded = [], [], []
    counts = {"attempts": 0, "ok": 0, "r429": 0, "causes": dict.fromkeys(CAUSES, 0), "given_up": 0}
    per_minute = {}
    attempt_causes = {}  # "r7#2": the cause of request r7's second attempt's 429
    events, seq = [], 0
    source = arrivals(args, rng["arrival"])

    def push(t, kind, r=None, attempt=0, detail=None):
        nonlocal seq
        heapq.heappush(events, (t, seq, kind, r, attempt, detail))
        seq += 1

    def send(now, r, attempt):
        counts["attempts"] += 1
        if counts["attempts"] > MAX_ATTEMPTS:
            raise TooManyAttempts
        cause, retry_after, headers = provider.decide(now, prompts[r])
        if cause is None:
            ttft = math.exp(mu_ttft + args.ttft[1] * rng["ttft"].gauss(0, 1))
            end = now + ttft + outputs[r] / args.tps
        else:
            end = now + args.refusal_latency
        push(end, RESPOND, r, attempt, (now, counts["attempts"], cause, retry_after, headers))

    def arrive(now):
        r = len(prompts)
        prompts.append(max(1, int(math.exp(mu_prompt + args.prompt_sigma * rng["prompt"].gauss(0, 1)) + 0.5)))
        outputs.append(min(args.max_tokens, rng["output"].randint(*args.output)))
        succeeded.append(False)
        send(now, r, 1)
        following = next(source, None)
        if following is not None:
            push(following, ARRIVE)

    def respond(now, r, attempt, detail):
        sent, ordinal, cause, retry_after, headers = detail
        if cause is None:
            provider.complete(now, outputs[r])
            succeeded[r] = True
            line = log_line(args, r, attempt, sent, now, ordinal, headers, usage=(prompts[r], outputs[r]))
        else:
            error = message(cause, args.limits, rng["message"], args.name_budget_fraction)
            line = log_line(args, r, attempt, sent, now, ordinal, headers, retry_after=retry_after, error=error)
            counts["causes"][cause] += 1
            attempt_causes[f"r{r}#{attempt}"] = cause
            if attempt <= args.max_retries:  # the 429 says x-should-retry: true, and a retry is left
                push(now + sdk_retry_delay(attempt - 1, retry_after, rng["jitter"].random()), SEND, r, attempt + 1)
            else:
                counts["given_up"] += 1
        status = "ok" if cause is None else "r429"
        counts[status] += 1
        minute = per_minute.setdefault(int(sent // 60), {"ok": 0, "r429": 0, **dict.fromkeys(CAUSES, 0)})
        minute[status] += 1
        if cause is not None:
            minute[cause] += 1
        log.write(json.dumps(line, separators=(",", ":")) + "\n")

    first = next(source, None)
    if first is not None:
        push(first, ARRIVE)
    while events:
        now, _, kind, r, attempt, detail = heapq.heappop(events)
        if kind == ARRIVE:
            arrive(now)
        elif kind == SEND:
            send(now, r, attempt)
        else:
            respond(now, r, attempt, detail)
    assert counts["ok"] + counts["given_up"] == len(prompts), "every request ends, once"
    return truth(args, counts, prompts, succeeded, per_minute, attempt_causes)


def log_line(args, r, attempt, sent, end, ordinal, headers, usage=None, retry_after=None, error=None):
    """One attempt as an SDK-based recorder writes it: a success with `usage` (prompt, output), or a
    refusal with `retry_after` and the `error` message, which, like the API's body, has no usage,
    so the log never learns a refused attempt's prompt."""
    line = {"time": rfc3339(args.start + sent), "request_id": f"r{r}", "attempt": attempt, "model": MODEL,
            "status": 200 if usage else 429, "latency_s": round(end - sent, 6), "max_tokens": args.max_tokens}
    if usage:
        line["usage"] = {"input_tokens": usage[0], "output_tokens": usage[1],
                         "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0}
    h = line["headers"] = {}
    for (_, name, _), (limit, remaining, full_in) in zip(BUDGETS, headers):
        h[f"anthropic-ratelimit-{name}-limit"] = str(limit)
        h[f"anthropic-ratelimit-{name}-remaining"] = str(remaining)
        h[f"anthropic-ratelimit-{name}-reset"] = rfc3339(args.start + sent + full_in, millis=False)
    if error:
        h["retry-after"], h["x-should-retry"] = str(retry_after), "true"
    h["request-id"] = f"req_{ordinal:024x}"
    if error:
        line["error"] = {"type": "rate_limit_error", "message": error}
    return line


def truth(args, counts, prompts, succeeded, per_minute, attempt_causes):
    n, ordered = len(prompts), sorted(prompts)
    logs = [math.log(p) for p in prompts]
    mean = sum(logs) / n if n else 0.0
    return {
        "parameters": {
            "seed": args.seed, "start": rfc3339(args.start), "duration_s": args.duration, "burst": args.burst,
            "phases": [{"duration_s": d, "rate_per_s": r} for d, r in args.phase],
            "limits": args.limits, "model": MODEL, "max_tokens": args.max_tokens,
            "prompt": {"median": args.prompt_median, "sigma": args.prompt_sigma},
            "output": list(args.output), "ttft": {"median_s": args.ttft[0], "sigma": args.ttft[1]},
            "tokens_per_s": args.tps, "refusal_latency_s": args.refusal_latency,
            "surges": [{"start_s": s, "end_s": e, "p": p} for s, e, p in args.surge],
            "max_retries": args.max_retries, "name_budget_fraction": args.name_budget_fraction},
        "attempts": counts["attempts"], "ok": counts["ok"], "r429": counts["r429"], "causes": counts["causes"],
        "requests": {"total": n, "ok": sum(succeeded), "given_up": counts["given_up"]},
        # The true distribution, and the sample drawn from it (every request's prompt, refused or not).
        "prompt": {"median": args.prompt_median, "sigma": args.prompt_sigma,
                   "sample_median": ordered[n // 2] if n else None,
                   "sample_sigma": math.sqrt(sum((x - mean) ** 2 for x in logs) / n) if n else None},
        "prompts": {f"r{r}": p for r, p in enumerate(prompts)},
        "per_minute": [{"minute": m, **per_minute[m]} for m in sorted(per_minute)],
        "attempt_causes": attempt_causes,
    }


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--out", required=True, help="the attempts log to write (JSON Lines)")
    p.add_argument("--truth", required=True, help="the ground truth to write (JSON)")
    p.add_argument("--duration", type=parse_duration, help="arrivals stop then (default: the phases' total, or 30m)")
    p.add_argument("--phase", type=parse_phase, action="append", default=[], metavar="DURATION:RATE",
                   help="Poisson arrivals at RATE (2/s, 120/min) for DURATION; repeatable (default 2/s throughout)")
    p.add_argument("--burst", type=int, default=0, help="requests all arriving at time zero, like a backlog")
    p.add_argument("--limits", type=parse_limits, default=parse_limits(""), help="rpm=1000,itpm=100000,otpm=20000")
    p.add_argument("--prompt-median", type=float, default=2000)
    p.add_argument("--prompt-sigma", type=float, default=0.5)
    p.add_argument("--output", type=lambda t: parse_pair(t, int), default=(100, 400), metavar="A:B")
    p.add_argument("--max-tokens", type=int, default=1024)
    p.add_argument("--ttft", type=parse_pair, default=(0.6, 0.4), metavar="MEDIAN:SIGMA", help="seconds, lognormal")
    p.add_argument("--tps", type=float, default=80, help="output tokens per second once streaming")
    p.add_argument("--refusal-latency", type=float, default=0.05, help="seconds a 429 takes to come back")
    p.add_argument("--surge", type=parse_surge, action="append", default=[], metavar="START:END:P")
    p.add_argument("--max-retries", type=int, default=SDK_MAX_RETRIES)
    p.add_argument("--name-budget-fraction", type=float, default=0.0,
                   help="the fraction of budget 429s whose message names the budget")
    p.add_argument("--start", type=parse_start, default=parse_start("2026-11-02T09:00:00Z"))
    args = p.parse_args(argv)
    if args.duration is None:
        args.duration = sum(d for d, _ in args.phase) if args.phase else 1800.0
    if not args.phase and not args.burst:
        args.phase = [(args.duration, 2.0)]
    if args.prompt_median < 1 or args.prompt_sigma < 0 or args.ttft[0] <= 0 or args.ttft[1] < 0 or args.tps <= 0:
        p.error("--prompt-median must be >= 1, --ttft's median and --tps > 0, the sigmas >= 0")
    if not 1 <= args.output[0] <= args.output[1] or args.max_tokens < 1 or args.max_retries < 0:
        p.error("--output A:B needs 1 <= A <= B; --max-tokens >= 1; --max-retries >= 0")
    if not 0 <= args.name_budget_fraction <= 1:
        p.error("--name-budget-fraction must be in [0, 1]")
    return args


def expected_requests(args):
    total, t = float(args.burst), 0.0
    for i, (length, rate) in enumerate(args.phase):
        end = args.duration if i == len(args.phase) - 1 else min(args.duration, t + length)
        total, t = total + rate * max(0.0, end - t), end
    return total


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    too_many = (f"log_generator: more than {MAX_ATTEMPTS:,} attempts; "
                "shorten --duration or lower the --phase rates")
    if expected_requests(args) > MAX_ATTEMPTS:
        print(f"{too_many} (about {expected_requests(args):,.0f} requests expected)", file=sys.stderr)
        return 2
    partial = args.out + ".partial"
    try:
        with open(partial, "w") as log:
            result = simulate(args, log)
    except TooManyAttempts:
        os.remove(partial)
        print(too_many, file=sys.stderr)
        return 2
    os.replace(partial, args.out)
    with open(args.truth, "w") as f:
        json.dump(result, f, indent=1)
        f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
