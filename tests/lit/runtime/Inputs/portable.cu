// Every portable state and math function, used from a kernel (compile-only check).
#include "keops/portable/math.h"
#include "keops/portable/reductions.h"

using namespace keops_rt;

__global__ void everyState(const float *x, float *out, int64_t *idx, int n) {
  BlockState<SumState<float, KahanAcc<float>, 3>> sum;
  LogSumExpState<float, DirectAcc<double>> lse;
  KMinState<float, 4, 3> kmin;
  sum.init();
  lse.init();
  kmin.init();
  for (int j = 0; j < n; ++j) {
    float t[3] = {op_exp(op_neg(x[j])), op_rsqrt(op_abs(x[j])), op_powi(x[j], int64_t(-3))};
    t[0] = op_add(op_mul(t[0], op_square(t[1])), op_div(op_sqrt(t[2]), op_inv(op_log(t[1]))));
    t[1] = op_sub(t[1], t[2]);
    sum.add(t, j);
    lse.add(t, j);
    kmin.add(t, j);
  }
  sum.finish(out);
  lse.finish(out + 3);
  kmin.finish(out + 4, idx);
}
