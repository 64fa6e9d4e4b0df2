// keops/portable/math.h: one implementation per element-wise operation of the formula language
// (the op table's Math column: op_<name>), for every backend and dtype. Special values are
// defined here once (SPEC.md §3: Rsqrt(0) = 0, integer powers). No exported symbols.
#ifndef KEOPS_PORTABLE_MATH_H
#define KEOPS_PORTABLE_MATH_H

#include "keops/portable/config.h"

#include <cmath>
#include <cstdint>

namespace keops_rt {
namespace {

template <class T> KEOPS_HD T op_add(T a, T b) { return a + b; }
template <class T> KEOPS_HD T op_sub(T a, T b) { return a - b; }
template <class T> KEOPS_HD T op_mul(T a, T b) { return a * b; }
template <class T> KEOPS_HD T op_div(T a, T b) { return a / b; }
template <class T> KEOPS_HD T op_neg(T a) { return -a; }
template <class T> KEOPS_HD T op_inv(T a) { return T(1) / a; }
template <class T> KEOPS_HD T op_square(T a) { return a * a; }
template <class T> KEOPS_HD T op_sqrt(T a) { return std::sqrt(a); }
template <class T> KEOPS_HD T op_exp(T a) { return std::exp(a); }
template <class T> KEOPS_HD T op_log(T a) { return std::log(a); }
template <class T> KEOPS_HD T op_abs(T a) { return std::fabs(a); }

/// 1/sqrt(x) with Rsqrt(0) = 0 (SPEC.md §3), NaN below 0.
template <class T> KEOPS_HD T op_rsqrt(T x) { return x == T(0) ? T(0) : T(1) / std::sqrt(x); }

/// x^n by binary powering in T; n < 0 gives 1/x^|n|, n = 0 gives 1.
template <class T> KEOPS_HD T op_powi(T x, int64_t n) {
  uint64_t e = n < 0 ? uint64_t(0) - uint64_t(n) : uint64_t(n);
  T result = T(1), base = x;
  while (e) {
    if (e & 1)
      result *= base;
    base *= base;
    e >>= 1;
  }
  return n < 0 ? T(1) / result : result;
}

} // namespace
} // namespace keops_rt

#endif
