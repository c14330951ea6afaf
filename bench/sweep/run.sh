#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# bench/sweep/run.sh [BUILD_DIR] - `vigil sweep` against `grep -F -f` and
# `rg -F -f` on the same generated log, in one run, for 10,000 and 100,000
# indicators (half IPv4 addresses, half domains).
#
# The log (VG_BENCH_MB megabytes, default 1024) is written by
# tests/tools/gen_sweeplog (deterministic: Squid, Apache combined, UFW and
# BIND lines) into a temporary folder under /tmp, which is removed at the
# end. The page cache is warmed first, so the figures are CPU, not disk.
#
# Figures: wall seconds, CPU seconds (user+sys) and MB/s per core
# (log size / CPU seconds). grep and rg search one file on one core; vigil
# runs once on one thread (the per-core figure) and once on every CPU (it
# cuts a large plain file into line-aligned ranges: the wall-time figure). Note what each tool does: grep -F/rg -F find raw substrings (no
# boundaries, no CIDR or subdomain semantics, no provenance); vigil sweep
# tokenises with boundaries, looks every candidate up in the IOC store and
# writes a JSON finding per match. grep runs in the C locale (its fastest).
# This is a benchmark, not a test: it never fails on speed.
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$src/build}
mb=${VG_BENCH_MB:-1024}
gen=$build/tools/gen_sweeplog
vigil=$build/vigil
for t in "$gen" "$vigil"; do
    [ -x "$t" ] || { echo "missing $t (build first)"; exit 2; }
done
have_rg=1
command -v rg >/dev/null || { have_rg=0; echo "rg not found: ripgrep column skipped"; }
work=$(mktemp -d /tmp/vg_sweep_bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

# run NAME CMD... : time one command; prints a row and keeps its output.
run() {
    local name=$1; shift
    local t0 t1 cpu
    t0=$(date +%s.%N)
    /usr/bin/time -f "%U %S" -o "$work/time" "$@" >"$work/$name.out" 2>"$work/$name.err" || true
    t1=$(date +%s.%N)
    cpu=$(awk '{print $1 + $2}' "$work/time" | tail -n 1)
    awk -v n="$name" -v w="$(echo "$t1 - $t0" | bc)" -v c="$cpu" \
        -v mb="$size_mb" -v hits="$(wc -l <"$work/$name.out")" \
        'BEGIN { printf "  %-12s wall %7.2f s  cpu %7.2f s  %8.0f MB/s per core  (%s output lines)\n",
                 n, w, c, (c > 0 ? mb / c : 0), hits }'
}

printf 'vigil sweep benchmark: %s MB log, %s\n' "$mb" "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
printf 'load average at start: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
for n in 10000 100000; do
    "$gen" -s 42 -m "$mb" -n "$n" -r 2000 "$work/log" "$work/iocs"
    size_mb=$(( $(stat -c %s "$work/log") / 1048576 ))
    cat "$work/log" >/dev/null
    echo "$n indicators ($(wc -l <"$work/iocs") lines), ${size_mb} MB:"
    run vigil-1t "$vigil" sweep --threads 1 --iocs "$work/iocs" --format jsonl --quiet "$work/log"
    run vigil-Nt "$vigil" sweep --threads "$(nproc)" --iocs "$work/iocs" --format jsonl --quiet "$work/log"
    run grep env LC_ALL=C grep -F -f "$work/iocs" "$work/log"
    if [ $have_rg = 1 ]; then
        run rg rg -F -f "$work/iocs" "$work/log"
    fi
    rm -f "$work"/*.out "$work/log"
done

# ---- a folder of rotated gzip logs: files in parallel ----
# 8 gzip files (VG_BENCH_MB/4 MB inflated in all) with 10,000 indicators:
# vigil with one thread and with all (--threads shares out files), next to
# `rg -z -F -f` (ripgrep inflates and searches files in parallel too).
# Figures: wall seconds (the point is the wall time) and CPU seconds.
gz_mb=$(( mb / 4 ))
"$gen" -s 7 -m "$gz_mb" -n 10000 -r 2000 "$work/log" "$work/iocs"
mkdir -p "$work/rot"
split -n l/8 -d -a 1 "$work/log" "$work/rot/access.log."
for f in "$work"/rot/access.log.*; do gzip -1 "$f"; done
rm -f "$work/log"
size_mb=$gz_mb
cat "$work"/rot/* >/dev/null
echo "8 rotated gzip logs, ${gz_mb} MB inflated, 10000 indicators, $(nproc) CPUs:"
run vigil-1t "$vigil" sweep --threads 1 --iocs "$work/iocs" --format jsonl --quiet "$work/rot"
run vigil-Nt "$vigil" sweep --threads "$(nproc)" --iocs "$work/iocs" --format jsonl --quiet "$work/rot"
if cmp -s "$work/vigil-1t.out" "$work/vigil-Nt.out"; then
    echo "  (same output with 1 and $(nproc) threads)"
else
    echo "  OUTPUT DIFFERS between 1 and $(nproc) threads"
fi
if [ $have_rg = 1 ]; then
    run rg-z rg -z -F -f "$work/iocs" "$work/rot"
fi
