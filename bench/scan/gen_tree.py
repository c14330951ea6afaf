#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""gen_tree.py ROOT GB - an offline Windows tree of about GB gigabytes for
bench/scan/run.sh (never committed; it lives in /tmp). About 40 % of the
bytes sit in the places `vigil scan` looks at by default (temp folders,
user profiles, ProgramData, remote-tool folders) and 60 % elsewhere
(System32, other programs), as on a real server. Contents are random bytes
or random text; a copy of the demo's test.xml and logs is planted so the
scan has something to find. Deterministic (seeded)."""
import os
import random
import shutil
import sys

root, gb = sys.argv[1], float(sys.argv[2])
demo = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                    "demo", "evidence")
rng = random.Random(2023)
total = int(gb * (1 << 30))
chunk = os.urandom(1 << 20)          # reused: generation stays fast


text = bytes(32 + (b % 95) for b in chunk[:1 << 16])  # printable


def put(rel, size, is_text=False):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    src = text if is_text else chunk
    with open(path, "wb") as f:
        left = size
        while left > 0:
            n = min(left, len(src))
            off = rng.randrange(0, len(src) - n + 1)
            f.write(src[off:off + n])
            left -= n
    return size


def fill(prefix, budget, small_bytes_share, names):
    """budget bytes under prefix: small_bytes_share of them in 1-64 KiB
    text files (most files of a real tree), the rest in 4-48 MiB ones."""
    used, i = 0, 0
    small = budget * small_bytes_share
    while used < small:
        i += 1
        rel = "%s/%s/d%03d/f%06d.%s" % (prefix, rng.choice(names), i // 500, i,
                                       rng.choice(["txt", "log", "dat", "xml"]))
        used += put(rel, rng.randrange(1024, 64 * 1024), is_text=True)
    while used < budget:
        i += 1
        rel = "%s/%s/b%06d.%s" % (prefix, rng.choice(names), i,
                                 rng.choice(["dll", "bin", "exe", "cab"]))
        used += put(rel, rng.randrange(4 << 20, 48 << 20))


inside = int(total * 0.4)
outside = total - inside
users = ["Administrator/AppData/Local/Temp", "Administrator/Documents",
         "pharmacist/Downloads", "pharmacist/AppData/Roaming/App"]
fill("Users", inside * 0.6, 0.3, users)
fill("ProgramData", inside * 0.25, 0.3, ["Vendor/cache", "Rx/db", "Logs"])
fill("Windows/Temp", inside * 0.15, 0.3, ["upd", "msi", "."])
fill("Windows/System32", outside * 0.7, 0.1, ["drivers", "en-US", "wbem", "."])
fill("Program Files/PharmacySuite", outside * 0.3, 0.1, ["bin", "data"])
for rel in ["Windows/Temp/test.xml",
            "Windows/System32/winevt/Logs/System.evtx",
            "Windows/System32/winevt/Logs/Security.evtx",
            "Windows/System32/winevt/Logs/Application.evtx",
            "Windows/System32/config/SYSTEM",
            "Windows/System32/config/SOFTWARE"]:
    src = os.path.join(demo, rel)
    dst = os.path.join(root, rel)
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    shutil.copyfile(src, dst)
