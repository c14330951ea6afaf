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


def put(rel, size, text=False):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        left = size
        while left > 0:
            n = min(left, len(chunk))
            off = rng.randrange(0, len(chunk) - n + 1)
            data = chunk[off:off + n]
            if text:
                data = bytes(32 + (b % 95) for b in data[:min(n, 65536)])
                n = len(data)
            f.write(data)
            left -= n
    return size


def fill(prefix, budget, small_share, names):
    used, i = 0, 0
    while used < budget:
        i += 1
        if rng.random() < small_share:
            size = rng.randrange(1024, 64 * 1024)
            rel = "%s/%s/f%06d.%s" % (prefix, rng.choice(names), i,
                                     rng.choice(["txt", "log", "dat", "xml"]))
            used += put(rel, size, text=True)
        else:
            size = rng.randrange(4 << 20, 48 << 20)
            rel = "%s/%s/b%06d.%s" % (prefix, rng.choice(names), i,
                                     rng.choice(["dll", "bin", "exe", "cab"]))
            used += put(rel, size)


inside = int(total * 0.4)
outside = total - inside
users = ["Administrator/AppData/Local/Temp", "Administrator/Documents",
         "pharmacist/Downloads", "pharmacist/AppData/Roaming/App"]
fill("Users", inside * 0.6, 0.9, users)
fill("ProgramData", inside * 0.25, 0.8, ["Vendor/cache", "Rx/db", "Logs"])
fill("Windows/Temp", inside * 0.15, 0.9, ["upd", "msi", "."])
fill("Windows/System32", outside * 0.7, 0.3, ["drivers", "en-US", "wbem", "."])
fill("Program Files/PharmacySuite", outside * 0.3, 0.3, ["bin", "data"])
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
