#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# tests/sweep/threads_e2e.sh VIGIL - `vigil sweep --threads N` gives the
# same findings, in the same order, as one thread, on a folder with a file
# whose matches overflow a job's record budget (swept again by the calling
# thread, skipping what was delivered), a gzip file and a plain file; and
# on one file large enough to be cut into ranges, with exact line numbers.
set -u
vigil=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() { # name condition-status
    if [ "$2" = 0 ]; then echo "ok - $1"; else echo "not ok - $1"; fail=1; fi
}
mkdir "$tmp/logs"
printf '10.1.1.1\nevil.example\n' >"$tmp/iocs.txt"
# a.log: 100,000 hits, over 4 MiB of records (about 70 bytes each)
awk 'BEGIN { for (i = 1; i <= 100000; i++) printf "%d src=10.1.1.1 ok\n", i }' \
    >"$tmp/logs/a.log"
printf 'q www.evil.example A\nq evil.example.org A\n' | gzip >"$tmp/logs/b.log.1.gz"
printf 'x 10.1.1.10\ny evil.example\nz 10.1.1.1\n' >"$tmp/logs/c.log"
for t in 1 2 3; do
    "$vigil" sweep --threads "$t" --iocs "$tmp/iocs.txt" --format jsonl \
        "$tmp/logs" >"$tmp/out.$t" 2>"$tmp/err.$t"
    echo "$?" >"$tmp/rc.$t"
done
check "one thread: exit 1 (findings)" "$([ "$(cat "$tmp/rc.1")" = 1 ]; echo $?)"
check "one thread: no errors" "$([ ! -s "$tmp/err.1" ]; echo $?)"
check "one thread: 100,003 findings" \
    "$([ "$(grep -c '"module":"sweep"' "$tmp/out.1")" = 100003 ]; echo $?)"
check "files in walk order: a, b, c" "$(grep -o '"path":"[^"]*"' "$tmp/out.1" |
    uniq | sed 's#.*/##' | tr -d '"' | tr '\n' ' ' |
    grep -qx 'a.log b.log.1.gz c.log '; echo $?)"
check "last finding: c.log line 3" "$(tail -n 1 "$tmp/out.1" |
    grep -q 'at line 3".*c.log'; echo $?)"
for t in 2 3; do
    check "$t threads: same output as one" "$(cmp -s "$tmp/out.1" "$tmp/out.$t"; echo $?)"
    check "$t threads: same exit status" "$(cmp -s "$tmp/rc.1" "$tmp/rc.$t"; echo $?)"
    check "$t threads: no errors" "$([ ! -s "$tmp/err.$t" ]; echo $?)"
done

# One large plain file (over 64 MiB) is cut at line ends into ranges swept
# in parallel: line numbers must still be the file's. Hits every 997th line,
# and a dense run of 100,000 hits (a range whose records overflow).
mkdir "$tmp/big"
awk 'BEGIN { for (i = 1; i <= 3300000; i++)
    if (i % 997 == 0 || (i >= 1000000 && i < 1100000))
        printf "%07d x 10.1.1.1 y\n", i
    else
        printf "%07d x 10.1.1.2 y\n", i }' >"$tmp/big/big.log"
awk 'BEGIN { for (i = 1; i <= 3300000; i++)
    if (i % 997 == 0 || (i >= 1000000 && i < 1100000)) print i }' >"$tmp/want.lines"
for t in 1 2; do
    "$vigil" sweep --threads "$t" --iocs "$tmp/iocs.txt" --format csv \
        "$tmp/big/big.log" >"$tmp/big.$t" 2>"$tmp/bigerr.$t"
    sed -n 's/.*IOC ipv4 10\.1\.1\.1 at line \([0-9]*\),.*/\1/p' "$tmp/big.$t" \
        >"$tmp/got.lines.$t"
done
check "large file: $(wc -l <"$tmp/want.lines") hits, at the right lines (1 thread)" \
    "$(cmp -s "$tmp/want.lines" "$tmp/got.lines.1"; echo $?)"
check "large file in ranges: same lines (2 threads)" \
    "$(cmp -s "$tmp/want.lines" "$tmp/got.lines.2"; echo $?)"
check "large file in ranges: same output (2 threads)" \
    "$(cmp -s "$tmp/big.1" "$tmp/big.2"; echo $?)"
check "large file: no errors" \
    "$([ ! -s "$tmp/bigerr.1" ] && [ ! -s "$tmp/bigerr.2" ]; echo $?)"
exit $fail
