// The float64 meaning of the operation families whose rules do not fit on a line of
// Evaluator::evalNode (Evaluate.cpp): complex numbers (EvaluateComplex.cpp) and the special
// functions (EvaluateSpecial.cpp). Internal to the evaluator; reductions are not its business.
#pragma once

#include "ir/OpInfo.h"

#include <cstdint>
#include <vector>

namespace keopsc::ir::eval {

/// A complex operation of SPEC.md §3 on interleaved (re, im) operands `a` and `b` (`b` is
/// ignored by unary operations); `out` already has the node's dimension.
void complexOp(OpKind kind, const std::vector<int64_t> &ints, const std::vector<double> &a,
               const std::vector<double> &b, std::vector<double> &out);

/// The d_t - p - 1 B-spline basis functions of degree p on the knots `t`, at `x`.
void bspline(const std::vector<double> &t, double x, int64_t p, std::vector<double> &out);

/// Soft-DTW of the sequences x and y for the squared difference, NaN when gamma <= 0.
double softDtwSqDist(const std::vector<double> &x, const std::vector<double> &y, double gamma);

} // namespace keopsc::ir::eval
