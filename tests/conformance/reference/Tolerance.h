// Tolerance.h: the acceptance bounds of SPEC.md §7.4, from an entry point's dtypes, summation
// scheme, formula and number of reduced terms. Not the comparisons themselves (Check.h).
#pragma once

#include "ir/EntryPoint.h"

#include <cstdint>

namespace keopsc::conformance {

/// u: 2^-11, 2^-24, 2^-53 for float16, float32, float64.
double unitRoundoff(ir::Dtype dtype);
/// t_d: the dtype's smallest subnormal.
double smallestSubnormal(ir::Dtype dtype);
/// h(n) of SPEC.md §7.2: n (direct), 256 + ⌈n/256⌉ (block), 4 + n·u_a (Kahan).
double sumGrowth(ir::SumScheme scheme, int64_t n, double ua);
/// c_F: 8 for formulas of arithmetic, vector sums and shape operations, 32 when an elementary
/// function occurs in the formula or its weight; plus w when a vector sum of w > 8 terms does.
double formulaConstant(const ir::Stage &stage);

struct Tolerance {
  double cF = 0, ud = 0, ua = 0, h = 0, td = 0;

  /// τ = c_F·u_d + h(n)·u_a + u_d.
  double tau() const { return cF * ud + h * ua + ud; }
  /// Sum: |out − ref| ≤ τ·Σ|F| + t_d per component.
  double sum(double absSum) const { return tau() * absSum + td; }
  /// Min/Max/K-min values: |out − ref| ≤ c_F·u_d·|ref| + t_d.
  double value(double ref) const;
  /// LogSumExp: |out − ref| ≤ c_F·u_d·max|F| + h(n)·u_a + u_d·|ref|. With a weight (SPEC.md
  /// has no line for it) the sum's part grows with its cancellation κ = Σe^F|G| / |Σe^F·G|, and
  /// G's own error adds κ·c_F·u_d.
  double logSumExp(double maxAbsF, double ref, double condition, bool weighted) const;
  /// A weighted sum's relative error per unit of its cancellation κ: the summation's h(n)·u_a
  /// and the weight's c_F·u_d (logSumExp's terms that κ multiplies).
  double sumRelativeError() const { return h * ua + cF * ud; }
  /// Softmax: |out − ref| ≤ (2c_F·u_d·(1 + max|F|) + h(n)·u_a + u_d)·Σ p·|G_k| + t_d; the raw
  /// pair's s_k likewise with Σ e^(F−m)·|G_k| for Σ p·|G_k|.
  double softmax(double maxAbsF, double weightedAbs) const;
  /// The raw pair's m = max F: |out − ref| ≤ c_F·u_d·max|F| + t_d.
  double maxShift(double maxAbsF) const { return cF * ud * maxAbsF + td; }
};

/// The tolerance of `entry`'s (one) stage reducing `n` terms.
Tolerance toleranceOf(const ir::EntryPoint &entry, int64_t n);

} // namespace keopsc::conformance
