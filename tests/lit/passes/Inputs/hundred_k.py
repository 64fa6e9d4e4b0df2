#!/usr/bin/env python3
"""Writes a .kfl whose reduction's formula has about 100,000 distinct IR nodes.

640 named formulas f_k(u) each sum 40 distinct terms Exp(u + c) (4 nodes a term: constant,
sum, Exp, sum), grouped 32 at a time by g_m, then summed: nesting stays far below the
parser's and sema's depth limits while the DAG is wide. Nothing in it simplifies away (and
no pass folds a term: exp-of-product would fold Exp(u·c) into 3 nodes).
"""
import sys

FORMULAS, TERMS, GROUP = 640, 40, 32
out = sys.stdout
out.write("alias x = Vi(3);\nalias y = Vj(3);\n")
for k in range(FORMULAS):
    terms = " + ".join("Exp(u + %d/%d)" % (k * TERMS + t + 1, 7919) for t in range(TERMS))
    out.write("formula f%d(u) = %s;\n" % (k, terms))
for m in range(FORMULAS // GROUP):
    calls = " + ".join("f%d(u)" % (m * GROUP + k) for k in range(GROUP))
    out.write("formula g%d(u) = %s;\n" % (m, calls))
total = " + ".join("g%d(x - y)" % m for m in range(FORMULAS // GROUP))
out.write("reduction big(x, y) = Sum(%s, axis = 1);\n" % total)
