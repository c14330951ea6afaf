#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# bench/evtx/run.sh [BUILD_DIR] - EVTX dump speed, side by side, in one run:
#   1. evtx-attack-samples (all files) to JSON Lines: vigil (1 and 2
#      threads) vs evtxexport (libevtx-utils, one process per file, as it
#      takes one file) vs python-evtx (evtx_dump.py, one process per file).
#   2. A >= 1 GiB file made by repeating the corpus's real chunks
#      (bench/evtx/mkbig.py, written to /tmp, never committed): vigil with 1
#      and 2 threads: wall time, MB/s, CPU time, peak RSS.
# Wall time is what users see; CPU time (user + sys) is shown too because
# the machine may be shared. Benchmarks are not tests: nothing here fails.
set -u
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
build=${1:-$src/build}
vigil=$build/vigil
corp=${VG_CORPORA:-$src/../shared/corpora}
attack=$corp/evtx-attack-samples
big=${VG_BENCH_BIG:-/tmp/vg-bench-1g.evtx}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

[ -x "$vigil" ] || { echo "no $vigil: build first"; exit 1; }
[ -d "$attack" ] || { echo "skipped: corpus not found: $attack"; exit 0; }

# run LABEL CMD...: prints "label wall cpu rss" using GNU time.
run() {
    local label=$1; shift
    /usr/bin/time -f "%e %U %S %M" -o "$out/t" "$@" >/dev/null 2>"$out/err"
    read -r wall user sys rss <"$out/t"
    cpu=$(echo "$user + $sys" | bc)
    printf "%-34s %9.2f s %9.2f s %8d KB\n" "$label" "$wall" "$cpu" "$rss"
    echo "$wall" >"$out/last"
}

per_file() { # per_file TOOL: one process per file, output discarded
    find "$attack" -name '*.evtx' -print0 | xargs -0 -n 1 "$@" >/dev/null 2>&1
}
export -f per_file
export attack

n_files=$(find "$attack" -name '*.evtx' | wc -l)
size=$(du -sb "$attack" | cut -f1)
echo "== evtx-attack-samples: $n_files files, $((size / 1048576)) MB, load $(cut -d' ' -f1-3 /proc/loadavg)"
printf "%-34s %11s %11s %11s\n" "tool" "wall" "cpu" "peak rss"
run "vigil evtx dump (1 thread)" "$vigil" evtx dump --quiet --threads 1 "$attack"
v1=$(cat "$out/last")
run "vigil evtx dump (2 threads)" "$vigil" evtx dump --quiet --threads 2 "$attack"
v2=$(cat "$out/last")
if command -v evtxexport >/dev/null; then
    run "evtxexport (libevtx)" bash -c 'per_file evtxexport'
    ee=$(cat "$out/last")
    echo "  evtxexport / vigil: $(echo "scale=1; $ee / $v1" | bc)x (1 thread), $(echo "scale=1; $ee / $v2" | bc)x (2 threads)"
else
    echo "evtxexport not installed (libevtx-utils): skipped"
fi
if [ -x /usr/bin/evtx_dump.py ]; then
    run "python-evtx (evtx_dump.py)" bash -c 'per_file /usr/bin/python3 /usr/bin/evtx_dump.py'
    py=$(cat "$out/last")
    echo "  python-evtx / vigil: $(echo "scale=1; $py / $v1" | bc)x (1 thread)"
else
    echo "python-evtx not installed (python3-evtx): skipped"
fi

echo
if [ ! -f "$big" ]; then
    python3 "$here/mkbig.py" "$big" 1024 "$attack" || exit 1
fi
bsize=$(stat -c %s "$big")
cat "$big" >/dev/null # page cache: measure parsing, not the disk
echo "== $big: $((bsize / 1048576)) MB (repeated real chunks), load $(cut -d' ' -f1-3 /proc/loadavg)"
printf "%-34s %11s %11s %11s %10s %10s\n" "tool" "wall" "cpu" "peak rss" "MB/s" "MB/cpu-s"
for t in 1 2; do
    /usr/bin/time -f "%e %U %S %M" -o "$out/t" "$vigil" evtx dump --quiet --threads $t "$big" >/dev/null
    read -r wall user sys rss <"$out/t"
    cpu=$(echo "$user + $sys" | bc)
    printf "%-34s %9.2f s %9.2f s %8d KB %10.0f %10.0f\n" "vigil evtx dump ($t thread$([ $t = 1 ] || echo s))" \
        "$wall" "$cpu" "$rss" "$(echo "$bsize / 1048576 / $wall" | bc -l)" \
        "$(echo "$bsize / 1048576 / $cpu" | bc -l)"
done
echo "(MB/cpu-s: MB parsed per CPU-second, i.e. one thread's MB/s on an idle machine)"
