#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# bench/files/run.sh - `vigil files` against `yara -r -p N` on the same tree
# with the same rules and the same thread count, in one run, warm cache.
# Vigil also computes MD5, SHA-1 and SHA-256 of every file (--hash); yara
# only matches. Prints wall time, files/s, MB/s and peak RSS for both, and
# the ratio of wall times (vigil / yara; target <= 1.0).
#
#   bench/files/run.sh [TREE]            (default /usr/lib/x86_64-linux-gnu)
#   THREADS=N RULES=DIR VIGIL=PATH MAX_SIZE=BYTES REPEAT=K  (environment)
#
# Both tools skip files larger than MAX_SIZE for matching (yara -z); Vigil
# still hashes them. Symlinks are not followed by either (yara -N). This is
# a benchmark, not a test: it never fails on a slow result.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
tree=${1:-/usr/lib/x86_64-linux-gnu}
threads=${THREADS:-$(nproc)}
rules=${RULES:-$src/../shared/corpora/signature-base/yara}
vigil=${VIGIL:-$src/build/vigil}
max_size=${MAX_SIZE:-67108864}
repeat=${REPEAT:-3}

for tool in yara yarac /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "skipped: $tool not installed"; exit 0; }
done
[ -d "$rules" ] || { echo "skipped: rules not found: $rules"; exit 0; }
[ -x "$vigil" ] || { echo "build vigil first (cmake --build build): $vigil"; exit 1; }
[ -e "$tree" ] || { echo "tree not found: $tree"; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_CACHE_HOME="$work/cache"

# The same rule set for both: yarac with the Loki/THOR externals declared
# (signature-base needs them), and Vigil's own compiled-rules cache, both
# prepared before timing.
yarac -d filename= -d filepath= -d extension= -d filetype= -d owner= \
    $(find "$rules" -maxdepth 1 -type f \( -name '*.yar' -o -name '*.yara' \) | LC_ALL=C sort) \
    "$work/rules.yarc" 2>/dev/null
mkdir -p "$work/empty"
"$vigil" files --yara "$rules" --quiet --format jsonl --output /dev/null "$work/empty" || true

n_files=$(find "$tree" -type f | wc -l)
n_bytes=$(find "$tree" -type f -printf '%s\n' | awk '{s += $1} END {print s + 0}')
# warm the page cache for both
find "$tree" -type f -size -"$((max_size / 1024))"k -exec cat {} + >/dev/null 2>&1 || true

# run NAME CMD... : best wall time of REPEAT runs, peak RSS of that run
run() {
    local name=$1 best="" rss="" i
    shift
    for i in $(seq "$repeat"); do
        /usr/bin/time -f '%e %M' -o "$work/time" "$@" >/dev/null 2>"$work/err.$name" || true
        read -r wall kb <"$work/time"
        if [ -z "$best" ] || awk "BEGIN {exit !($wall < $best)}"; then
            best=$wall rss=$kb
        fi
    done
    echo "$best $rss"
}

read -r y_wall y_rss < <(run yara yara -C -r -N -p "$threads" -z "$max_size" \
    "$work/rules.yarc" "$tree")
read -r v_wall v_rss < <(run vigil "$vigil" files --yara "$rules" --hash \
    --threads "$threads" --priority normal --max-size "$max_size" \
    --format jsonl --quiet --output /dev/null "$tree")

report() { # name wall rss_kb
    awk -v n="$1" -v w="$2" -v r="$3" -v f="$n_files" -v b="$n_bytes" 'BEGIN {
        if (w <= 0) w = 0.01
        printf "%-6s wall %7.2f s  %9.0f files/s  %8.1f MB/s  peak RSS %7.1f MB\n",
               n, w, f / w, b / w / 1e6, r / 1024 }'
}
echo "tree: $tree ($n_files files, $(awk -v b="$n_bytes" 'BEGIN {printf "%.1f", b / 1e6}') MB)"
echo "rules: $rules; threads: $threads; best of $repeat; warm cache"
report yara "$y_wall" "$y_rss"
report vigil "$v_wall" "$v_rss"
awk -v v="$v_wall" -v y="$y_wall" 'BEGIN {
    if (y <= 0) y = 0.01
    printf "ratio vigil/yara: %.2f (target <= 1.0; vigil also hashes every file)\n", v / y }'
