#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# bench/hunt/run.sh [BUILD_DIR] - Sigma hunt figures, ours next to a peer's,
# measured in the same run on the same data (a benchmark, not a test).
#
#  1. Load + compile every rule of $VG_CORPORA/sigma/rules* (CPU s, RSS).
#  2. Hunt evtx-attack-samples (277 files, 8,255 records) with all of them,
#     1 thread and all threads; next to it our own `vigil evtx dump` of the
#     same files (hunting should cost little above parsing) and the peer
#     Debian's evtxexport (libevtx) dumping the same files.
#  3. A large EVTX (BENCH_LARGE_MB, default 1024 MB, generated once with the
#     fixture writer from realistic Sysmon/Security/System records into
#     BENCH_TMP): hunt MB/s per core with all rules and peak RSS. The file
#     repeats a block of BENCH_BLOCK distinct events (default 4000); a
#     larger block (e.g. 100000) leaves the value cache fewer repeats.
#     Peers' published figures for the same kind of run: Hayabusa about
#     18 MB/s, Zircolite about 25 MB/s (docs/PEERS.md); neither is installed
#     here, so they are quoted, not measured.
# Needs /usr/bin/time. Wall times on a shared machine vary; CPU seconds
# (user+sys) are the figure to compare.
set -u
build=${1:-build}
corp=${VG_CORPORA:-$(cd "$(dirname "$0")/../.." && pwd)/../shared/corpora}
vigil=$build/vigil
tmp=${BENCH_TMP:-/tmp/vigil-bench-hunt}
large_mb=${BENCH_LARGE_MB:-1024}
block=${BENCH_BLOCK:-4000}
[ -x "$vigil" ] || { echo "no $vigil (build first)"; exit 2; }
[ -d "$corp/sigma/rules" ] || { echo "corpus not found: $corp"; exit 2; }
mkdir -p "$tmp"
rules=(--rules "$corp/sigma/rules" --rules "$corp/sigma/rules-emerging-threats"
       --rules "$corp/sigma/rules-threat-hunting")
samples="$corp/evtx-attack-samples"

# run LABEL CMD... : prints "LABEL  wall s  cpu s  peak RSS MB"
run() {
    local label=$1; shift
    /usr/bin/time -f "%e %U %S %M" -o "$tmp/time" "$@" >/dev/null 2>"$tmp/err"
    read -r wall user sys rss < <(tail -n 1 "$tmp/time")
    last_cpu=$(echo "$user + $sys" | bc)
    printf '%-44s %7.2f s wall %7.2f s cpu %7.1f MB RSS\n' "$label" "$wall" \
        "$last_cpu" "$(echo "scale=1; $rss / 1024" | bc)"
}

echo "== rules: $(find "$corp"/sigma/rules "$corp"/sigma/rules-emerging-threats \
      "$corp"/sigma/rules-threat-hunting -name '*.yml' | wc -l) files"
"$vigil" hunt "${rules[@]}" --list-unsupported | tail -1
run "load+compile all rules" "$vigil" hunt "${rules[@]}" --list-unsupported
load_cpu=$last_cpu

echo "== evtx-attack-samples: $(find "$samples" -name '*.evtx' | wc -l) files, $(du -sm "$samples" | cut -f1) MB"
run "vigil hunt, all rules, 1 thread" "$vigil" hunt "${rules[@]}" --threads 1 --quiet --format jsonl "$samples"
run "vigil hunt, all rules, all threads" "$vigil" hunt "${rules[@]}" --quiet --format jsonl "$samples"
run "vigil evtx dump (ours), 1 thread" "$vigil" evtx dump --threads 1 --quiet "$samples"
if command -v evtxexport >/dev/null; then
    run "peer: evtxexport (libevtx), every file" \
        bash -c 'find "$1" -name "*.evtx" -print0 | xargs -0 -n1 evtxexport' _ "$samples"
else
    echo "peer: evtxexport not installed (apt-get install libevtx-utils)"
fi
echo "findings: $("$vigil" hunt "${rules[@]}" --quiet --format jsonl "$samples" | wc -l)"

# ---- large file ----
big="$tmp/large-${large_mb}MB.evtx"
[ "$block" = 4000 ] || big="$tmp/large-${large_mb}MB-${block}ev.evtx"
if [ ! -f "$big" ]; then
    writer=$build/tools/evtx_write
    [ -x "$writer" ] || { echo "no $writer: skipping the large-file run"; exit 0; }
    echo "== generating $big ($large_mb MB) with $writer"
    python3 - "$tmp/desc.txt" "$large_mb" "$block" <<'PY'
import sys, random
out, mb, block = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
random.seed(7)
imgs = [r"C:\Windows\System32\svchost.exe", r"C:\Windows\System32\cmd.exe",
        r"C:\Program Files\Google\Chrome\Application\chrome.exe",
        r"C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe",
        r"C:\Windows\explorer.exe", r"C:\Windows\System32\conhost.exe"]
cmds = ["-k netsvcs -p", "/c dir C:\\Users", "--type=renderer --field-trial-handle=1",
        "-NoProfile -Command Get-Process", "", "0xffffffff -ForceV1"]
evs = []
for i in range(block):
    k = i % 4
    t = "2024-01-01T%02d:%02d:%02dZ" % ((i // 3600) % 24, (i // 60) % 60, i % 60)
    if k < 2:
        j = random.randrange(len(imgs))
        evs.append("channel: Microsoft-Windows-Sysmon/Operational\nprovider: Microsoft-Windows-Sysmon\n"
                   "event_id: 1\ntime: %s\ncomputer: WS%02d\ndata: Image=%s\ndata: CommandLine=\"%s\" %s\n"
                   "data: ParentImage=%s\ndata: User=CORP\\user%d\ndata: Hashes=SHA256=%064x\n"
                   "data: OriginalFileName=%s\ndata: CurrentDirectory=C:\\Windows\\system32\\\n"
                   % (t, i % 7, imgs[j], imgs[j], cmds[j], imgs[(j + 1) % len(imgs)], i % 50,
                      random.getrandbits(256), imgs[j].split("\\")[-1]))
    elif k == 2:
        evs.append("channel: Security\nprovider: Microsoft-Windows-Security-Auditing\nevent_id: 4624\n"
                   "time: %s\ncomputer: DC01\ndata: TargetUserName=user%d\ndata: TargetDomainName=CORP\n"
                   "data: LogonType=3\ndata: IpAddress=10.0.%d.%d\ndata: WorkstationName=WS%02d\n"
                   "data: AuthenticationPackageName=Kerberos\n" % (t, i % 50, i % 200, i % 250, i % 7))
    else:
        evs.append("channel: Microsoft-Windows-Sysmon/Operational\nprovider: Microsoft-Windows-Sysmon\n"
                   "event_id: 13\ntime: %s\ncomputer: WS%02d\ndata: EventType=SetValue\n"
                   "data: TargetObject=HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Component%d\\Value\n"
                   "data: Details=DWORD (0x%08x)\ndata: Image=C:\\Windows\\System32\\svchost.exe\n"
                   % (t, i % 7, i % 300, i))
open(out, "w").write("\n".join(evs))
PY
    "$writer" "$tmp/unit.evtx" "$tmp/desc.txt" || { echo "writer failed"; exit 1; }
    # The writer's file is a valid EVTX; repeat its chunks up to the size.
    python3 - "$tmp/unit.evtx" "$big" "$large_mb" <<'PY'
import sys
src, dst, mb = sys.argv[1], sys.argv[2], int(sys.argv[3])
d = open(src, "rb").read()
head, chunks = d[:4096], d[4096:]
with open(dst, "wb") as f:
    f.write(head)
    n = 0
    while n < mb * 1024 * 1024:
        f.write(chunks); n += len(chunks)
PY
fi
size_mb=$(( $(stat -c %s "$big") / 1048576 ))
echo "== large file: $size_mb MB"
/usr/bin/time -f "%e %U %S %M" -o "$tmp/time" "$vigil" hunt "${rules[@]}" --threads 1 --quiet --format jsonl "$big" >/dev/null 2>"$tmp/err"
read -r wall user sys rss < <(tail -n 1 "$tmp/time")
cpu=$(echo "$user + $sys" | bc)
printf 'vigil hunt, all rules, 1 thread: %.1f s cpu, %.0f MB/s per core, peak RSS %.0f MB\n' \
    "$cpu" "$(echo "$size_mb / $cpu" | bc -l)" "$(echo "$rss / 1024" | bc -l)"
printf '  without the rule load+compile (%.2f s cpu): %.0f MB/s per core\n' \
    "$load_cpu" "$(echo "$size_mb / ($cpu - $load_cpu)" | bc -l)"
echo "peers (published, same kind of run): Hayabusa ~18 MB/s, Zircolite ~25 MB/s"
run "vigil hunt, all rules, all threads ($size_mb MB)" "$vigil" hunt "${rules[@]}" --quiet --format jsonl "$big"
run "vigil evtx dump (ours), 1 thread ($size_mb MB)" "$vigil" evtx dump --threads 1 --quiet "$big"
