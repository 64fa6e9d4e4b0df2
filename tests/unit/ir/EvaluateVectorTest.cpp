// Tests of the evaluator's vector and linear-algebra rules (ir/EvaluateVector.cpp,
// ir/EvaluateLinAlg.cpp) against values worked out by hand, including SPEC.md §3's special
// points the conformance data avoid (NaN) and TensorDot's p convention.
#include "ir/Evaluate.h"
#include "ir/ListArgs.h"

#include <cmath>
#include <functional>
#include <gtest/gtest.h>
#include <limits>

using namespace keopsc::ir;

namespace {

/// Evaluates `build(x)` on x = `values` (one i-variable of that dimension).
std::vector<double>
eval(const std::vector<double> &values,
     const std::function<const Formula *(FormulaContext &, const Formula *)> &build) {
  FormulaContext ctx;
  const Formula *x = ctx.var(0, static_cast<int>(values.size()), Category::I);
  const Formula *f = build(ctx, x);
  Evaluator evaluator({f});
  evaluator.run([&](int) { return values.data(); });
  return evaluator.value(f);
}

/// Evaluates `kind(a, b, ints)` on a = 1, 2, ..., d_a and b = `b`.
std::vector<double> evalPair(OpKind kind, int dimA, const std::vector<double> &b,
                             const std::vector<int64_t> &ints) {
  FormulaContext ctx;
  const Formula *x = ctx.var(0, dimA, Category::I);
  const Formula *y = ctx.var(1, static_cast<int>(b.size()), Category::J);
  const Formula *f = ctx.get(kind, {x, y}, ints);
  std::vector<double> a(static_cast<size_t>(dimA));
  for (size_t k = 0; k < a.size(); ++k)
    a[k] = static_cast<double>(k + 1);
  const double *rows[] = {a.data(), b.data()};
  Evaluator evaluator({f});
  evaluator.run([&](int pos) { return rows[pos]; });
  return evaluator.value(f);
}

const double kNan = std::numeric_limits<double>::quiet_NaN();

std::vector<double> unary(OpKind kind, const std::vector<double> &values,
                          std::vector<int64_t> ints = {}) {
  return eval(values,
              [&](FormulaContext &ctx, const Formula *x) { return ctx.get(kind, {x}, ints); });
}

} // namespace

TEST(EvaluateVector, ExtremaPropagateTheFirstNanAndBreakTiesToTheFirstIndex) {
  std::vector<double> withNan = {1, kNan, 3, kNan};
  EXPECT_TRUE(std::isnan(unary(OpKind::Max, withNan)[0]));
  EXPECT_TRUE(std::isnan(unary(OpKind::Min, withNan)[0]));
  EXPECT_EQ(unary(OpKind::ArgMax, withNan)[0], 1);
  EXPECT_EQ(unary(OpKind::ArgMin, withNan)[0], 1);
  std::vector<double> ties = {3, 1, 3, 1};
  EXPECT_EQ(unary(OpKind::Max, ties)[0], 3);
  EXPECT_EQ(unary(OpKind::Min, ties)[0], 1);
  EXPECT_EQ(unary(OpKind::ArgMax, ties)[0], 0);
  EXPECT_EQ(unary(OpKind::ArgMin, ties)[0], 1);
}

TEST(EvaluateVector, NormsAndNormalizeOfZero) {
  EXPECT_EQ(unary(OpKind::Norm2, {3, 4})[0], 5);
  std::vector<double> unit = unary(OpKind::Normalize, {3, 4});
  EXPECT_DOUBLE_EQ(unit[0], 0.6);
  EXPECT_DOUBLE_EQ(unit[1], 0.8);
  EXPECT_EQ(unary(OpKind::Normalize, {0, 0, 0}), (std::vector<double>{0, 0, 0}));
}

TEST(EvaluateVector, WeightedSqNormTakesItsFormFromTheWeightDimension) {
  auto weighted = [](std::vector<double> s, std::vector<double> f) {
    FormulaContext ctx;
    const Formula *sv = ctx.var(0, static_cast<int>(s.size()), Category::Param);
    const Formula *fv = ctx.var(1, static_cast<int>(f.size()), Category::I);
    const Formula *n = ctx.get(OpKind::WeightedSqNorm, {sv, fv});
    // WeightedSqDist(s, f, 0) is the same norm.
    const Formula *d = ctx.get(OpKind::WeightedSqDist, {sv, fv, ctx.zero(1)});
    const double *rows[] = {s.data(), f.data()};
    Evaluator evaluator({n, d});
    evaluator.run([&](int pos) { return rows[pos]; });
    EXPECT_EQ(evaluator.value(d), evaluator.value(n));
    return evaluator.value(n)[0];
  };
  EXPECT_EQ(weighted({2}, {1, 2}), 10);          // SqNormIso: 2·(1 + 4)
  EXPECT_EQ(weighted({2, 3}, {1, 2}), 14);       // SqNormDiag: 2·1 + 3·4
  EXPECT_EQ(weighted({1, 2, 3, 4}, {1, 2}), 27); // SymSqNorm: 1 + 2·2 + 3·2 + 4·4
}

TEST(EvaluateVector, PlacementOperations) {
  EXPECT_EQ(unary(OpKind::SumT, {7}, {3}), (std::vector<double>{7, 7, 7}));
  EXPECT_EQ(unary(OpKind::ElemT, {7}, {4, 2}), (std::vector<double>{0, 0, 7, 0}));
  EXPECT_EQ(unary(OpKind::Extract, {1, 2, 3, 4}, {1, 2}), (std::vector<double>{2, 3}));
  EXPECT_EQ(unary(OpKind::ExtractT, {1, 2}, {3, 6}), (std::vector<double>{0, 0, 0, 1, 2, 0}));
}

TEST(EvaluateVector, OneHotRoundsHalvesUpExactlyAndIgnoresOutOfRange) {
  EXPECT_EQ(unary(OpKind::OneHot, {1.5}, {3}), (std::vector<double>{0, 0, 1}));
  EXPECT_EQ(unary(OpKind::OneHot, {-0.5}, {3}), (std::vector<double>{1, 0, 0}));
  EXPECT_EQ(unary(OpKind::OneHot, {2.5}, {3}), (std::vector<double>{0, 0, 0}));
  EXPECT_EQ(unary(OpKind::OneHot, {-0.6}, {3}), (std::vector<double>{0, 0, 0}));
  // The largest double below 1/2: f + 1/2 rounds to 1, but floor(f + 1/2) is 0.
  EXPECT_EQ(unary(OpKind::OneHot, {std::nextafter(0.5, 0.0)}, {3}), (std::vector<double>{1, 0, 0}));
  std::vector<double> nan = unary(OpKind::OneHot, {kNan}, {2});
  EXPECT_TRUE(std::isnan(nan[0]) && std::isnan(nan[1]));
}

TEST(EvaluateLinAlg, MatrixVectorProductsOfNonSquareMatrices) {
  // A = [[1, 2, 3], [4, 5, 6]].
  EXPECT_EQ(evalPair(OpKind::MatVecMult, 6, {1, 0, -1}, {}), (std::vector<double>{-2, -2}));
  FormulaContext ctx;
  const Formula *b = ctx.var(0, 2, Category::I), *a = ctx.var(1, 6, Category::J);
  const Formula *f = ctx.get(OpKind::VecMatMult, {b, a});
  double bs[] = {1, -1}, as[] = {1, 2, 3, 4, 5, 6};
  const double *rows[] = {bs, as};
  Evaluator evaluator({f});
  evaluator.run([&](int pos) { return rows[pos]; });
  EXPECT_EQ(evaluator.value(f), (std::vector<double>{-3, -3, -3}));
  EXPECT_EQ(evalPair(OpKind::TensorProd, 2, {1, 10, 100}, {}),
            (std::vector<double>{1, 10, 100, 2, 20, 200}));
}

TEST(EvaluateLinAlg, TensorDotIsAMatrixProductAndPTransposes) {
  // A = [[1, 2, 3], [4, 5, 6]], B = [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]].
  std::vector<double> b = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
  EXPECT_EQ(evalPair(OpKind::TensorDot, 6, b, encodeLists({{2, 3}, {3, 4}, {1}, {0}})),
            (std::vector<double>{38, 44, 50, 56, 83, 98, 113, 128}));
  EXPECT_EQ(evalPair(OpKind::TensorDot, 6, b, encodeLists({{2, 3}, {3, 4}, {1}, {0}, {1, 0}})),
            (std::vector<double>{38, 83, 44, 98, 50, 113, 56, 128}));
  // Two contracted axes, paired out of order: Σ_kl A[k][l]·B'[l][k], B' = b as 3x2.
  EXPECT_EQ(evalPair(OpKind::TensorDot, 6, {1, 2, 3, 4, 5, 6},
                     encodeLists({{2, 3}, {3, 2}, {0, 1}, {1, 0}})),
            (std::vector<double>{1 * 1 + 2 * 3 + 3 * 5 + 4 * 2 + 5 * 4 + 6 * 6}));
}

TEST(EvaluateLinAlg, TensorDotPSendsFreeAxisMToPositionPm) {
  // Free axes of sizes 2, 3 (a) and 4 (b); p = [2, 0, 1] gives shape 3x4x2 with
  // out[j][k][i] = a[i][j]·b[k] (numpy.transpose's convention would give 4x2x3).
  std::vector<double> b = {1, 10, 100, 1000};
  std::vector<double> out =
      evalPair(OpKind::TensorDot, 6, b, encodeLists({{2, 3}, {4}, {}, {}, {2, 0, 1}}));
  ASSERT_EQ(out.size(), 24u);
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 3; ++j)
      for (int k = 0; k < 4; ++k)
        EXPECT_EQ(out[static_cast<size_t>(j * 8 + k * 2 + i)], (i * 3 + j + 1) * b[size_t(k)])
            << i << j << k;
}

TEST(EvaluateLinAlg, KronIsNumpyKron) {
  // numpy.kron([[1, 2], [3, 4]], [[0, 5], [6, 7]]).
  EXPECT_EQ(evalPair(OpKind::Kron, 4, {0, 5, 6, 7}, encodeLists({{2, 2}, {2, 2}})),
            (std::vector<double>{0, 5, 0, 10, 6, 7, 12, 14, 0, 15, 0, 20, 18, 21, 24, 28}));
  EXPECT_EQ(evalPair(OpKind::Kron, 2, {1, 10, 100}, encodeLists({{2}, {3}})),
            (std::vector<double>{1, 10, 100, 2, 20, 200}));
}
