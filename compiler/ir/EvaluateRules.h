// The float64 meaning of the operations of SPEC.md §3 whose rules do not fit on a line of
// Evaluator::evalNode (the reference of the conformance suites): vector, linear-algebra, complex
// and special operations, one function per operation or family. Internal to the evaluator;
// operands arrive unbroadcast, exactly as their nodes' values.
#pragma once

#include "ir/ListArgs.h"
#include "ir/OpInfo.h"

#include <cstdint>
#include <vector>

namespace keopsc::ir::evalrules {

using Values = std::vector<double>;

// Vector operations (EvaluateVector.cpp).
void sumT(const Values &f, Values &out);
enum class Extremum { Max, Min, ArgMax, ArgMin };
void extremum(const Values &f, Extremum which, Values &out);
void norm2(const Values &f, Values &out);
void normalize(const Values &f, Values &out);
/// WeightedSqNorm and its three forms, told apart by the weight's dimension (1, d or d²).
void weightedSqNorm(const Values &s, const Values &f, Values &out);
/// WeightedSqNorm(s, f - g), f and g broadcast by rule B.
void weightedSqDist(const Values &s, const Values &f, const Values &g, Values &out);
void elemT(const Values &f, int64_t m, Values &out);
void extract(const Values &f, int64_t start, Values &out);
void extractT(const Values &f, int64_t start, Values &out);
void oneHot(const Values &f, Values &out);

// Linear algebra (EvaluateLinAlg.cpp).
void matVecMult(const Values &a, const Values &b, Values &out);
void vecMatMult(const Values &b, const Values &a, Values &out);
void tensorProd(const Values &a, const Values &b, Values &out);
void tensorDot(const TensorDotArgs &args, const Values &a, const Values &b, Values &out);
void kron(const IntList &da, const IntList &db, const Values &a, const Values &b, Values &out);

// Complex numbers (EvaluateComplex.cpp).
/// A complex operation on interleaved (re, im) operands `a` and `b` (`b` is ignored by unary
/// operations); `out` already has the node's dimension.
void complexOp(OpKind kind, const std::vector<int64_t> &ints, const Values &a, const Values &b,
               Values &out);

// Special functions (EvaluateSpecial.cpp).
/// The d_t - p - 1 B-spline basis functions of degree p on the knots `t`, at `x`.
void bspline(const Values &t, double x, int64_t p, Values &out);
/// Soft-DTW of the sequences x and y for the squared difference, NaN when gamma <= 0.
double softDtwSqDist(const Values &x, const Values &y, double gamma);

// Picks through reported indices, the Min/Max/KMin gradients' (EvaluateIndex.cpp). idx holds
// K·d indices as doubles ([k][c]); `index` is the pair's index they are compared with.
/// out[k·d + c] = f[c] where idx[k·d + c] == index, else 0.
void selectByIndex(const Values &idx, const Values &f, int64_t K, int64_t index, Values &out);
/// out[c] = Σ_k e[k·d + c] over the k where idx[k·d + c] == index (SelectByIndex's adjoint).
void gatherByIndex(const Values &idx, const Values &e, int64_t K, int64_t index, Values &out);

} // namespace keopsc::ir::evalrules
