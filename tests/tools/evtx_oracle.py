#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""evtx_oracle.py - python-evtx as a test oracle for Vigil's EVTX reader.

    evtx_oracle.py FILE...
    evtx_oracle.py -l LIST      (LIST: one path per line)

For every record python-evtx decodes (and whose XML parses), prints one
line of JSON:
    {"file": F, "offset": N, "EventRecordID": s, "TimeCreated": s,
     "EventID": s, "Channel": s, "Provider": s, "data": [[name, value], ...]}
data holds EventData <Data> elements (Name attribute, else "Data") and the
leaf elements of UserData, in document order, with python-evtx's own text
(tests/unit/test_evtx_diff.c renders Vigil's typed values the same way).
Records python-evtx cannot decode are counted on stderr, never guessed.
Exit 3 when python-evtx is not installed (the caller skips the test).
Used only by tests; not part of Vigil.
"""
import json
import sys
import xml.etree.ElementTree as ET

try:
    import Evtx.Evtx as evtx
except ImportError:
    sys.stderr.write("python-evtx (python3-evtx) is not installed\n")
    sys.exit(3)


def local(tag):
    return tag.rsplit("}", 1)[-1]


def child(elem, name):
    for c in elem:
        if local(c.tag) == name:
            return c
    return None


def text_of(elem):
    return "" if elem is None or elem.text is None else elem.text


def leaves(elem, out):
    kids = list(elem)
    if not kids:
        out.append([local(elem.tag), text_of(elem)])
        return
    for k in kids:
        leaves(k, out)


def record_line(path, rec):
    root = ET.fromstring(rec.xml())
    system = child(root, "System")
    if system is None:
        return None
    prov = child(system, "Provider")
    tc = child(system, "TimeCreated")
    out = {
        "file": path,
        "offset": rec.offset(),
        "EventRecordID": text_of(child(system, "EventRecordID")),
        "TimeCreated": "" if tc is None else tc.get("SystemTime", ""),
        "EventID": text_of(child(system, "EventID")),
        "Channel": text_of(child(system, "Channel")),
        "Provider": "" if prov is None else prov.get("Name", ""),
        "data": [],
    }
    for sect in root:
        name = local(sect.tag)
        if name == "EventData":
            for d in sect:
                out["data"].append([d.get("Name", local(d.tag)), text_of(d)])
        elif name == "UserData":
            for k in sect:
                leaves(k, out["data"])
    return out


def main():
    failed = 0
    paths = sys.argv[1:]
    if len(paths) == 2 and paths[0] == "-l":
        with open(paths[1], encoding="utf-8") as f:
            paths = [p.rstrip("\n") for p in f if p.strip()]
    for path in paths:
        try:
            with evtx.Evtx(path) as log:
                for rec in log.records():
                    try:
                        line = record_line(path, rec)
                    except Exception:  # python-evtx or XML failed: no oracle
                        failed += 1
                        continue
                    if line is not None:
                        print(json.dumps(line))
        except Exception:
            failed += 1
    sys.stderr.write("python-evtx could not decode %d records\n" % failed)


if __name__ == "__main__":
    main()
