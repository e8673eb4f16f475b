#!/usr/bin/env bash
# Runs `ratesim check` on every scenario in scenarios/ against its committed baseline in
# tests/baselines/ with no tolerance, so any change in behaviour fails until the baselines are
# refreshed on purpose (docs/ci.md). Also enforces each scenario's own expect: bounds.
# Usage: tools/check-scenarios.sh [RATESIM_BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
ratesim="${1:-build/ratesim}"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
failed=0
for file in scenarios/*.yaml; do
  name=$(basename "$file" .yaml)
  if "$ratesim" check "$file" --baseline "tests/baselines/$name.summary.json" --tolerance 0% >"$out" 2>&1; then
    echo "check $name: $(tail -n 1 "$out")"
  else
    failed=1
    echo "check $name FAILED:"
    grep -E "^FAIL|error|:[0-9]+:[0-9]+:" "$out" || cat "$out"
  fi
done
if [ "$failed" -ne 0 ]; then
  echo "Some scenarios changed behaviour. If the change is intended, refresh the baselines:"
  echo "  tools/refresh-baselines.sh   and review the diff of tests/baselines/ before committing it."
fi
exit "$failed"
