// The float64 meaning of Round(f, n) for the evaluator: round(f·10ⁿ)/10ⁿ with the rounding to an
// integer decided on the exact value of f·10ⁿ. Nothing else; the runtime has its own version.
#pragma once

#include <cstdint>

namespace keopsc::ir {

/// round(x·10ⁿ)/10ⁿ, halves away from zero (SPEC.md §3), n of either sign. The integer is
/// decided exactly (integer arithmetic on x's significand) for |n| ≤ 27; the final division or
/// multiplication by 10^|n| rounds once (twice for |n| > 22). Larger |n| are computed in
/// floating point.
double roundDecimal(double x, int64_t n);

} // namespace keopsc::ir
