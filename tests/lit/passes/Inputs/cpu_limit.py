#!/usr/bin/env python3
"""cpu_limit.py SECONDS COMMAND...: runs COMMAND and fails if it fails or if its CPU time (user +
system, children included) exceeds SECONDS times $KEOPSC_CPU_LIMIT_SCALE (1 by default; more for a
sanitizer build). CPU time, not wall time, so a loaded test machine does not make the check
flaky."""
import os
import resource
import subprocess
import sys

limit = float(sys.argv[1]) * float(os.environ.get("KEOPSC_CPU_LIMIT_SCALE", "1"))
status = subprocess.call(sys.argv[2:])
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = usage.ru_utime + usage.ru_stime
print("cpu seconds: %.2f (limit %.0f)" % (cpu, limit))
sys.exit(status if status else (0 if cpu <= limit else 1))
