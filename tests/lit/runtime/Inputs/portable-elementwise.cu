// The element-wise functions of SPEC.md §3 (comparisons, trigonometry, Powf, Sign/Step/ReLU,
// Floor, Round, Mod, Clamp, ClampInt, DiffClampInt, IfElse), used from a kernel in float and
// double (compile-only check).
#include "keops/portable/math.h"

using namespace keops_rt;

template <class T> __global__ void everyElementwise(const T *x, T *out, int n) {
  for (int j = 0; j < n; ++j) {
    const T a = x[j], b = x[j + 1], c = x[j + 2];
    T t = op_powf(a, b) + op_eq(a, b) + op_ne(a, b) + op_lt(a, b) + op_le(a, b);
    t += op_xlogx(a) + op_sin(a) + op_cos(a) + op_sinxdivx(a) + op_asin(a) + op_acos(a);
    t += op_atan(a) + op_atan2(a, b) + op_sign(a) + op_step(a) + op_relu(a) + op_floor(a);
    t += op_round(a, int64_t(2)) + op_round(a, int64_t(-1)) + op_round(a, int64_t(0));
    t += op_mod(a, b, c) + op_clamp(a, b, c) + op_clampint(a, int64_t(-1), int64_t(1));
    t += op_diffclampint(a, int64_t(-1), int64_t(1)) + op_ifelse(a, b, c);
    out[j] = t;
  }
}

template __global__ void everyElementwise<float>(const float *, float *, int);
template __global__ void everyElementwise<double>(const double *, double *, int);
