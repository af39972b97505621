#!/usr/bin/env python3
"""Make data/gbt2260.tsv from python-stdnum's stdnum/cn/loc.dat.

    pip download --no-deps python-stdnum && unzip -o python_stdnum-*.whl 'stdnum/cn/loc.dat'
    python3 data/gbt2260.py stdnum/cn/loc.dat > data/gbt2260.tsv

A code is current when one of its names has no end year (`[1996-]芙蓉区` or a bare name); otherwise it is
retired and the line carries the last year it was valid (`[-1983]市区` -> 1983).
"""
import re
import sys

HEADER = """\
# GB/T 2260 administrative division codes, current and retired (ID numbers keep the county code that was
# valid when they were issued). Derived from python-stdnum 2.2, file stdnum/cn/loc.dat (LGPL-2.1-or-later,
# https://github.com/arthurdejong/python-stdnum), which compiles the lists of Chinese Wikipedia's
# 中华人民共和国行政区划代码 articles (CC BY-SA 4.0); the codes themselves are the national standard's.
# One line per code: code, name (the latest), and for a retired code the last year it was valid.
# Regenerate with data/gbt2260.py from a newer loc.dat.
"""


def main(path):
    out, seen, prov = [], set(), None
    for line in open(path, encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        m = re.match(r'^(\d\d) province="(.*)"', line)
        if m:
            prov = m.group(1)
            continue
        m = re.match(r'^\s+(\d{4}) county="(.*)"', line)
        if not m:
            raise SystemExit(f"unexpected line: {line!r}")
        code = prov + m.group(1)
        if code in seen:
            raise SystemExit(f"duplicate code {code}")
        seen.add(code)
        current, end, name = False, 0, ""
        for part in m.group(2).split(","):
            p = re.match(r"^\[(\d{4})?-(\d{4})?\](.*)$", part)
            if p:
                name = p.group(3)
                if p.group(2) is None:
                    current = True
                else:
                    end = max(end, int(p.group(2)))
            else:
                name, current = part, True
        out.append(f"{code}\t{name}" + ("" if current else f"\t{end}"))
    sys.stdout.write(HEADER + "\n".join(out) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
