// keops/math.h: scalar functions of the formula language whose meaning differs from <cmath>
// (SPEC.md §3: Rsqrt(0) = 0, integer powers). Compiled into generated code; no exported symbols.
#ifndef KEOPS_RUNTIME_MATH_H
#define KEOPS_RUNTIME_MATH_H

#include <cmath>
#include <cstdint>

namespace keops_rt {
namespace {

/// 1/sqrt(x) with Rsqrt(0) = 0 (SPEC.md §3), NaN below 0.
template <class T> inline T rsqrt(T x) { return x == T(0) ? T(0) : T(1) / std::sqrt(x); }

/// x^n by binary powering in T; n < 0 gives 1/x^|n|, n = 0 gives 1.
template <class T> inline T powi(T x, int64_t n) {
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
