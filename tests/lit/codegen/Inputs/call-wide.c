/* Calls wide-rows.kfl's reductions on rows of 200000 and 5000 x K components: wide
   temporaries must not live on the stack. Prints status and two checked values each. */
#include "wide.h"

#include <stdio.h>
#include <stdlib.h>
int main(void) {
  int64_t D = 200000;
  float *x = malloc(sizeof(float) * 2 * D);
  float *out = malloc(sizeof(float) * 2 * D);
  for (int64_t k = 0; k < 2 * D; ++k)
    x[k] = (float)(k % 7);
  keops_status s = wide_w(2, 3, x, out, NULL);
  printf("%d %g %g\n", (int)s, out[5], out[D + 6]);
  float *y = malloc(sizeof(float) * 3 * 5000);
  for (int k = 0; k < 15000; ++k)
    y[k] = (float)((k * 37) % 11);
  float *o2 = malloc(sizeof(float) * 2 * 10000);
  s = wide_k(2, 3, y, o2, NULL);
  printf("%d %g %g\n", (int)s, o2[0], o2[5000]);
  return 0;
}
