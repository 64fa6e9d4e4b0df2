// Tests of the evaluator's complex operations (ir/EvaluateComplex.cpp) against values worked
// out by hand: interleaved (re, im) pairs, rule C's broadcasting, the branch cut of the angle.
#include "ir/Evaluate.h"

#include <cmath>
#include <gtest/gtest.h>

using namespace keopsc::ir;

namespace {

using V = std::vector<double>;

/// The value of `kind` applied to constant-free variables holding `a` (and `b`).
V eval(OpKind kind, const V &a, const V &b = {}, std::vector<int64_t> ints = {}) {
  FormulaContext ctx;
  std::vector<const Formula *> children{ctx.var(0, int(a.size()), Category::I)};
  if (!b.empty())
    children.push_back(ctx.var(1, int(b.size()), Category::J));
  const Formula *f = ctx.get(kind, children, std::move(ints));
  const double *rows[] = {a.data(), b.data()};
  Evaluator evaluator({f});
  evaluator.run([&](int pos) { return rows[pos]; });
  return evaluator.value(f);
}

} // namespace

TEST(EvaluateComplex, PartsAndConversions) {
  EXPECT_EQ(eval(OpKind::ComplexReal, {1, 2, 3, 4}), (V{1, 3}));
  EXPECT_EQ(eval(OpKind::ComplexImag, {1, 2, 3, 4}), (V{2, 4}));
  EXPECT_EQ(eval(OpKind::Real2Complex, {5, 6}), (V{5, 0, 6, 0}));
  EXPECT_EQ(eval(OpKind::Imag2Complex, {5, 6}), (V{0, 5, 0, 6}));
  EXPECT_EQ(eval(OpKind::Conj, {1, 2, 3, -4}), (V{1, -2, 3, 4}));
}

TEST(EvaluateComplex, ArithmeticOnPairs) {
  // (1 + 2i)(3 − i) = 5 + 5i; (1 + 2i)/(3 − i) = (1 + 2i)(3 + i)/10 = 0.1 + 0.7i.
  EXPECT_EQ(eval(OpKind::ComplexMult, {1, 2}, {3, -1}), (V{5, 5}));
  V q = eval(OpKind::ComplexDivide, {1, 2}, {3, -1});
  EXPECT_DOUBLE_EQ(q[0], 0.1);
  EXPECT_DOUBLE_EQ(q[1], 0.7);
  EXPECT_EQ(eval(OpKind::ComplexAdd, {1, 2, 3, 4}, {10, 20, 30, 40}), (V{11, 22, 33, 44}));
  EXPECT_EQ(eval(OpKind::ComplexSubtract, {1, 2, 3, 4}, {10, 20, 30, 40}), (V{-9, -18, -27, -36}));
}

TEST(EvaluateComplex, ASingleComplexNumberBroadcasts) {
  EXPECT_EQ(eval(OpKind::ComplexAdd, {1, 2}, {10, 20, 30, 40}), (V{11, 22, 31, 42}));
  EXPECT_EQ(eval(OpKind::ComplexSubtract, {10, 20, 30, 40}, {1, 2}), (V{9, 18, 29, 38}));
  // i·(1 + 2i, 3 + 4i) = (−2 + i, −4 + 3i)
  EXPECT_EQ(eval(OpKind::ComplexMult, {0, 1}, {1, 2, 3, 4}), (V{-2, 1, -4, 3}));
  EXPECT_EQ(eval(OpKind::ComplexDivide, {2, 4, 6, 8}, {2, 0}), (V{1, 2, 3, 4}));
}

TEST(EvaluateComplex, ExponentialsModuliAndAngles) {
  V e = eval(OpKind::ComplexExp, {std::log(2.0), M_PI / 2});
  EXPECT_NEAR(e[0], 0, 1e-15);
  EXPECT_DOUBLE_EQ(e[1], 2);
  V e1j = eval(OpKind::ComplexExp1j, {0, M_PI});
  EXPECT_EQ(e1j[0], 1);
  EXPECT_EQ(e1j[1], 0);
  EXPECT_DOUBLE_EQ(e1j[2], -1);
  EXPECT_EQ(eval(OpKind::ComplexSquareAbs, {3, 4, 1, -1}), (V{25, 2}));
  EXPECT_EQ(eval(OpKind::ComplexAbs, {3, 4, 0, 0}), (V{5, 0}));
  // atan2(im, re) in (−π, π], of the real values: the negative real axis is π whatever the
  // sign of its zero, and the angle of 0 is 0 whatever the signs.
  EXPECT_EQ(eval(OpKind::ComplexAngle, {-1, 0.0, -1, -0.0, -0.0, -0.0, 0, 1, 1, -1}),
            (V{M_PI, M_PI, 0, M_PI / 2, -M_PI / 4}));
}

TEST(EvaluateComplex, SumsAndScalars) {
  EXPECT_EQ(eval(OpKind::ComplexSum, {1, 2, 3, 4, 5, 6}), (V{9, 12}));
  EXPECT_EQ(eval(OpKind::ComplexSumT, {1, 2}, {}, {6}), (V{1, 2, 1, 2, 1, 2}));
  EXPECT_EQ(eval(OpKind::ComplexRealScal, {2}, {1, 2, 3, 4}), (V{2, 4, 6, 8}));
  EXPECT_EQ(eval(OpKind::ComplexRealScal, {1, 2, 3, 4}, {-1}), (V{-1, -2, -3, -4}));
}
