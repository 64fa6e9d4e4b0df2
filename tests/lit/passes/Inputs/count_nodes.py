#!/usr/bin/env python3
"""Counts the SSA lines (`%N = ...`) of keopsc --emit=ir output and checks a minimum."""
import re
import sys

path, minimum = sys.argv[1], int(sys.argv[2])
count = sum(1 for line in open(path) if re.match(r"\s*%\d+ = ", line))
print("nodes: %d" % count)
sys.exit(0 if count >= minimum else 1)
