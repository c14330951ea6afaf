#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# bench/scan/run.sh - `vigil scan` speed, ours beside a peer on the same
# data in the same run (a benchmark, not a test):
#   1. the demo (demo/evidence): target under 1 s;
#   2. a generated offline Windows tree of VG_BENCH_GB gigabytes (default 5)
#      in /tmp, default targets: target under 60 s on 2 cores.
# Peer on the same places: the yara CLI (libyara, the same rules/yara, 2
# threads) and `cat` of the same files (the IO floor). The tree is made by
# gen_tree.py and deleted afterwards unless KEEP=1. VIGIL=path picks the
# binary (default build/vigil).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
vigil=${VIGIL:-$src/build/vigil}
gb=${VG_BENCH_GB:-5}
tree=${VG_BENCH_TREE:-/tmp/vigil-bench-scan}
[ -x "$vigil" ] || { echo "bench/scan: $vigil missing (build first)" >&2; exit 2; }

secs() { # secs CMD...: wall seconds of one run (output discarded)
    local t0 t1
    t0=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || true
    t1=$(date +%s.%N)
    echo "$t1 - $t0" | bc -l | xargs printf '%.3f'
}
best3() { # best of three runs
    local b=999999 t
    for _ in 1 2 3; do
        t=$(secs "$@")
        b=$(echo "if ($t < $b) $t else $b" | bc -l)
    done
    printf '%.3f' "$b"
}

echo "== vigil scan demo/evidence (target < 1 s)"
t=$(best3 "$vigil" scan --quiet --format jsonl "$src/demo/evidence")
echo "vigil scan:   ${t} s (best of 3)"

echo "== generated ${gb} GB offline Windows tree in $tree (target < 60 s, 2 cores)"
if [ ! -d "$tree" ]; then
    g0=$(date +%s)
    python3 "$here/gen_tree.py" "$tree" "$gb"
    echo "generated in $(( $(date +%s) - g0 )) s"
fi
echo "tree: $(du -sh "$tree" | cut -f1), $(find "$tree" -type f | wc -l) files"
places=("$tree/Users" "$tree/ProgramData" "$tree/Windows/Temp")
echo "default places: $(du -sch "${places[@]}" | tail -1 | cut -f1)"
sync
t=$(secs taskset -c 0,1 "$vigil" scan --quiet --threads 2 --format jsonl --output /dev/null "$tree")
echo "vigil scan:   ${t} s"
ext=(-d filename= -d filepath= -d extension= -d filetype= -d owner=)
yara_places() {
    for p in "${places[@]}"; do
        yara -r -p 2 "${ext[@]}" "$src"/rules/yara/*.yar "$p" || return 1
    done
}
if yara_places >/dev/null 2>"$tree.yara.err"; then
    t=$(secs taskset -c 0,1 bash -c "$(declare -f yara_places); $(declare -p places ext src); yara_places")
    echo "yara -r -p 2: ${t} s (peer: same rules, same places, YARA only, no hashing)"
else
    echo "yara -r -p 2: failed: $(head -1 "$tree.yara.err")"
fi
rm -f "$tree.yara.err"
t=$(secs bash -c "find $(printf "'%s' " "${places[@]}") -type f -print0 | xargs -0 cat")
echo "cat (IO floor): ${t} s"
"$vigil" scan --format text "$tree" 2>/dev/null | sed -n '2p;$p'
[ "${KEEP:-0}" = 1 ] || rm -rf "$tree"
