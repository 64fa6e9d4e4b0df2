// Round(f, n) in float64 for the evaluator; see EvaluateRound.h. Written apart from the runtime's
// op_round (which corrects a rounded product with fma): here |x| = m·2^e is taken apart and
// x·10ⁿ = m·5ⁿ·2^(e+n) rounded with 128-bit integers, so the two are independent.
#include "ir/EvaluateRound.h"

#include <algorithm>
#include <cmath>

namespace keopsc::ir {
namespace {

__extension__ typedef unsigned __int128 Wide;

/// Up to here 5^|n| < 2^63 and m·5^|n| < 2^116: every quantity below fits a Wide.
constexpr int64_t kExactDigits = 27;

uint64_t powerOfFive(int64_t n) {
  uint64_t p = 1;
  for (int64_t k = 0; k < n; ++k)
    p *= 5;
  return p;
}

/// 10^n in float64: exact for n ≤ 22.
double powerOfTen(int64_t n) {
  double p = 1;
  for (int64_t k = 0; k < n; ++k)
    p *= 10;
  return p;
}

/// The integer nearest num/den, halves up (num ≥ 0, den > 0).
Wide nearestQuotient(Wide num, Wide den) {
  Wide q = num / den, r = num % den;
  return r >= den - r ? q + 1 : q;
}

/// Beyond kExactDigits: plain float64 arithmetic (10^|n| is rounded there anyway).
double roundDecimalFloating(double x, int64_t n) {
  double s = std::pow(10.0, std::fabs(static_cast<double>(n)));
  if (n > 0) {
    double p = x * s;
    return std::isfinite(p) ? std::round(p) / s : x;
  }
  return std::isinf(s) ? std::copysign(0.0, x) : std::round(x / s) * s;
}

} // namespace

double roundDecimal(double x, int64_t n) {
  if (n == 0)
    return std::round(x);
  if (!std::isfinite(x) || x == 0)
    return x;
  if (n < -kExactDigits || n > kExactDigits)
    return roundDecimalFloating(x, n);
  int exponent;
  const double fraction = std::frexp(std::fabs(x), &exponent); // in [1/2, 1)
  const auto m = static_cast<uint64_t>(std::ldexp(fraction, 53));
  const int64_t e = exponent - 53; // |x| = m·2^e exactly
  const int64_t t = n > 0 ? n : -n;
  const Wide five = powerOfFive(t);
  if (n > 0) {
    // |x|·10ⁿ = m·5ⁿ / 2^-(e+n)
    const int64_t shift = -(e + t);
    if (shift <= 0)
      return x; // x·10ⁿ is an integer already
    const Wide r = shift >= 120 ? 0 : nearestQuotient(Wide(m) * five, Wide(1) << shift);
    return std::copysign(static_cast<double>(r) / powerOfTen(t), x);
  }
  // |x|/10^t = m·2^(e−t) / 5^t
  const int64_t k = e - t;
  if (k > 64)
    return x; // |x|/10^t ≥ 2^54: past the integers' spacing, x is its own rounding
  if (k < -64)
    return std::copysign(0.0, x); // |x|/10^t < 2^53 / 2^64
  const Wide num = Wide(m) << std::max<int64_t>(k, 0);
  const Wide den = five << std::max<int64_t>(-k, 0);
  return std::copysign(static_cast<double>(nearestQuotient(num, den)) * powerOfTen(t), x);
}

} // namespace keopsc::ir
