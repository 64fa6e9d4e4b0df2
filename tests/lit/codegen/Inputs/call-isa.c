/* Calls the SIMD-covered kernels of isa-dispatch.kfl on ragged sizes (N not a multiple of any
   lane count or tile) and compares each with a double brute force: prints the ISA path the
   library took and the worst relative error. Outputs are poisoned before each call. */
#include "isa.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static double uniform(unsigned *state) {
  *state = *state * 1103515245u + 12345u;
  return (double)((*state >> 8) & 0xFFFF) / 65536.0;
}

int main(void) {
  enum { M = 37, N = 1001 };
  static float x[M * 3], y[N * 3], b[N], out[M];
  static double x64[M * 3], y64[N * 3], b64[N], out64[M];
  unsigned seed = 12345u;
  float g = 2.5f;
  double worst = 0;
  for (int k = 0; k < M * 3; ++k)
    x64[k] = x[k] = (float)uniform(&seed);
  for (int k = 0; k < N * 3; ++k)
    y64[k] = y[k] = (float)uniform(&seed);
  for (int k = 0; k < N; ++k)
    b64[k] = b[k] = (float)(uniform(&seed) - 0.25);
  for (int which = 0; which < 3; ++which) {
    for (int i = 0; i < M; ++i)
      out[i] = NAN;
    keops_status s = which == 0   ? isa_conv(M, N, x, y, b, &g, out, NULL)
                     : which == 1 ? isa_lse(M, N, x, y, b, &g, out, NULL)
                                  : isa_laplace(M, N, x, y, b, &g, out, NULL);
    if (s != KEOPS_OK) {
      printf("status %d: %s\n", (int)s, isa_last_error());
      return 1;
    }
    for (int i = 0; i < M; ++i) {
      double sum = 0, scale = 0, m = -INFINITY;
      for (int j = 0; j < N; ++j) {
        double d = 0;
        for (int k = 0; k < 3; ++k)
          d += (x[i * 3 + k] - y[j * 3 + k]) * (double)(x[i * 3 + k] - y[j * 3 + k]);
        double f = which == 0 ? exp(-g * d) * b[j] : which == 1 ? b[j] - g * d : exp(-g * sqrt(d)) * b[j];
        if (which == 1)
          m = f > m ? f : m;
        sum += f;
        scale += fabs(f);
      }
      if (which == 1) {
        double s2 = 0;
        for (int j = 0; j < N; ++j) {
          double d = 0;
          for (int k = 0; k < 3; ++k)
            d += (x[i * 3 + k] - y[j * 3 + k]) * (double)(x[i * 3 + k] - y[j * 3 + k]);
          s2 += exp(b[j] - g * d - m);
        }
        sum = m + log(s2);
        scale = fabs(sum) + 1;
      }
      double err = fabs(out[i] - sum) / scale;
      if (!(err <= worst))
        worst = err; /* NaN stays */
    }
  }
  (void)x64, (void)y64, (void)b64, (void)out64;
  printf("isa=%s %s (worst relative error %.2g)\n", isa_cpu_isa(), worst < 1e-5 ? "ok" : "WRONG",
         worst);
  return 0;
}
