#!/usr/bin/env python3
"""Fails when something src/ defines once is written out again (issue 10):
each rule names a pattern, the one file allowed to hold it and how often.
Comments are not skipped: a pattern in a comment counts, so keep the
constants and texts out of comments too. Usage: tools/check_once.py [ROOT].
Run by tools/test and by ctest (test_once).
"""
import os
import re
import sys

# (what, pattern, {file: how many times it may appear there})
RULES = [
    ('the warning state "firing" (warn_state_parse, warn_state_is_open)',
     r'"firing"', {"src/warn/eval.c": 1, "src/warn/eval.h": 1}),
    ('the warning state "recovering"', r'"recovering"', {"src/warn/eval.c": 1}),
    ('the handling "未处理" (warn_handling_parse, warn_row_status)', r"未处理",
     {"src/warn/eval.c": 1}),
    ("the FNV offset basis (util/hash.h)",
     r"\b(0xcbf29ce484222325|14695981039346656037|1469598103934665603|2166136261)(?!\w*\d)",
     {"src/util/hash.h": 1}),
    ("the FNV prime (util/hash.c)", r"\b(0x100000001b3|1099511628211|16777619)(?!\w*\d)",
     {"src/util/hash.c": 1}),
    ("/proc/self/statm (rss_kb)", r"/proc/self/statm", {"src/util/util.c": 1}),
    ("a list joined by hand (str_list_add)", r"\bstrn?cat\s*\(", {}),
    ("a fixed array of column names or types (table_add_col, table_new_like)",
     r"\b(names|types)\s*\[\s*\d+\s*\]", {}),
    ("a table's columns from arrays (table_add_col, table_new_like, catalog_table_new)",
     r"\btable_new\s*\((?![^,]*,\s*0\s*,)", {"src/data/table.c": 1, "src/data/table.h": 1}),
    ("the staleness rule: older than twice the refresh interval (compose_panel_state)",
     r"fetched_at\s*>\s*2\s*\*", {"src/output/compose.c": 1}),
    ("a flag shared between threads as volatile bool (atomic_bool)", r"volatile\s+bool", {}),
    ("a thread-local buffer handed out (fill at load time instead)", r"\b__thread\b", {}),
]


def check(root):
    texts = {}
    for dirpath, _, files in os.walk(os.path.join(root, "src")):
        for f in files:
            if f.endswith((".c", ".h")):
                path = os.path.join(dirpath, f)
                with open(path, encoding="utf-8") as fh:
                    texts[os.path.relpath(path, root)] = fh.read()
    bad = []
    for what, pattern, allowed in RULES:
        for rel in sorted(texts):
            n = len(re.findall(pattern, texts[rel]))
            if n > allowed.get(rel, 0):
                where = f"{n} times" if rel not in allowed else f"{n} times, {allowed[rel]} allowed"
                bad.append(f"{rel}: {what}: {where}")
        for rel, want in allowed.items():
            if len(re.findall(pattern, texts.get(rel, ""))) != want:
                bad.append(f"{rel}: {what}: expected here {want} time(s), the one definition")
    return bad


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
    bad = check(root)
    for b in bad:
        print(f"FAIL {b}")
    if bad:
        print(f"{len(bad)} thing(s) written twice: use the one definition named")
        return 1
    print(f"once: {len(RULES)} definitions, each in its one place")
    return 0


if __name__ == "__main__":
    sys.exit(main())
