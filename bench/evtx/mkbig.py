#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""mkbig.py OUT SIZE_MB CORPUS_DIR... - a large EVTX file for benchmarks,
made by repeating the real, intact chunks of the given corpus files behind
one file header (chunk count and checksum updated). Writes to OUT (meant for
/tmp; never commit it)."""
import os
import struct
import sys
import zlib


def chunks(paths):
    for path in paths:
        with open(path, "rb") as f:
            data = f.read()
        for off in range(4096, len(data) - 65535, 65536):
            c = data[off:off + 65536]
            if c[:8] == b"ElfChnk\0":
                yield c


def main():
    out, size_mb, dirs = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    paths = sorted(os.path.join(r, f) for d in dirs for r, _, fs in os.walk(d)
                   for f in fs if f.lower().endswith(".evtx"))
    pool = list(chunks(paths))
    n = (size_mb * 1024 * 1024 + 65535) // 65536
    hdr = bytearray(4096)
    hdr[0:8] = b"ElfFile\0"
    struct.pack_into("<QQQIHHHH", hdr, 8, 0, n - 1, 1, 128, 1, 3, 4096,
                     min(n, 0xffff))
    struct.pack_into("<I", hdr, 124, zlib.crc32(bytes(hdr[:120])))
    with open(out, "wb") as f:
        f.write(hdr)
        for i in range(n):
            f.write(pool[i % len(pool)])
    print("%s: %d chunks (%d MB) from %d distinct chunks" %
          (out, n, n * 65536 // 1048576, len(pool)))


if __name__ == "__main__":
    main()
