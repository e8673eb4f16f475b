#!/usr/bin/env python3
"""Checks of log_generator.py's own arithmetic, each derived by hand, so the reference that tests
`ratesim calibrate` is itself tested. Runs the generator's command line into a temporary folder.

  python3 tests/tools/log_generator_test.py     (exit 1 on a failure; last line "N passed, M failed")
"""
import io
import json
import os
import sys
import tempfile
import unittest
from contextlib import redirect_stderr
from datetime import datetime

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import log_generator  # noqa: E402

GENERIC = "Your account has hit a rate limit."


def seconds(rfc3339):
    return datetime.strptime(rfc3339, "%Y-%m-%dT%H:%M:%S.%f%z").timestamp()


class Generated:
    """The log's lines and the truth of one run of the command line."""

    def __init__(self, *argv):
        with tempfile.TemporaryDirectory() as d:
            out, truth = os.path.join(d, "log.jsonl"), os.path.join(d, "truth.json")
            self.status = log_generator.main(["--out", out, "--truth", truth, *argv])
            if self.status == 0:
                with open(out) as f:
                    self.text = f.read()
                self.lines = [json.loads(line) for line in self.text.splitlines()]
                with open(truth) as f:
                    self.truth = json.load(f)

    def of(self, request):
        return [line for line in self.lines if line["request_id"] == request]


class HandWorkedRefusal(unittest.TestCase):
    # itpm = 6,000: a bucket of 6,000 tokens refilled at 6,000/60 = 100 tokens/s. Four requests of
    # exactly 2,000 tokens arrive at t = 0: three fit (3 x 2,000 = 6,000, leaving 0); the fourth
    # needs 2,000 with 0 left, a wait of (2,000 - 0)/100 = 20 s. rpm (1,000) and otpm (20,000) have
    # room for all four, so itpm is the cause. No retries: the fourth gives up.
    def setUp(self):
        self.run_ = Generated("--seed", "1", "--limits", "itpm=6000", "--burst", "4", "--prompt-median", "2000",
                              "--prompt-sigma", "0", "--max-retries", "0")

    def test_exactly_three_pass_and_the_fourth_is_refused_for_itpm_with_retry_after_20(self):
        t = self.run_.truth
        self.assertEqual((t["attempts"], t["ok"], t["r429"]), (4, 3, 1))
        self.assertEqual(t["causes"], {"rpm": 0, "itpm": 1, "otpm": 0, "acceleration": 0})
        self.assertEqual(t["requests"], {"total": 4, "ok": 3, "given_up": 1})
        [refused] = self.run_.of("r3")
        self.assertEqual(refused["status"], 429)
        self.assertEqual(refused["headers"]["retry-after"], "20")
        self.assertEqual(refused["headers"]["x-should-retry"], "true")
        self.assertEqual(refused["headers"]["anthropic-ratelimit-input-tokens-remaining"], "0")
        self.assertEqual(refused["error"], {"type": "rate_limit_error", "message": GENERIC})

    def test_the_headers_count_down_the_three_that_pass(self):
        # Remaining after each admitted prompt: 4,000, 2,000, 0; requests 999, 998, 997 (no refill at t = 0).
        ok = sorted((line for line in self.run_.lines if line["status"] == 200), key=lambda l: l["request_id"])
        remaining = [(l["headers"]["anthropic-ratelimit-input-tokens-remaining"],
                      l["headers"]["anthropic-ratelimit-requests-remaining"]) for l in ok]
        self.assertEqual(remaining, [("4000", "999"), ("2000", "998"), ("0", "997")])
        # Empty by 6,000 tokens at 100/s: full again 60 s after 09:00:00.
        self.assertEqual(ok[2]["headers"]["anthropic-ratelimit-input-tokens-reset"], "2026-11-02T09:01:00Z")
        self.assertEqual([l["usage"]["input_tokens"] for l in ok], [2000, 2000, 2000])


class ProviderArithmetic(unittest.TestCase):
    def provider(self, **limits):
        return log_generator.Provider({"rpm": 1000, "itpm": 100_000, "otpm": 20_000, **limits}, [], None)

    def test_the_hand_worked_case_leaves_the_input_bucket_exactly_empty(self):
        p = self.provider(itpm=6000)
        self.assertEqual([p.decide(0.0, 2000)[0] for _ in range(3)], [None, None, None])
        self.assertEqual(p.buckets[1].level, 0.0)
        self.assertEqual(p.decide(0.0, 2000)[:2], ("itpm", 20))
        # 2,000 tokens refill in exactly 20 s: then the fourth fits.
        self.assertEqual(p.decide(20.0, 2000)[0], None)

    def test_ties_go_to_rpm_then_itpm_then_otpm(self):
        # rpm = 60 (1 request/s), itpm = 6,000 (100 tokens/s): sixty 100-token requests empty both;
        # the 61st waits 1/1 = 1 s for a request and 100/100 = 1 s for its tokens: a tie, rpm's.
        p = self.provider(rpm=60, itpm=6000)
        for _ in range(60):
            self.assertIsNone(p.decide(0.0, 100)[0])
        self.assertEqual(p.decide(0.0, 100)[:2], ("rpm", 1))
        # One token short of a tie (101 tokens wait 1.01 s): itpm's, retry-after rounded up to 2.
        self.assertEqual(p.decide(0.0, 101)[:2], ("itpm", 2))

    def test_output_is_debited_when_the_response_completes_and_may_overdraw(self):
        # otpm = 600 (10 tokens/s). Two requests each need one token of room at t = 0 and pass;
        # each produces 1,000 tokens, debited at t = 11 from a full bucket: 600 - 2,000 = -1,400.
        # A request then waits (1 + 1,400)/10 = 140.1 s: retry-after 141, remaining shown as "0".
        p = self.provider(otpm=600)
        self.assertEqual([p.decide(0.0, 100)[0] for _ in range(2)], [None, None])
        self.assertEqual(p.buckets[2].level, 600.0)
        p.complete(11.0, 1000)
        p.complete(11.0, 1000)
        self.assertEqual(p.buckets[2].level, -1400.0)
        cause, retry_after, headers = p.decide(11.0, 100)
        self.assertEqual((cause, retry_after, headers[2][1]), ("otpm", 141, 0))


class Rounding(unittest.TestCase):
    def test_token_remainders_round_to_the_nearest_thousand_half_up_never_below_zero(self):
        cases = {1499: 1000, 1500: 2000, 499.9: 0, 500: 1000, 2500: 3000, 0: 0, -350: 0, 100000: 100000}
        for tokens, written in cases.items():
            self.assertEqual(log_generator.round_thousands(tokens), written, tokens)


class RetryRule(unittest.TestCase):
    def test_a_retry_after_within_60_seconds_is_obeyed_exactly(self):
        for taken in (0, 1):
            self.assertEqual(log_generator.sdk_retry_delay(taken, 3, 0.7), 3.0)
            self.assertEqual(log_generator.sdk_retry_delay(taken, 60, 0.7), 60.0)

    def test_past_60_seconds_the_sdk_backoff_is_used_instead(self):
        # min(0.5 x 2^k, 8) x (1 - 0.25 U): k = 0 gives [0.375, 0.5], k = 1 [0.75, 1.0], k = 5 is capped at 8.
        self.assertEqual(log_generator.sdk_retry_delay(0, 75, 0.0), 0.5)
        self.assertEqual(log_generator.sdk_retry_delay(0, 75, 0.5), 0.4375)
        self.assertEqual(log_generator.sdk_retry_delay(1, 75, 0.0), 1.0)
        self.assertEqual(log_generator.sdk_retry_delay(5, None, 0.0), 8.0)
        self.assertEqual(log_generator.sdk_retry_delay(0, None, 0.0), 0.5)

    def test_a_429_with_retry_after_3_is_retried_3_seconds_after_its_response(self):
        # itpm = 6,000 (100 tokens/s): twenty 300-token prompts empty the bucket at t = 0; the 21st
        # waits 300/100 = 3 s. Its 429 comes back after the refusal latency (0.05 s); the retry goes
        # 3 s later, when 305 tokens have refilled: it passes.
        run = Generated("--seed", "1", "--limits", "itpm=6000", "--burst", "21", "--prompt-median", "300",
                        "--prompt-sigma", "0")
        first, second = run.of("r20")
        self.assertEqual((first["status"], first["headers"]["retry-after"], second["status"]), (429, "3", 200))
        response = seconds(first["time"]) + first["latency_s"]
        self.assertAlmostEqual(seconds(second["time"]) - response, 3.0, delta=0.001)

    def test_a_429_with_retry_after_75_is_retried_after_the_sdk_backoff(self):
        # A 13,500-token prompt against a full 6,000 bucket waits (13,500 - 6,000)/100 = 75 s, past the
        # SDK's 60: it backs off 0.5 x (1 - 0.25 U) s, then 1.0 x (1 - 0.25 U) s, and gives up.
        run = Generated("--seed", "3", "--limits", "itpm=6000", "--burst", "1", "--prompt-median", "13500",
                        "--prompt-sigma", "0")
        lines = run.of("r0")
        self.assertEqual([l["headers"]["retry-after"] for l in lines], ["75", "75", "75"])
        for k, (before, after) in enumerate(zip(lines, lines[1:])):
            slept = seconds(after["time"]) - (seconds(before["time"]) + before["latency_s"])
            self.assertGreaterEqual(slept, 0.375 * 2**k - 0.001)
            self.assertLessEqual(slept, 0.5 * 2**k + 0.001)
        self.assertEqual(run.truth["requests"]["given_up"], 1)


class TruthAgreesWithTheLog(unittest.TestCase):
    # Three minutes, saturating itpm (5/s x ~2,270 tokens > 1,667 tokens/s) with a surge in the third.
    ARGS = ("--seed", "7", "--phase", "1m:0.3/s", "--phase", "2m:5/s", "--surge", "2m:3m:0.3")

    @classmethod
    def setUpClass(cls):
        cls.run_ = Generated(*cls.ARGS)

    def test_the_cause_counts_sum_to_the_429s_in_the_log(self):
        t = self.run_.truth
        refused = sum(1 for line in self.run_.lines if line["status"] == 429)
        self.assertEqual(sum(t["causes"].values()), refused)
        self.assertEqual(t["r429"], refused)
        self.assertEqual(t["attempts"], len(self.run_.lines))
        self.assertGreater(t["causes"]["itpm"], 0)
        self.assertGreater(t["causes"]["acceleration"], 0)
        self.assertEqual(sum(m["r429"] for m in t["per_minute"]), refused)
        self.assertEqual(t["requests"]["ok"] + t["requests"]["given_up"], t["requests"]["total"])

    def test_no_refused_line_carries_a_prompt_size(self):
        for line in self.run_.lines:
            if line["status"] == 429:
                self.assertNotIn("usage", line)
                self.assertNotIn("input_tokens", json.dumps(line))

    def test_a_success_reports_its_requests_true_prompt(self):
        for line in self.run_.lines:
            if line["status"] == 200:
                self.assertEqual(line["usage"]["input_tokens"], self.run_.truth["prompts"][line["request_id"]])

    def test_the_log_is_in_the_order_responses_came_back(self):
        ends = [seconds(line["time"]) + line["latency_s"] for line in self.run_.lines]
        self.assertTrue(all(a <= b + 0.001 for a, b in zip(ends, ends[1:])))

    def test_an_acceleration_refusal_comes_with_room_in_every_budget(self):
        # With every budget 429 naming its budget, the generic messages are the surge's refusals.
        # Their headers show room: a request, the true prompt within the thousands rounding (500),
        # an output token; and they ask for 10 s.
        run = Generated(*self.ARGS, "--name-budget-fraction", "1")
        surge = [l for l in run.lines if l["status"] == 429 and l["error"]["message"] == GENERIC]
        self.assertEqual(len(surge), run.truth["causes"]["acceleration"])
        for line in surge:
            h = line["headers"]
            self.assertGreaterEqual(int(h["anthropic-ratelimit-requests-remaining"]), 1)
            self.assertGreaterEqual(int(h["anthropic-ratelimit-input-tokens-remaining"]) + 500,
                                    run.truth["prompts"][line["request_id"]])
            self.assertGreaterEqual(int(h["anthropic-ratelimit-output-tokens-remaining"]) + 500, 1)
            self.assertEqual(h["retry-after"], "10")

    def test_the_same_seed_writes_the_same_bytes(self):
        self.assertEqual(Generated(*self.ARGS).text, self.run_.text)

    def test_a_named_budget_message_names_the_true_cause(self):
        run = Generated(*self.ARGS, "--name-budget-fraction", "1")
        named = sum(1 for l in run.lines if l["status"] == 429 and "input tokens per minute" in l["error"]["message"])
        self.assertEqual(named, run.truth["causes"]["itpm"])
        self.assertIn("This request would exceed the rate limit for your organization of 100,000 input tokens "
                      "per minute.", {l["error"]["message"] for l in run.lines if l["status"] == 429})


class Bounds(unittest.TestCase):
    def test_more_than_two_million_attempts_is_refused_with_a_message(self):
        with tempfile.TemporaryDirectory() as d, redirect_stderr(io.StringIO()) as err:
            status = log_generator.main(["--seed", "1", "--out", os.path.join(d, "l"), "--truth",
                                         os.path.join(d, "t"), "--phase", "1h:1000/s"])
            self.assertEqual(os.listdir(d), [])
        self.assertEqual(status, 2)
        self.assertEqual(err.getvalue(), "log_generator: more than 2,000,000 attempts; shorten --duration or lower "
                                         "the --phase rates (about 3,600,000 requests expected)\n")


if __name__ == "__main__":
    tests = unittest.defaultTestLoader.loadTestsFromModule(sys.modules[__name__])
    result = unittest.TextTestRunner(verbosity=2).run(tests)
    failed = len(result.failures) + len(result.errors)
    print(f"{result.testsRun - failed} passed, {failed} failed")
    sys.exit(1 if failed or not result.wasSuccessful() else 0)
