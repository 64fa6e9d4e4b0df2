/* Used by link-and-call.kfl: calls m_r (Sum over j of x_i * y_j) on 2 x 3 data. */
#include "m.h"

#include <stdio.h>

int main(void) {
  const float x[2] = {1.0f, 2.0f};
  const float y[3] = {1.0f, 10.0f, 100.0f};
  float out[2] = {-1.0f, -1.0f};
  keops_status status = m_r(2, 3, x, y, out, NULL);
  printf("status=%d out=%g %g\n", (int)status, (double)out[0], (double)out[1]);
  status = m_r(-1, 3, x, y, out, NULL);
  printf("negative=%d %s\n", status == KEOPS_ERROR_INVALID_SIZE, m_last_error());
  status = m_r_cuda(2, 3, x, y, out, NULL);
  printf("cuda=%d\n", status == KEOPS_ERROR_BACKEND_UNAVAILABLE || status == KEOPS_OK);
  return 0;
}
