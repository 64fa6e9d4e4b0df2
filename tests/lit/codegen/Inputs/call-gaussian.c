/* Calls examples/gaussian.kfl's float32 Gaussian convolution on two points, using only the
   library and the C library (no libm), so the link needs nothing beyond the printed flags. */
#include "gaussian.h"

#include <stdio.h>

int main(void) {
  const float x[3] = {0, 0, 0};
  const float y[6] = {0, 0, 0, 1, 0, 0};
  const float b[2] = {1, 1};
  const float s = 1.0f;
  float out[1] = {-1.0f};
  keops_status status = gaussian_conv(1, 2, x, y, b, &s, out, NULL);
  /* exp(0) + exp(-1) = 1.36788 */
  printf("conv status %d value %.4f\n", (int)status, (double)out[0]);
  return status == KEOPS_OK ? 0 : 1;
}
