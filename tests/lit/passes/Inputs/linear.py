# linear.py SMALL LARGE N_SMALL N_LARGE: fails unless the byte size of file LARGE is at most
# (N_LARGE / N_SMALL) * 1.2 times that of SMALL, i.e. outputs grow linearly, not exponentially.
import os
import sys

small, large = os.path.getsize(sys.argv[1]), os.path.getsize(sys.argv[2])
ratio = float(sys.argv[4]) / float(sys.argv[3])
print("sizes %d -> %d bytes (bound %.0f)" % (small, large, small * ratio * 1.2))
sys.exit(0 if large <= small * ratio * 1.2 else 1)
