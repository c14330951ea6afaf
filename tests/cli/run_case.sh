#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# run_case.sh VIGIL CASE_DIR - one CLI end-to-end case.
#   cmd          one line: the arguments after "vigil" (word-split by bash,
#                @DATA@ = the case folder, @SRC@ = the source tree,
#                @TMP@ = a fresh temporary folder)
#   expect.out   exact expected stdout (optional; absent = not checked)
#   expect.exit  expected exit status (default 0)
#   expect.err   a grep -E pattern that stderr must match (optional)
#   stdin        fed to vigil's standard input (optional; else /dev/null)
#   setup        a bash script run first, in @TMP@ (optional)
set -u
vigil=$1
dir=$2
src=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ -f "$dir/setup" ]; then
    (cd "$tmp" && SRC="$src" DATA="$dir" bash "$dir/setup") || { echo "setup failed"; exit 1; }
fi
line=$(head -n 1 "$dir/cmd")
line=${line//@DATA@/$dir}
line=${line//@SRC@/$src}
line=${line//@TMP@/$tmp}
read -r -a args <<<"$line"
input=/dev/null
[ -f "$dir/stdin" ] && input="$dir/stdin"

(cd "$tmp" && NO_COLOR=1 "$vigil" "${args[@]}" <"$input" >"$tmp/.out" 2>"$tmp/.err")
status=$?
want_status=0
[ -f "$dir/expect.exit" ] && want_status=$(tr -d '[:space:]' <"$dir/expect.exit")

fail=0
if [ "$status" != "$want_status" ]; then
    echo "exit status: got $status, want $want_status"
    fail=1
fi
if [ -f "$dir/expect.out" ]; then
    sed -e "s#$tmp#@TMP@#g" -e "s#$src#@SRC@#g" "$tmp/.out" >"$tmp/.out.norm"
    if ! diff -u "$dir/expect.out" "$tmp/.out.norm"; then
        fail=1
    fi
fi
if [ -f "$dir/expect.err" ] && ! grep -Eq -f "$dir/expect.err" "$tmp/.err"; then
    echo "stderr does not match $(cat "$dir/expect.err"):"
    cat "$tmp/.err"
    fail=1
fi
if [ $fail -ne 0 ]; then
    echo "--- stderr ---"; cat "$tmp/.err"
    echo "0 passed, 1 failed"
    exit 1
fi
echo "1 passed, 0 failed"
