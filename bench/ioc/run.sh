#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# bench/ioc/run.sh - IOC store benchmark (not a test). Builds bench_ioc.c
# against the build's libvigil.a, generates 1 million indicators and prints
# import time, bytes per indicator and lookups/s; then the peer on the same
# data in the same run: a Python set (what Loki keeps its IOCs in) for load
# and membership tests, and GNU grep -Fxf for bulk matching.
# Usage: bench/ioc/run.sh [N] (default 1000000); BUILD=build by default.
set -eu
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-$src/build}
n=${1:-1000000}
lib="$build/lib/libvigil.a"
[ -f "$lib" ] || { echo "build first: cmake -S . -B build && cmake --build build"; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
libs=$(pkg-config --libs jansson libpcre2-8 libcrypto zlib yara yaml-0.1 hivex)
cc -std=c11 -O2 -D_DEFAULT_SOURCE -I"$src/include" -I"$src/lib" \
   "$src/bench/ioc/bench_ioc.c" "$lib" $libs -lpthread -lm -o "$work/bench_ioc"

echo "== vigil (libvigil IOC store), $(nproc) cores visible, single-thread figures"
"$work/bench_ioc" "$n" "$work"

echo "== peer on the same data"
if command -v python3 >/dev/null; then
    python3 - "$work/iocs.txt" "$work/queries.txt" <<'PY'
import sys, time
t = time.process_time()
s = set()
with open(sys.argv[1]) as f:
    for line in f:
        v = line.strip().lower()
        if v:
            s.add(v)
t1 = time.process_time()
print(f"python3 set (Loki-style) load:  {t1 - t:.3f} s CPU for {len(s)} values "
      f"(exact strings only: no refang, no types, no CIDR/subdomain)")
q = [l.strip() for l in open(sys.argv[2])]
t = time.process_time()
hits = 0
for _ in range(4):
    for v in q:
        if v.lower() in s:
            hits += 1
t1 = time.process_time()
print(f"python3 set lookup sha256:      {4 * len(q) / (t1 - t) / 1e6:.1f} M/s CPU time (hits {hits})")
PY
else
    echo "python3 not found: peer skipped"
fi
# grep -F builds one automaton over all values; 100k queries keep it short
head -n 100000 "$work/queries.txt" >"$work/q100k.txt"
t0=$(date +%s.%N)
m=$(grep -cFxf "$work/iocs.txt" "$work/q100k.txt" || true)
t1=$(date +%s.%N)
echo "grep -cFxf (GNU grep $(grep --version | head -1 | awk '{print $NF}')): $(echo "$t1 - $t0" | bc) s wall to match 100000 queries against $n values ($m hits)"
