// Storage.h: the conformance harnesses' view of a library's element type: float, double, or
// uint16_t holding IEEE binary16 bits (float16 entry points, DESIGN.md §4). Not the checks.
#pragma once

#include "keops/portable/half.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

namespace keopsc::conformance {

template <class Real> struct Storage {
  static constexpr bool kHalf = std::is_same_v<Real, uint16_t>;

  /// The float64 value of an element; binary16 is decoded from its definition (ldexp),
  /// independently of the runtime's conversions.
  static double toDouble(Real r) {
    if constexpr (kHalf) {
      const int exponent = (r >> 10) & 0x1F, mantissa = r & 0x3FF;
      const double magnitude = exponent == 0x1F
                                   ? (mantissa ? std::numeric_limits<double>::quiet_NaN()
                                               : std::numeric_limits<double>::infinity())
                               : exponent == 0 ? std::ldexp(double(mantissa), -24)
                                               : std::ldexp(double(1024 + mantissa), exponent - 25);
      return r & 0x8000 ? -magnitude : magnitude;
    } else {
      return double(r);
    }
  }
  /// x rounded to the dtype (the reference reads the rounded value back through toDouble).
  static Real fromDouble(double x) {
    if constexpr (kHalf)
      return keops_rt::doubleToHalf(x);
    else
      return Real(x);
  }
  static bool isNan(Real r) { return std::isnan(toDouble(r)); }
};

} // namespace keopsc::conformance
