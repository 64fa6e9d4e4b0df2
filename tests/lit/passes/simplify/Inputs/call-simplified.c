/* Calls entry points whose formulas simplify away some inputs (signature.kfl): they still
   take and validate them, and compute the simplified value (out = N·x, then zeros). */
#include "signature.h"

#include <math.h>
#include <stdio.h>

int main(void) {
  const float x[3 * 2] = {1, 2, 3, 4, 5, 6};
  const float y[3 * 4] = {0};
  const float g[1] = {NAN}; /* 0·y·g is dropped: no NaN from g (SPEC.md §2) */
  float out[3 * 2] = {-1, -1, -1, -1, -1, -1};
  keops_status st = signature_r(2, 4, x, y, g, out, NULL);
  printf("r status=%d out=%g %g %g %g %g %g\n", (int)st, out[0], out[1], out[2], out[3], out[4],
         out[5]);
  st = signature_r(2, 4, x, NULL, g, out, NULL);
  printf("r null y status=%d\n", (int)st);
  float zeros[2] = {-1, -1};
  st = signature_z(2, 4, x, y, zeros, NULL);
  printf("z status=%d out=%g %g\n", (int)st, zeros[0], zeros[1]);
  st = signature_z(2, -4, x, y, zeros, NULL);
  printf("z negative N status=%d\n", (int)st);
  return 0;
}
