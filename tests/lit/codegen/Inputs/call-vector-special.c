/* Used by vector-special-values.kfl: prints the vector operations at their special points. */
#include "vs.h"

#include <math.h>
#include <stdio.h>

/* NaN's sign is not portable in printf: print every NaN as "nan". */
static void print(const char *label, const float *values, int count) {
  printf("%s:", label);
  for (int k = 0; k < count; ++k) {
    if (isnan(values[k]))
      printf(" nan");
    else
      printf(" %g", (double)values[k]);
  }
  printf("\n");
}

int main(void) {
  const float inf = INFINITY, nan = NAN;
  const float x[4][4] = {{1, nan, 3, nan}, {3, 1, 3, 1}, {-inf, 2, 2, -inf}, {5, 5, 5, 5}};
  const float u[6] = {1.5f, 0.49999997f, -0.5f, -0.6f, 2.5f, nan};
  const char *uText[6] = {"1.5", "0.49999997", "-0.5", "-0.6", "2.5", "nan"};
  const float z[2][4] = {{0, 0, 0, 0}, {1, -1, 1, 1}};
  float out[6 * 4];
  int failed = 0;
  char label[64];

  failed |= vs_extrema(4, 1, &x[0][0], out, NULL);
  for (int r = 0; r < 4; ++r) {
    snprintf(label, sizeof label, "extrema %d", r);
    print(label, out + 4 * r, 4);
  }
  failed |= vs_onehot(6, 1, u, out, NULL);
  for (int r = 0; r < 6; ++r) {
    snprintf(label, sizeof label, "onehot %s", uText[r]);
    print(label, out + 3 * r, 3);
  }
  failed |= vs_normalize(2, 1, &z[0][0], out, NULL);
  for (int r = 0; r < 2; ++r) {
    snprintf(label, sizeof label, "normalize %d", r);
    print(label, out + 4 * r, 4);
  }
  printf("status %d\n", failed);
  return 0;
}
