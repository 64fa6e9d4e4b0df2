"""Writes DIR/manysums.kfl, COUNT reductions s<k>(x, b) = Sum(x * b * (k + 1)), and DIR/main.c,
which calls the first, a middle and the last through their _cuda entry points (emulated on host
memory) and checks each against k+1 times x_i times the sum of b, computed in double."""
import sys

out, count = sys.argv[1], int(sys.argv[2])
with open(f"{out}/manysums.kfl", "w") as kfl:
    kfl.write("alias x = Vi(1);\nalias b = Vj(1);\n")
    for k in range(count):
        kfl.write(f"reduction s{k}(x, b) = Sum(x * b * {k + 1}, axis = 1);\n")
picks = sorted({0, count // 2, count - 1})
calls = "\n".join(
    "  for (int i = 0; i < M; ++i) out[i] = NAN; /* poisoned */\n"
    f"  status = manysums_s{k}_cuda(M, N, x, b, out, 0);\n"
    f"  printf(\"s{k}: status=%d ok=%d\\n\", (int)status, check(out, {k + 1}, x, b));"
    for k in picks)
with open(f"{out}/main.c", "w") as c:
    c.write(f"""#include "manysums.h"
#include <math.h>
#include <stdio.h>
enum {{ M = 7, N = 11 }};
static int check(const float *out, double factor, const float *x, const float *b) {{
  double sum = 0;
  for (int j = 0; j < N; ++j) sum += b[j];
  for (int i = 0; i < M; ++i)
    if (!(fabs(out[i] - factor * x[i] * sum) <= 1e-5 * fabs(factor * x[i] * sum) + 1e-6))
      return 0;
  return 1;
}}
int main(void) {{
  float x[M], b[N], out[M];
  keops_status status;
  for (int i = 0; i < M; ++i) x[i] = 0.25f * (float)(i - 3);
  for (int j = 0; j < N; ++j) b[j] = 0.125f * (float)(j + 1);
{calls}
  return 0;
}}
""")
