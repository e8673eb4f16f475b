#!/usr/bin/env bash
# SIGINT and SIGTERM stop ratesim cleanly: exit 130 / 143, a message saying where it stopped,
# and no output left behind — no temporaries, no half-written files, no folder it created.
# Usage: signal_test.sh RATESIM_BINARY SOURCE_DIR
set -uo pipefail
ratesim="$1"
src="$2"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
long="$src/bench/one_hour_1000rps.yaml"   # about 3 s of work per simulated hour

passed=0
failed=0
check() { if eval "$2"; then passed=$((passed + 1)); else echo "FAILED: $1"; failed=$((failed + 1)); fi; }

# SIGINT during run --out into a new folder.
"$ratesim" run "$long" --set duration=10h --out "$dir/new/run" >"$dir/out1" 2>"$dir/err1" &
pid=$!
sleep 1
kill -INT "$pid"
wait "$pid"
code=$?
check "run stopped by SIGINT exits 130 (got $code)" '[ "$code" -eq 130 ]'
check "it says where it stopped" 'grep -q "interrupted by SIGINT at .* s of 36000.0 s simulated; no output was written" "$dir/err1"'
check "the folder it created is gone" '[ ! -e "$dir/new" ]'

# SIGTERM during run --out into a folder that exists: the folder stays, empty.
mkdir -p "$dir/kept"
"$ratesim" run "$long" --set duration=10h --requests --out "$dir/kept" >/dev/null 2>"$dir/err2" &
pid=$!
sleep 1
kill -TERM "$pid"
wait "$pid"
code=$?
check "run stopped by SIGTERM exits 143 (got $code)" '[ "$code" -eq 143 ]'
check "an existing folder is kept, with nothing in it" '[ -d "$dir/kept" ] && [ -z "$(ls -A "$dir/kept")" ]'

# SIGINT during a compare with --out: no column folder, no compare.csv.
"$ratesim" compare "$src/scenarios/documents.yaml" --replications 50 --out "$dir/cmp" >/dev/null 2>"$dir/err3" &
pid=$!
sleep 1
kill -INT "$pid"
wait "$pid"
code=$?
check "compare stopped by SIGINT exits 130 (got $code)" '[ "$code" -eq 130 ]'
check "compare leaves nothing" '[ ! -e "$dir/cmp" ]'
check "no temporary anywhere" '[ -z "$(find "$dir" -name "*.tmp-*")" ]'

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
