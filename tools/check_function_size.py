#!/usr/bin/env python3
"""Fails when a C function in src/ is longer than the limit (120 lines).

A function's length is its lines from the one naming it to its closing brace.
Lines that hold nothing but the text of a string literal (a multi-line SQL
script or usage text that the function emits) are text, not code, and are
not counted. Usage: tools/check_function_size.py [--limit N] [--list] [ROOT]
(--list prints every function over 60 lines too; --self-test checks the
counting on a made-up file). Run by tools/test and by ctest
(test_function_size).
"""
import argparse
import os
import re
import sys

LIMIT = 120


def blank_out(src):
    """The source with comments, string and character literals and
    preprocessor lines replaced by spaces (newlines kept), and the set of
    line numbers (1-based) that hold only string-literal text."""
    out = []
    text_only = set()
    i, n, line = 0, len(src), 1
    line_has_code = False
    line_has_string = False
    at_line_start = True

    def end_line():
        nonlocal line, line_has_code, line_has_string, at_line_start
        if line_has_string and not line_has_code:
            text_only.add(line)
        line += 1
        line_has_code = line_has_string = False
        at_line_start = True

    while i < n:
        c = src[i]
        if c == "\n":
            out.append(c)
            end_line()
            i += 1
            continue
        if at_line_start and c == "#":
            # preprocessor line, with its backslash continuations
            while i < n and src[i] != "\n":
                if src[i] == "\\" and i + 1 < n and src[i + 1] == "\n":
                    out.append(" \n")
                    end_line()
                    i += 2
                    continue
                out.append(" ")
                i += 1
            continue
        if c.isspace():
            out.append(c)
            i += 1
            continue
        at_line_start = False
        if src.startswith("/*", i):
            j = src.find("*/", i + 2)
            j = n if j < 0 else j + 2
            for ch in src[i:j]:
                out.append("\n" if ch == "\n" else " ")
                if ch == "\n":
                    end_line()
                    at_line_start = False
            i = j
            continue
        if src.startswith("//", i):
            while i < n and src[i] != "\n":
                out.append(" ")
                i += 1
            continue
        if c in "\"'":
            quote, j = c, i + 1
            while j < n and src[j] != quote and src[j] != "\n":
                j += 2 if src[j] == "\\" else 1
            j = min(j + 1, n)
            out.append(" " * (j - i))
            if quote == '"':
                line_has_string = True
            else:
                line_has_code = True
            i = j
            continue
        if c not in ",;":  # a line of literal text may end in , or ;
            line_has_code = True
        out.append(c)
        i += 1
    return "".join(out), text_only


def matching(code, i, step):
    """The index of the bracket that matches code[i], scanning forward
    (step 1) or back (step -1); past the end when there is none."""
    other = {"(": ")", ")": "(", "{": "}", "}": "{"}[code[i]]
    opening, level = code[i], 0
    while 0 <= i < len(code):
        if code[i] == opening:
            level += 1
        elif code[i] == other:
            level -= 1
            if level == 0:
                return i
        i += step
    return i


def functions(src):
    """(name, first line, last line, counted lines) of each function body."""
    code, text_only = blank_out(src)
    line_of = []
    ln = 1
    for ch in code:
        line_of.append(ln)
        if ch == "\n":
            ln += 1
    depth = 0
    found = []
    i = 0
    while i < len(code):
        ch = code[i]
        if ch == "{":
            if depth == 0:
                head = code[:i].rstrip()
                # a definition: "name(args) {" (not "= {", struct, enum, union)
                if head.endswith(")"):
                    k = matching(head, len(head) - 1, -1)
                    m = re.search(r"([A-Za-z_]\w*)\s*$", head[:max(k, 0)])
                    if m and m.group(1) not in ("if", "for", "while", "switch"):
                        start = line_of[m.start(1)]
                        j = matching(code, i, 1)
                        end = line_of[min(j, len(code) - 1)]
                        counted = sum(1 for x in range(start, end + 1) if x not in text_only)
                        found.append((m.group(1), start, end, counted))
                        i = j + 1
                        continue
            depth += 1
        elif ch == "}":
            depth = max(0, depth - 1)
        i += 1
    return found


def self_test():
    """The counting itself: a 121-line function is found at 121 lines,
    literal text lines and braces in strings and comments do not count."""
    body = "\n".join(f"    x += {i};" for i in range(118))
    src = ("/* { */\nstatic int f(int x)\n{\n" + body + "\n}\n"
           "static const char *g(void)\n{\n    return \"}\"\n" + '           "{ text"\n' * 200 +
           "           ;\n}\nstruct s { int a; };\nint v[] = {1, 2};\n")
    got = [(n, k) for n, _, _, k in functions(src)]
    want = [("f", 121), ("g", 5)]
    if got != want:
        print(f"FAIL self-test: {got}, expected {want}")
        return 1
    print("self-test: function lengths counted as expected")
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, default=LIMIT)
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--self-test", action="store_true")
    ap.add_argument("root", nargs="?", default=os.path.join(os.path.dirname(__file__), ".."))
    args = ap.parse_args()
    if args.self_test:
        return self_test()
    src_dir = os.path.join(args.root, "src")
    bad = []
    for dirpath, _, files in sorted(os.walk(src_dir)):
        for f in sorted(files):
            if not f.endswith(".c"):
                continue
            path = os.path.join(dirpath, f)
            rel = os.path.relpath(path, args.root)
            with open(path, encoding="utf-8") as fh:
                for name, start, _, counted in functions(fh.read()):
                    where = f"{rel}:{start}: {name}: {counted} lines"
                    if counted > args.limit:
                        bad.append(f"{where} (limit {args.limit})")
                    elif args.list and counted > 60:
                        print(where)
    for b in bad:
        print(f"FAIL {b}")
    if bad:
        print(f"{len(bad)} function(s) over {args.limit} lines: split them into smaller "
              "functions with names that say what each part does")
        return 1
    print(f"function size: every function in src/ is at most {args.limit} lines")
    return 0


if __name__ == "__main__":
    sys.exit(main())
