#!/usr/bin/env bash
# docs/scale-out.md's GNU parallel recipe, run as written: 8 shards of a sweep merged into the
# exact bytes of the unsharded sweep; parts in another order merge the same; a missing part, a
# part given twice and a part of another sweep are refused with exit 2.
# Usage: scale_out_test.sh RATESIM_BINARY SOURCE_DIR
set -euo pipefail
ratesim="$1"
src="$2"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
command -v parallel >/dev/null || { echo "FAILED: GNU parallel is missing (./setup.sh installs it)"; exit 1; }

# The recipe runs from the project's folder: build/ratesim, scenarios/, out/.
mkdir -p "$dir/build"
ln -s "$ratesim" "$dir/build/ratesim"
ln -s "$src/scenarios" "$dir/scenarios"
cd "$dir"
recipe=$(awk '/^## GNU parallel/{f=1} f&&/^```sh/{g=1;next} g&&/^```/{exit} g' "$src/docs/scale-out.md")
[ -n "$recipe" ] || { echo "FAILED: no GNU parallel recipe in docs/scale-out.md"; exit 1; }
bash -euo pipefail -c "$recipe" >/dev/null

passed=0
failed=0
pass() { passed=$((passed + 1)); }
fail() { echo "FAILED: $1"; failed=$((failed + 1)); }

[ "$(ls out/parts | wc -l)" = 8 ] && pass || fail "the recipe did not write 8 parts"
build/ratesim sweep scenarios/documents.yaml \
  --grid workloads.documents.client.semaphore.limit=4,8,16,32 \
  --grid workloads.documents.client.retry.max_retries=2,4 \
  --replications 5 --out out/whole.csv >/dev/null
cmp -s out/whole.csv out/documents-sweep.csv && pass || fail "merged parts differ from the unsharded sweep"
build/ratesim merge out/parts/part-8.csv out/parts/part-3.csv out/parts/part-1.csv out/parts/part-6.csv \
  out/parts/part-2.csv out/parts/part-7.csv out/parts/part-5.csv out/parts/part-4.csv --out out/shuffled.csv >/dev/null
cmp -s out/whole.csv out/shuffled.csv && pass || fail "parts in another order merge differently"

code=0
build/ratesim merge out/parts/part-1.csv out/parts/part-2.csv --out out/x.csv >/dev/null 2>out/err || code=$?
[ "$code" = 2 ] && grep -q "missing: 3, 4, 5, 6, 7, 8" out/err && pass || fail "a missing part was not refused (exit $code)"
code=0
build/ratesim merge out/parts/part-*.csv out/parts/part-1.csv --out out/x.csv >/dev/null 2>out/err || code=$?
[ "$code" = 2 ] && grep -q "given twice" out/err && pass || fail "a repeated part was not refused (exit $code)"
build/ratesim sweep scenarios/documents.yaml --grid workloads.documents.client.semaphore.limit=4,8,16,32 \
  --grid workloads.documents.client.retry.max_retries=2,4 --replications 5 --seed 9 --shard 2/8 \
  --out out/foreign.csv >/dev/null
code=0
build/ratesim merge out/parts/part-1.csv out/foreign.csv out/parts/part-[3-8].csv --out out/x.csv >/dev/null 2>out/err || code=$?
[ "$code" = 2 ] && grep -q "does not belong with" out/err && pass || fail "a foreign part was not refused (exit $code)"
[ ! -e out/x.csv ] && pass || fail "a refused merge left a file behind"

for bad in 0/8 9/8 3 x/y; do
  code=0
  build/ratesim sweep scenarios/documents.yaml --grid workloads.documents.client.semaphore.limit=4,8 --shard "$bad" \
    --out out/y.csv >/dev/null 2>&1 || code=$?
  [ "$code" = 2 ] && pass || fail "--shard $bad was not refused (exit $code)"
done

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
