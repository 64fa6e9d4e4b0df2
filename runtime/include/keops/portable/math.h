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
/// e^(s·x): the exp-of-product pass's form of Exp(s·x), the same value (the SIMD kernels fold
/// s·log2 e into exp's range reduction, keops/host/simd_exp.h).
template <class T> KEOPS_HD T op_exp_of_product(T s, T x) { return std::exp(s * x); }
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

/// C `pow` in T: float32 stays in single precision (SPEC.md §3, differs from KeOps).
template <class T> KEOPS_HD T op_powf(T a, T b) { return std::pow(a, b); }

// Comparisons: 1 or 0, IEEE semantics (NaN compares unequal to everything, so NotEqual gives 1).
template <class T> KEOPS_HD T op_eq(T a, T b) { return a == b ? T(1) : T(0); }
template <class T> KEOPS_HD T op_ne(T a, T b) { return a != b ? T(1) : T(0); }
template <class T> KEOPS_HD T op_lt(T a, T b) { return a < b ? T(1) : T(0); }
template <class T> KEOPS_HD T op_le(T a, T b) { return a <= b ? T(1) : T(0); }

template <class T> KEOPS_HD T op_sin(T a) { return std::sin(a); }
template <class T> KEOPS_HD T op_cos(T a) { return std::cos(a); }
template <class T> KEOPS_HD T op_asin(T a) { return std::asin(a); }
template <class T> KEOPS_HD T op_acos(T a) { return std::acos(a); }
template <class T> KEOPS_HD T op_atan(T a) { return std::atan(a); }
template <class T> KEOPS_HD T op_floor(T a) { return std::floor(a); }

/// x·ln x with XLogX(0) = 0 (SPEC.md §3); NaN below 0.
template <class T> KEOPS_HD T op_xlogx(T x) { return x == T(0) ? T(0) : x * std::log(x); }

/// sin x / x with SinXDivX(0) = 1 (SPEC.md §3).
template <class T> KEOPS_HD T op_sinxdivx(T x) { return x == T(0) ? T(1) : std::sin(x) / x; }

/// atan2(f, g) in (−π, π] (SPEC.md §3), a function of the real values: adding +0 turns −0 into
/// +0, so that C's −π for (−0, g < 0) becomes π, and atan2(0, −0) is 0 like atan2(0, 0) (the
/// simplifier folds −0 and +0 to one zero).
template <class T> KEOPS_HD T op_atan2(T f, T g) { return std::atan2(f + T(0), g + T(0)); }

/// −1, 0 or +1; NaN for NaN (SPEC.md §3, differs from KeOps: 0). ±0 and NaN return themselves.
template <class T> KEOPS_HD T op_sign(T x) { return x > T(0) ? T(1) : x < T(0) ? T(-1) : x; }

/// 0 below 0, else 1; NaN for NaN (SPEC.md §3, differs from KeOps: 1).
template <class T> KEOPS_HD T op_step(T x) { return x < T(0) ? T(0) : x >= T(0) ? T(1) : x; }

/// 0 below 0, else x (so NaN stays NaN).
template <class T> KEOPS_HD T op_relu(T x) { return x < T(0) ? T(0) : x; }

/// f − n⌊(f − o)/n⌋, in [o, o + n) for n > 0 up to rounding.
template <class T> KEOPS_HD T op_mod(T f, T n, T o) { return f - n * std::floor((f - o) / n); }

/// a if f < a, b if f > b, else f (a > b is allowed: then a below a, b from a on). A NaN
/// bound gives NaN, as a NaN f does (SPEC.md §7.1: NaN propagates).
template <class T> KEOPS_HD T op_clamp(T f, T a, T b) {
  if (isNan(a) || isNan(b))
    return a + b;
  return f < a ? a : f > b ? b : f;
}

/// Clamp with integer bounds a ≤ b (sema checks the order), rounded to T like constants.
template <class T> KEOPS_HD T op_clampint(T f, int64_t a, int64_t b) {
  return f < T(a) ? T(a) : f > T(b) ? T(b) : f;
}

/// 1 if a ≤ f ≤ b, else 0; NaN for NaN (SPEC.md §7.1).
template <class T> KEOPS_HD T op_diffclampint(T f, int64_t a, int64_t b) {
  if (isNan(f))
    return f;
  return f < T(a) || f > T(b) ? T(0) : T(1);
}

/// a where c ≥ 0 (−0 included), b where c < 0, NaN where c is NaN (differs from KeOps: b).
template <class T> KEOPS_HD T op_ifelse(T c, T a, T b) { return c >= T(0) ? a : c < T(0) ? b : c; }

/// 10^n in T by repeated multiplication: exact while it fits T's significand (n ≤ 10 in float,
/// n ≤ 22 in double), +∞ once past T's range (so the loop stops there).
template <class T> KEOPS_HD T powerOfTen(uint64_t n) {
  T s = T(1);
  for (uint64_t k = 0; k < n && s < infinity<T>(); ++k)
    s *= T(10);
  return s;
}

/// The integer nearest p + err, halves away from zero, where p is a rounded value and err the
/// exact rounding error (|err| ≤ ½ulp(p)): only when p is a half-integer can err move the result,
/// and then its sign says on which side the exact value lies.
template <class T> KEOPS_HD T roundWithError(T p, T err) {
  const T r = std::round(p);
  if (err == T(0) || std::fabs(r - p) != T(0.5))
    return r;
  return err > T(0) ? std::ceil(p) : std::floor(p);
}

/// round(x·10ⁿ)/10ⁿ, halves away from zero (SPEC.md §3), n of either sign. Ties are decided on
/// the exact x·10ⁿ (x/10⁻ⁿ for n < 0), not on its rounding in T: fma gives the exact error of
/// the product (the exact remainder of the quotient). Exact whenever 10^|n| is exact in T; past
/// that, within T's rounding of 10^|n|.
template <class T> KEOPS_HD T op_round(T x, int64_t n) {
  if (n == 0)
    return std::round(x);
  if (!(std::fabs(x) < infinity<T>()))
    return x; // ±∞, NaN
  const T s = powerOfTen<T>(n < 0 ? uint64_t(0) - uint64_t(n) : uint64_t(n));
  if (n > 0) {
    const T p = x * s;
    if (!(std::fabs(p) < infinity<T>()))
      return x; // x·10ⁿ beyond T's range: far past the integers' spacing, x is its own rounding
    return roundWithError(p, std::fma(x, s, -p)) / s;
  }
  if (!(s < infinity<T>()))
    return x * T(0); // |x| < ½·10^|n|: a zero of x's sign
  const T q = x / s;
  return roundWithError(q, std::fma(-q, s, x)) * s;
}

} // namespace
} // namespace keops_rt

#endif
