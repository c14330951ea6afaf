#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# bench/rmm/run.sh - time `vigil rmm` on an offline Windows tree of N files
# (default 200,000; built in /tmp by tests/tools/rmm_fixture, never
# committed) and print it next to a baseline on the same tree in the same
# run. No peer tool inventories RMM relays (docs: PEERS.md), so the
# baseline is what a walking scanner must do at least: GNU find walking
# every file and matching the catalog's binary names. Warm cache, best of 3.
# Target: vigil under 5 s.
#   usage: bench/rmm/run.sh [BUILD_DIR] [N_FILES]
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$src/build}
n=${2:-200000}
vigil=$build/vigil
fixture=$build/tools/rmm_fixture
[ -x "$vigil" ] && [ -x "$fixture" ] || { echo "build first: $vigil, $fixture"; exit 2; }
tmp=$(mktemp -d /tmp/vg_rmm_bench_XXXXXX)
trap 'rm -rf "$tmp"' EXIT

echo "building an offline Windows tree of $n files in $tmp ..."
"$fixture" --bench "$tmp/root" "$n"
files=$(find "$tmp/root" -type f | wc -l)
echo "tree: $files files"

best() { # best wall time of 3 runs of "$@", seconds
    local b=""
    for _ in 1 2 3; do
        local t0 t1
        t0=$(date +%s.%N)
        "$@" >/dev/null 2>&1 || true
        t1=$(date +%s.%N)
        b=$(echo "$t0 $t1 ${b:-999}" | awk '{d=$2-$1; print (d<$3)?d:$3}')
    done
    echo "$b"
}

# catalog binary names as fixed-string patterns for the baseline
grep -E '^bin ' "$src/rules/rmm/catalog" | sed 's/^bin //' | tr '|' '\n' |
    sed 's/^ *//; s/ *$//; s/\*//g' | grep -v '^$' | sed 's#^#/#' >"$tmp/names"

find_walk() { find "$tmp/root" -type f | grep -i -F -f "$tmp/names"; }

t_vigil=$(best "$vigil" rmm --quiet --format jsonl "$tmp/root")
found=$("$vigil" rmm --format jsonl "$tmp/root" | grep -c '"vigil.rmm.inventory"' || true)
t_find=$(best find_walk)
printf '%-52s %8s s  (%s tools inventoried)\n' "vigil rmm (catalog path probes)" "$t_vigil" "$found"
printf '%-52s %8s s\n' "baseline: find full walk + grep of catalog names" "$t_find"
corp=${VG_CORPORA:-$src/../shared/corpora}
if [ -d "$corp/lolrmm/yaml" ]; then
    t_lol=$(best "$vigil" rmm --quiet --format jsonl --catalog "$corp/lolrmm/yaml" "$tmp/root")
    printf '%-52s %8s s\n' "vigil rmm + LOLRMM catalog (326 tools)" "$t_lol"
fi
awk -v t="$t_vigil" 'BEGIN { if (t < 5.0) print "target < 5 s: met"; else print "target < 5 s: MISSED" }'
