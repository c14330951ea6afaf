#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# demo_e2e.sh VIGIL BUILD_DIR [--update] - `vigil scan` end to end on the
# demo: the 2023 incident (demo/evidence, RXSRV01) and its clean twin
# (demo/clean, RXSRV02), rebuilt by demo/regen.sh into a temporary folder
# so file times are the same on every run. Checks, with exact expected
# output in tests/scan/expect/:
#   evidence.jsonl         default scan: every finding, incidents, verdict
#   evidence-policy.jsonl  with the demo IOC feed and policy
#   clean.jsonl            the clean twin (exit 0, CLEAN)
#   verdicts.txt           the text verdict lines of the three runs
#   report.txt             `vigil report` merging two hosts' results
#   broken.txt             damaged SYSTEM hive and EVTX logs: the scan
#                          completes and the report names each problem
# Until every module (rmm, files, sigma + evtx, ioc) is in the build, or
# without the fixture tools, it prints a visible skip (exit 77).
set -u
vigil=$1
build=$2
update=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export NO_COLOR=1

if ! OUT_DIR=$tmp bash "$src/demo/regen.sh" "$build" >"$tmp/regen.log" 2>&1; then
    echo "# SKIP demo cannot be rebuilt here: $(tail -1 "$tmp/regen.log")"
    exit 77
fi
missing=$("$vigil" scan --format jsonl "$tmp/clean" 2>/dev/null |
          grep -o '"title":"Module not available in this build: [a-z]*' |
          sed 's/.*: //' | tr '\n' ' ')
if [ -n "$missing" ]; then
    echo "# SKIP modules not in this build: $missing"
    exit 77
fi

pass=0 fail=0
# Paths, and what a rebuild cannot fix: inode change times and the owner.
norm() {
    sed -e "s#$tmp#@TMP@#g" -e "s#$src#@SRC@#g" \
        -e 's/elapsed [0-9.]* s/elapsed @S@ s/' \
        -e 's/"ctime":"[^"]*"/"ctime":"@CTIME@"/g' \
        -e 's/"owner":"[^"]*"/"owner":"@OWNER@"/g'
}
check_file() { # NAME FILE: compare with expect/NAME (or write it with --update)
    if [ "$update" = "--update" ]; then
        cp "$2" "$here/expect/$1"
        pass=$((pass + 1))
    elif diff -u "$here/expect/$1" "$2"; then
        pass=$((pass + 1))
    else
        echo "not ok - $1 differs"
        fail=$((fail + 1))
    fi
}
check() { # NAME COMMAND...
    if "${@:2}"; then pass=$((pass + 1)); else echo "not ok - $1"; fail=$((fail + 1)); fi
}
run() { # OUT EXPECTED_EXIT ARGS...: run vigil, keep normalised stdout
    local out=$1 want=$2; shift 2
    "$vigil" "$@" >"$tmp/raw" 2>"$tmp/err"
    local got=$?
    norm <"$tmp/raw" >"$tmp/$out"
    if [ "$got" != "$want" ]; then
        echo "not ok - vigil $*: exit $got, want $want"; cat "$tmp/err"
        fail=$((fail + 1))
    fi
}

feed=$src/demo/feeds/demo-incident.txt
policy=$src/demo/policy.txt
run evidence.jsonl 1 scan --format jsonl "$tmp/evidence"
check_file evidence.jsonl "$tmp/evidence.jsonl"
run evidence-policy.jsonl 1 scan --format jsonl --iocs "$feed" --policy "$policy" "$tmp/evidence"
check_file evidence-policy.jsonl "$tmp/evidence-policy.jsonl"
run clean.jsonl 0 scan --format jsonl "$tmp/clean"
check_file clean.jsonl "$tmp/clean.jsonl"

: >"$tmp/verdicts.txt"
for args in "$tmp/evidence" "--iocs $feed --policy $policy $tmp/evidence" "$tmp/clean"; do
    # shellcheck disable=SC2086
    "$vigil" scan $args 2>/dev/null | sed -n 2p | norm >>"$tmp/verdicts.txt"
done
check_file verdicts.txt "$tmp/verdicts.txt"

# Two hosts' results merged (the clean twin's JSON first): links stay per host.
"$vigil" scan --format jsonl --output "$tmp/ev.jsonl" "$tmp/evidence" 2>/dev/null
"$vigil" scan --format jsonl --output "$tmp/cl.jsonl" "$tmp/clean" 2>/dev/null
run report.txt 1 report "$tmp/cl.jsonl" "$tmp/ev.jsonl"
check_file report.txt "$tmp/report.txt"
"$vigil" report --format html --output "$tmp/r.html" "$tmp/cl.jsonl" "$tmp/ev.jsonl" 2>/dev/null
check "merged HTML names 2 hosts" grep -q '; 2 hosts;' "$tmp/r.html"

# Damage: a SYSTEM hive that is not a hive, an EVTX chunk with a bad
# signature, an EVTX record with garbage. The scan still completes.
python3 - "$tmp/evidence" <<'PY'
import sys
root = sys.argv[1]
open(root + "/Windows/System32/config/SYSTEM", "wb").write(b"regf" + b"\0" * 8188)
logs = root + "/Windows/System32/winevt/Logs/"
b = bytearray(open(logs + "System.evtx", "rb").read())
b[4096:4104] = b"XXXXXXXX"
open(logs + "System.evtx", "wb").write(b)
b = bytearray(open(logs + "Security.evtx", "rb").read())
b[4096 + 812:4096 + 852] = b"\xff" * 40
open(logs + "Security.evtx", "wb").write(b)
PY
run broken.raw 1 scan --format jsonl "$tmp/evidence"
python3 - "$tmp/broken.raw" >"$tmp/broken.txt" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    f = json.loads(line)
    if f.get("rule", {}).get("id") == "vigil.read-error":
        print(f["event"]["module"], "|", f["vigil"]["reason"])
PY
check_file broken.txt "$tmp/broken.txt"
check "damaged evidence: still a verdict" bash -c "'$vigil' scan '$tmp/evidence' 2>/dev/null | sed -n 2p | grep -q '^Verdict: COMPROMISED'"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
