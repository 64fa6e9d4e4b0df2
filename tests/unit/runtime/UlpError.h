// The error of a vector-math result against a long double reference, in ulps of T: shared by
// the tests of keops/host/simd_exp.h and simd_math.h.
#ifndef KEOPSC_TESTS_UNIT_RUNTIME_ULPERROR_H
#define KEOPSC_TESTS_UNIT_RUNTIME_ULPERROR_H

#include <algorithm>
#include <cmath>
#include <limits>

/// |got − want| in units of the last place of want in T (subnormal spacing below the normals);
/// 0 when both are the same infinity or NaN.
template <class T> double ulpError(T got, long double want) {
  if (std::isnan(want))
    return std::isnan(got) ? 0 : 1e30;
  const long double w = static_cast<long double>(static_cast<T>(want)); // the result in T's range
  if (std::isinf(w) || std::isinf(got))
    return std::isinf(got) && std::isinf(w) && (got > 0) == (w > 0) ? 0 : 1e30;
  int exponent = 0;
  std::frexp(static_cast<long double>(want), &exponent);
  const int lowest = std::numeric_limits<T>::min_exponent - std::numeric_limits<T>::digits;
  const long double ulp =
      std::ldexp(1.0L, std::max(exponent - std::numeric_limits<T>::digits, lowest));
  return static_cast<double>(std::fabs(static_cast<long double>(got) - want) / ulp);
}

#endif
