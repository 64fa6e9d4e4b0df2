#!/usr/bin/env python3
"""Writes a .kfl with 10,000 reductions: Sum, LogSumExp, Min, ArgMax and KMin in turn, over j and
over i, each with its own constant so that none is a copy of another."""
import sys

out = sys.stdout
out.write("alias x = Vi(3);\nalias y = Vj(3);\nalias b = Vj(2);\nalias g = Pm(1);\n")
for k in range(10000):
    kind, axis = k % 5, k % 2
    if kind == 0:
        out.write("reduction r%d(x, y, b, g) = Sum(Exp(-g * SqDist(x, y) * %d) * b, axis = %d);\n"
                  % (k, k + 2, axis))
        continue
    term = "SqDist(x, y) * g + %d" % k
    call = ["", "LogSumExp(%s", "Min(%s", "ArgMax(%s", "KMin(%s, K = 3"][kind] % term
    out.write("reduction r%d(x, y, g) = %s, axis = %d);\n" % (k, call, axis))
