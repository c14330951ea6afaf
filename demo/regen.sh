#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# demo/regen.sh [BUILD_DIR] - rebuild demo/evidence (the 2023 incident on
# a pharmacy server, RXSRV01) and demo/clean (its clean twin, RXSRV02) from
# the sources in demo/src/, with the project's fixture tools:
#   tools/vg_mkhive       an empty registry hive written from scratch
#   hivexregedit --merge  keys and values from src/<tree>/<HIVE>.reg
#   tools/evtx_write      EVTX logs from src/<tree>/<Log>.events
#   tools/rmm_fixture     small PE files with a version resource (pe.list)
# Everything is fabricated: documentation IP ranges, .example names, no
# real binaries or indicators. File times are set to the incident's dates
# so that the trees are the same whenever they are rebuilt.
# OUT_DIR (env) writes the two trees elsewhere (tests use a temp folder).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-$here/../build}" && pwd)
out=${OUT_DIR:-$here}
tools=$build/tools
for t in vg_mkhive evtx_write rmm_fixture; do
    [ -x "$tools/$t" ] || { echo "regen.sh: $tools/$t missing (build first)" >&2; exit 2; }
done
command -v hivexregedit >/dev/null || { echo "regen.sh: hivexregedit missing (scripts/setup.sh)" >&2; exit 2; }

stamp() { # stamp TIME PATH...: fixed modification and access times
    local t=$1; shift
    touch -h -d "$t" "$@"
}

build_tree() { # build_tree NAME HOST
    local name=$1 root=$out/$1 src=$here/src/$1
    rm -rf "$root"
    mkdir -p "$root"
    (cd "$src/files" && find . -type d -print0 | (cd "$root" && xargs -0 mkdir -p))
    (cd "$src/files" && find . -type f -print0 | while IFS= read -r -d '' f; do
        cp "$f" "$root/$f"
    done)
    grep -v '^#' "$src/pe.list" | while IFS=$'\t' read -r rel ver; do
        [ -n "$rel" ] || continue
        mkdir -p "$root/$(dirname "$rel")"
        (cd "$root" && "$tools/rmm_fixture" --pe "$rel" "$ver")
    done
    mkdir -p "$root/Windows/System32/config" "$root/Windows/System32/winevt/Logs"
    for hive in SYSTEM SOFTWARE; do
        [ -f "$src/$hive.reg" ] || continue
        "$tools/vg_mkhive" "$root/Windows/System32/config/$hive" "$hive"
        hivexregedit --merge "$root/Windows/System32/config/$hive" "$src/$hive.reg"
    done
    for log in System Security Application; do
        "$tools/evtx_write" "$root/Windows/System32/winevt/Logs/$log.evtx" "$src/$log.events"
    done
    # install-era times for programs, incident-era times for the rest
    find "$root" -exec touch -h -d "2023-11-08T12:00:00Z" {} +
    find "$root" -path '*4f6a1c2b9d8e7f30*' -exec touch -h -d "2019-04-11T09:30:00Z" {} +
}

build_tree evidence
build_tree clean
ev=$out/evidence
stamp 2023-10-30T01:47:00Z "$ev/Program Files (x86)/ScreenConnect Client (b7e2d94c1a3f5068)"/* \
    "$ev/ProgramData/ScreenConnect Client (b7e2d94c1a3f5068)/user.config"
stamp 2023-11-01T02:21:30Z "$ev/Program Files (x86)/AnyDesk/AnyDesk.exe" \
    "$ev/ProgramData/AnyDesk/system.conf" "$ev/ProgramData/AnyDesk/service.conf"
stamp 2023-11-02T03:11:15Z "$ev/Windows/Temp/test.xml" \
    "$ev/Users/Administrator/Documents/ConnectWiseControl/Temp/AnyDesk.exe"
stamp 2023-11-02T03:12:39Z "$ev/Windows/Temp/ScreenConnect/23.8.5.8707"/*
echo "regen.sh: wrote $out/evidence and $out/clean"
