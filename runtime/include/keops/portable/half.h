// keops/portable/half.h: IEEE binary16 storage (`uint16_t` bits) for float16 entry points:
// exact widening to float, rounding of float and double results to nearest-even, and the
// storeAs<Out> conversion the reduction states write outputs through. Not half arithmetic:
// float16 formulas run in float (SPEC.md §7.1).
#ifndef KEOPS_PORTABLE_HALF_H
#define KEOPS_PORTABLE_HALF_H

#include "keops/portable/config.h"

#include <cstdint>
#include <cstring>

namespace keops_rt {
namespace {

/// The exact float value of binary16 bits h: subnormals, signed zeros, ±∞; a NaN stays a NaN with
/// its payload, made quiet.
KEOPS_HD float halfToFloat(uint16_t h) {
  const uint32_t sign = uint32_t(h & 0x8000u) << 16;
  const uint32_t exponent = (h >> 10) & 0x1Fu;
  const uint32_t mantissa = h & 0x3FFu;
  uint32_t bits;
  if (exponent == 0x1Fu) // ∞ or NaN: the payload moves to the top of float's mantissa
    bits = sign | 0x7F800000u | (mantissa << 13) | (mantissa ? 0x00400000u : 0u);
  else if (exponent != 0) // normal: rebias 15 -> 127
    bits = sign | ((exponent + 112u) << 23) | (mantissa << 13);
  else { // zero or subnormal: mantissa · 2^-24, exact in float
    float magnitude = float(mantissa) * 5.9604644775390625e-8f;
    return sign ? -magnitude : magnitude;
  }
  float result;
  memcpy(&result, &bits, sizeof result);
  return result;
}

/// `m >> shift` rounded to nearest, ties to even (shift ≥ 1).
KEOPS_HD uint64_t roundShiftEven(uint64_t m, int shift) {
  const uint64_t q = m >> shift;
  const uint64_t rest = m & ((uint64_t(1) << shift) - 1);
  const uint64_t halfway = uint64_t(1) << (shift - 1);
  return rest > halfway || (rest == halfway && (q & 1)) ? q + 1 : q;
}

/// Rounds |x| = m · 2^(e2) (m an integer with its leading bit at `top`, e2 its exponent) to
/// binary16 bits without the sign: nearest-even, subnormals, overflow to ∞ at 65520 and above.
KEOPS_HD uint16_t roundToHalfBits(uint64_t m, int top, int e2) {
  const int exponent = top + e2; // |x| in [2^exponent, 2^(exponent+1))
  if (exponent > 15)
    return 0x7C00u;
  // Units of the result's last place: 2^(exponent - 10) for normals, 2^-24 below 2^-14.
  const int unit = exponent >= -14 ? exponent - 10 : -24;
  const int shift = unit - e2;
  if (shift > top + 1) // below half the smallest subnormal: ±0
    return 0;
  const uint64_t q = shift > 0 ? roundShiftEven(m, shift) : m << -shift;
  if (exponent < -14) // subnormal; 1024 units round up into the smallest normal's bits
    return uint16_t(q);
  // q in [1024, 2048]: 2048 carries into the exponent, 65520 up into ∞ (0x7C00).
  return uint16_t((uint64_t(exponent + 14) << 10) + q);
}

/// float -> binary16 bits, rounded once to nearest-even; NaN stays NaN (quiet, top payload bits).
KEOPS_HD uint16_t floatToHalf(float x) {
  uint32_t bits;
  memcpy(&bits, &x, sizeof bits);
  const uint16_t sign = uint16_t((bits >> 16) & 0x8000u);
  const uint32_t magnitude = bits & 0x7FFFFFFFu;
  if (magnitude > 0x7F800000u)
    return uint16_t(sign | 0x7E00u | ((magnitude >> 13) & 0x3FFu));
  if (magnitude == 0x7F800000u)
    return uint16_t(sign | 0x7C00u);
  const int biased = int(magnitude >> 23);
  if (biased == 0) // float subnormals are far below half's smallest subnormal
    return sign;
  const uint64_t m = (magnitude & 0x7FFFFFu) | 0x800000u;
  return uint16_t(sign | roundToHalfBits(m, 23, biased - 150));
}

/// double -> binary16 bits, rounded once (not through float: that would round twice).
KEOPS_HD uint16_t doubleToHalf(double x) {
  uint64_t bits;
  memcpy(&bits, &x, sizeof bits);
  const uint16_t sign = uint16_t((bits >> 48) & 0x8000u);
  const uint64_t magnitude = bits & 0x7FFFFFFFFFFFFFFFull;
  if (magnitude > 0x7FF0000000000000ull)
    return uint16_t(sign | 0x7E00u | ((magnitude >> 42) & 0x3FFu));
  if (magnitude == 0x7FF0000000000000ull)
    return uint16_t(sign | 0x7C00u);
  const int biased = int(magnitude >> 52);
  if (biased == 0) // double subnormals round to ±0
    return sign;
  const uint64_t m = (magnitude & 0xFFFFFFFFFFFFFull) | 0x10000000000000ull;
  return uint16_t(sign | roundToHalfBits(m, 52, biased - 1075));
}

/// How a result of a reduction state reaches an output of type Out: a plain conversion, except
/// that `uint16_t` outputs are binary16 bits, rounded once from float or double.
template <class Out> struct Store {
  template <class X> static KEOPS_HD Out from(X x) { return static_cast<Out>(x); }
};
template <> struct Store<uint16_t> {
  static KEOPS_HD uint16_t from(float x) { return floatToHalf(x); }
  static KEOPS_HD uint16_t from(double x) { return doubleToHalf(x); }
};
template <class Out, class X> KEOPS_HD Out storeAs(X x) { return Store<Out>::from(x); }

} // namespace
} // namespace keops_rt

#endif
