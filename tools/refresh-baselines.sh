#!/usr/bin/env bash
# Rewrites tests/baselines/<scenario>.summary.json from the current build, after a deliberate
# change in behaviour. Review `git diff tests/baselines/` before committing: every changed
# number is a behaviour change someone should be able to explain.
set -euo pipefail
cd "$(dirname "$0")/.."
RATESIM_UPDATE_BASELINES=1 build/tests/ratesim_tests "[baselines]" >/dev/null
git status --short tests/baselines/
