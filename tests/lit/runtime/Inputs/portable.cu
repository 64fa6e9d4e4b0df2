// Every portable state and math function, used from a kernel (compile-only check).
#include "keops/portable/complex.h"
#include "keops/portable/half.h"
#include "keops/portable/math.h"
#include "keops/portable/reductions.h"
#include "keops/portable/special.h"

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

// The complex arithmetic and the special functions, in both precisions.
template <class T> __device__ void complexAndSpecial(const T *x, T *out) {
  op_cmult(x[0], x[1], x[2], x[3], out);
  op_cdivide(x[0], x[1], x[2], x[3], out + 2);
  op_cexp(x[0], x[1], out + 4);
  op_cexp1j(x[0], out + 6);
  out[8] = op_csquareabs(x[0], x[1]) + op_cabs(x[2], x[3]) + op_cangle(x[0], x[3]);
  op_bspline<6, 3>(x, x[6], out + 9);
  out[11] = op_softdtw_sqdist<4, 3>(x, x + 4, x[7]);
}

__global__ void complexAndSpecialKernels(const float *xf, float *outf, const double *xd,
                                         double *outd) {
  complexAndSpecial(xf, outf);
  complexAndSpecial(xd, outd);
}

// float16 storage: widening loads, states on float, outputs rounded once from float and double.
__global__ void halfStorage(const uint16_t *x, uint16_t *out, int64_t *idx, int n) {
  SumState<float, DirectAcc<double>, 1> sum;
  MinMaxState<float, 1, false> minimum;
  MaxSumShiftExpState<float, KahanAcc<float>, 1> pair;
  sum.init();
  minimum.init();
  pair.init();
  for (int j = 0; j < n; ++j) {
    float t[1] = {halfToFloat(x[j])};
    sum.add(t, j);
    minimum.add(t, j);
    pair.add(t, j);
  }
  sum.finish(out);
  minimum.finish(out + 1, idx);
  pair.finish(out + 2, out + 3);
  out[4] = floatToHalf(halfToFloat(x[0]) * 3.0f);
  out[5] = doubleToHalf(double(halfToFloat(x[1])) / 3.0);
  out[6] = storeAs<uint16_t>(1.0 / 3.0);
}
