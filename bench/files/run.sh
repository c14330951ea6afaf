#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# bench/files/run.sh - `vigil files` against `yara -r -p N` on the same tree
# with the same rules and the same thread count, in one run, warm cache.
# Vigil also hashes every file, once with SHA-256 (--hash=sha256) and once
# with MD5, SHA-1 and SHA-256 (--hash); yara only matches. Prints wall time,
# files/s, MB/s and peak RSS for each, and the ratios of wall times
# (vigil / yara; target <= 1.0).
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

# One timed run: "wall cpu rss_kb" (cpu = user + system seconds).
once() {
    local name=$1
    shift
    /usr/bin/time -f '%e %U %S %M' -o "$work/time" "$@" >/dev/null 2>"$work/err.$name" || true
    awk '{printf "%s %.2f %s\n", $1, $2 + $3, $4}' "$work/time"
}

# yara and the two vigil runs alternate, REPEAT times each, so a change in
# machine load hits all alike; the best wall time of each is kept (with its
# CPU time and peak RSS). Vigil runs twice: with SHA-256 of every file
# (--hash=sha256: an inventory record per clean file) and with all three
# digests (--hash: MD5 + SHA-1 + SHA-256, what Loki hash lists need).
best() { # name wall cpu rss: keep the row with the lowest wall time
    eval "local cur=\${w_$1:-}"
    if [ -z "$cur" ] || awk "BEGIN {exit !($2 < $cur)}"; then
        eval "w_$1=$2 c_$1=$3 r_$1=$4"
    fi
}
vigil_run() { # name --hash option
    once "$1" "$vigil" files --yara "$rules" "$2" \
        --threads "$threads" --priority normal --max-size "$max_size" \
        --format jsonl --quiet --output /dev/null "$tree"
}
for i in $(seq "$repeat"); do
    read -r w c r < <(once yara yara -C -r -N -p "$threads" -z "$max_size" \
        "$work/rules.yarc" "$tree")
    best yara "$w" "$c" "$r"
    read -r w c r < <(vigil_run sha256 --hash=sha256)
    best sha256 "$w" "$c" "$r"
    read -r w c r < <(vigil_run all --hash)
    best all "$w" "$c" "$r"
done

report() { # name wall cpu rss_kb
    awk -v n="$1" -v w="$2" -v c="$3" -v r="$4" -v f="$n_files" -v b="$n_bytes" 'BEGIN {
        if (w <= 0) w = 0.01
        printf "%-26s wall %7.2f s  cpu %7.2f s  %7.0f files/s  %7.1f MB/s  peak RSS %7.1f MB\n",
               n, w, c, f / w, b / w / 1e6, r / 1024 }'
}
ratio() { # label wall cpu
    awk -v l="$1" -v v="$2" -v y="$w_yara" -v vc="$3" -v yc="$c_yara" 'BEGIN {
        if (y <= 0) y = 0.01
        if (yc <= 0) yc = 0.01
        printf "ratio vigil/yara, %-24s wall %.2f (target <= 1.0), cpu %.2f\n", l ":", v / y, vc / yc }'
}
echo "tree: $tree ($n_files files, $(awk -v b="$n_bytes" 'BEGIN {printf "%.1f", b / 1e6}') MB)"
echo "rules: $rules; threads: $threads; best of $repeat, alternating; warm cache; load now: $(cut -d' ' -f1-3 /proc/loadavg)"
report yara "$w_yara" "$c_yara" "$r_yara"
report "vigil + SHA-256" "$w_sha256" "$c_sha256" "$r_sha256"
report "vigil + MD5, SHA-1, SHA-256" "$w_all" "$c_all" "$r_all"
ratio "SHA-256 of every file" "$w_sha256" "$c_sha256"
ratio "all three digests" "$w_all" "$c_all"
