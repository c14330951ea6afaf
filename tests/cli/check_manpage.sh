#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# check_manpage.sh SRC_DIR - every long option the CLI accepts appears in
# docs/vigil.1 as ".It Fl \-name" or "Fl \-name" (docs as tests, STYLE 2.7).
# Options are taken from getopt_long tables ({ "name", *_argument ...) and
# from literal "--name" strings in cli/*.c and cli/cli.h.
set -u
src=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
man="$src/docs/vigil.1"
[ -f "$man" ] || { echo "missing $man"; echo "0 passed, 1 failed"; exit 1; }

opts=$( { grep -hoE '\{ *"[a-z][a-z0-9-]*", *(no|required|optional)_argument' \
              "$src"/cli/*.c "$src"/cli/cli.h | sed -E 's/\{ *"([^"]*)".*/\1/'
          grep -hoE '"--[a-z][a-z0-9-]*' "$src"/cli/*.c | sed 's/^"--//'
        } | sort -u)
# mdoc escapes hyphens as \-; compare against the unescaped text.
text=$(sed 's/\\-/-/g' "$man")
pass=0 fail=0
for o in $opts; do
    if grep -qE "Fl -$o([^a-z0-9-]|\$)" <<<"$text"; then
        pass=$((pass + 1))
    else
        echo "not ok - --$o is not documented in docs/vigil.1"
        fail=$((fail + 1))
    fi
done
[ "$pass" -gt 0 ] || { echo "no options found in cli/"; fail=$((fail + 1)); }
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
