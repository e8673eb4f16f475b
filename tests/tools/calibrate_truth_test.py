#!/usr/bin/env python3
"""`ratesim calibrate` against a known ground truth: logs from log_generator.py (its own token
buckets, rounded headers, a generic 429 message, no prompt size on refused attempts, the
anthropic-python retry rule, and an acceleration-style surge: refusals with room in every budget)
are calibrated, and the fit is checked against what the generator says really happened:
- each 429 cause inferred within 10% of the true count (a cause that never happened: at most 1%
  of the 429s), and at most 1% of the 429s left unknown;
- the prompt sizes' lognormal within 10% of the generator's median and sigma, although the
  requests that never succeeded (a fifth or more of them) never show their prompt;
- the fitted scenario, run as written (no variant), within 10% of the log's 429s and 20% of its
  requests given up;
- the acceleration setting follows the evidence: off without a surge, replayed with one.

  python3 tests/tools/calibrate_truth_test.py RATESIM    (exit 1 on a failure)
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
RATESIM = None
CAUSES = ("rpm", "itpm", "otpm", "acceleration")
PROMPT_MEDIAN, PROMPT_SIGMA = 2000, 0.5

# A quiet start, 20 minutes over the input budget (1.5 requests a second of median 2,000-token
# prompts against 100,000 a minute), then a quiet end with a surge of refusals for no budget.
BASE = ["--seed", "3", "--prompt-median", str(PROMPT_MEDIAN), "--prompt-sigma", str(PROMPT_SIGMA),
        "--phase", "5m:0.3/s", "--phase", "20m:1.5/s"]
LOGS = {
    # Every budget-caused 429 is input-token exhaustion.
    "input": BASE + ["--phase", "10m:0.4/s", "--surge", "28m:34m:0.4"],
    # A tight output budget as well: input and output 429s side by side.
    "input-and-output": BASE + ["--phase", "10m:0.2/s", "--surge", "28m:35m:0.5",
                                "--limits", "rpm=1000,itpm=100000,otpm=8000"],
    # No surge: nothing needs acceleration to explain it.
    "no-surge": BASE + ["--phase", "5m:0.3/s"],
}


def run(*argv):
    done = subprocess.run([RATESIM, *argv], capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise AssertionError(f"ratesim {' '.join(argv)} exited {done.returncode}: {done.stderr}")
    return done.stdout


class Calibrated:
    """One generated log, its truth, its calibration and a run of the fitted scenario."""

    def __init__(self, folder, name):
        log, truth = os.path.join(folder, name + ".jsonl"), os.path.join(folder, name + ".truth.json")
        subprocess.run([sys.executable, os.path.join(HERE, "log_generator.py"), "--out", log, "--truth", truth,
                        *LOGS[name]], check=True, timeout=600)
        with open(truth) as f:
            self.truth = json.load(f)
        fitted = os.path.join(folder, name, "fitted.yaml")
        self.fit = json.loads(run("calibrate", log, "--out", fitted, "--json", "--jobs", "2"))
        with open(fitted) as f:
            self.fitted = f.read()
        self.run = json.loads(run("run", fitted, "--json"))["total"]


class CalibrateAgainstTruth(unittest.TestCase):
    logs = {}

    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.TemporaryDirectory()
        for name in LOGS:
            cls.logs[name] = Calibrated(cls.folder.name, name)

    @classmethod
    def tearDownClass(cls):
        cls.folder.cleanup()

    def test_each_cause_is_inferred_within_10_percent(self):
        for name, c in self.logs.items():
            inferred = c.fit["models"][0]["causes"]
            total = c.truth["r429"]
            for cause in CAUSES:
                true = c.truth["causes"][cause]
                with self.subTest(log=name, cause=cause, true=true, inferred=inferred[cause]):
                    if true:
                        self.assertLessEqual(abs(inferred[cause] - true), 0.10 * true)
                    else:
                        self.assertLessEqual(inferred[cause], 0.01 * total)
            with self.subTest(log=name, unknown=inferred["unknown"]):
                self.assertLessEqual(inferred["unknown"], 0.01 * total)

    def test_the_logs_are_the_hard_case(self):
        # Many requests never succeed, so the log never shows their prompts; 429s say no budget.
        for name, c in self.logs.items():
            with self.subTest(log=name):
                self.assertGreater(c.truth["requests"]["given_up"], 0.2 * c.truth["requests"]["total"])
                self.assertGreater(c.truth["causes"]["itpm"], 500)
        self.assertGreater(self.logs["input-and-output"].truth["causes"]["otpm"], 1000)
        self.assertGreater(self.logs["input"].truth["causes"]["acceleration"], 20)

    def test_prompt_sizes_are_fitted_without_survivor_bias(self):
        for name, c in self.logs.items():
            sizes = c.fit["workloads"][0]["sizes"]["input_tokens"]
            yaml = sizes["yaml"]
            with self.subTest(log=name, fit=yaml):
                self.assertTrue(yaml.startswith("{lognormal: {median: "), yaml)
                median = float(yaml.split("median: ")[1].split(",")[0])
                sigma = float(yaml.split("sigma: ")[1].split("}")[0])
                self.assertLessEqual(abs(median - PROMPT_MEDIAN), 0.10 * PROMPT_MEDIAN)
                self.assertLessEqual(abs(sigma - PROMPT_SIGMA), 0.10 * PROMPT_SIGMA)
        # Where first attempts were refused for their size (not all of them are: with the output
        # budget exhausted a refusal tells nothing of the prompt), they enter the fit censored.
        self.assertGreater(self.logs["input"].fit["workloads"][0]["sizes"]["input_tokens"]["censored"], 100)

    def test_the_fitted_scenario_as_written_reproduces_the_log(self):
        for name, c in self.logs.items():
            logged_429, run_429 = c.truth["r429"], c.run["attempts"]["r429"]["total"]
            logged_gave_up, run_gave_up = c.truth["requests"]["given_up"], c.run["requests"]["gave_up"]
            with self.subTest(log=name, logged_429=logged_429, run_429=run_429,
                              logged_gave_up=logged_gave_up, run_gave_up=run_gave_up):
                self.assertLessEqual(abs(run_429 - logged_429), 0.10 * logged_429)
                self.assertLessEqual(abs(run_gave_up - logged_gave_up), 0.20 * logged_gave_up)

    def test_the_acceleration_setting_follows_the_evidence(self):
        quiet = self.logs["no-surge"].fitted
        self.assertIn("  acceleration: off   # no 429 needs acceleration to explain it", quiet)
        self.assertIn("moderate-acceleration: {provider.acceleration: {profile: moderate}}", quiet)
        surged = self.logs["input"].fitted
        self.assertIn("settings replayed, the closest to the log", surged)
        self.assertIn("no-acceleration: {provider.acceleration: off}", surged)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    RATESIM = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
