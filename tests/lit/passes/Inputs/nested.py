# Writes a .kfl whose formula doubles its DAG-as-tree size at each of n levels:
# f0(u) = u; fK(u) = f(K-1)(u) * f(K-1)(u) + f(K-1)(u). Its DAG has 2n + 1 distinct nodes.
import sys

n = int(sys.argv[1])
lines = ["alias x = Vi(3);", "alias y = Vj(3);", "formula f0(u) = u;"]
for k in range(1, n + 1):
    lines.append("formula f%d(u) = f%d(u) * f%d(u) + f%d(u);" % (k, k - 1, k - 1, k - 1))
lines.append("reduction r(x, y) = Sum(f%d(x - y), axis = 1);" % n)
print("\n".join(lines))
