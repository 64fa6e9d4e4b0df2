// Tests of the op table's dimension rules (SPEC.md §1 rule B and §3) through ir::inferDim and
// FormulaContext::make. No sema: errors are values here; sema's diagnostics are lit-tested.
#include "ir/Formula.h"

#include <gtest/gtest.h>

using namespace keopsc::ir;

namespace {

class DimRules : public ::testing::Test {
protected:
  int dimOf(OpKind kind, std::vector<const Formula *> children, std::vector<int64_t> ints = {}) {
    DimError error{DimErrorKind::Mismatch, ""};
    int dim = inferDim(kind, children, ints, error);
    if (dim == 0)
      errors.push_back(error);
    return dim;
  }
  const Formula *vec(int pos, int dim) { return ctx.var(pos, dim, Category::I); }

  FormulaContext ctx;
  std::vector<DimError> errors;
};

} // namespace

TEST_F(DimRules, BroadcastAcceptsEqualDimensionsOrOne) {
  EXPECT_EQ(dimOf(OpKind::Add, {vec(0, 3), vec(1, 3)}), 3);
  EXPECT_EQ(dimOf(OpKind::Mult, {vec(0, 1), vec(1, 5)}), 5);
  EXPECT_EQ(dimOf(OpKind::Subtract, {vec(0, 4), vec(1, 1)}), 4);
  EXPECT_TRUE(errors.empty());
}

TEST_F(DimRules, BroadcastRejectsThreeAgainstTwo) {
  EXPECT_EQ(dimOf(OpKind::Add, {vec(0, 3), vec(1, 2)}), 0);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].kind, DimErrorKind::Mismatch);
  EXPECT_EQ(errors[0].detail, "left has 3, right has 2");
}

TEST_F(DimRules, VectorOperationsGiveTheirResultDimension) {
  EXPECT_EQ(dimOf(OpKind::SqDist, {vec(0, 3), vec(1, 3)}), 1);
  EXPECT_EQ(dimOf(OpKind::Sum, {vec(0, 7)}), 1);
  EXPECT_EQ(dimOf(OpKind::SqNorm2, {vec(0, 7)}), 1);
  EXPECT_EQ(dimOf(OpKind::Exp, {vec(0, 7)}), 7);
  EXPECT_EQ(dimOf(OpKind::Concat, {vec(0, 2), vec(1, 5)}), 7);
  EXPECT_EQ(dimOf(OpKind::Elem, {vec(0, 4)}, {3}), 1);
  EXPECT_TRUE(errors.empty());
}

TEST_F(DimRules, ScalprodTakesEqualDimensionsOrAScalar) {
  EXPECT_EQ(dimOf(OpKind::Scalprod, {vec(0, 3), vec(1, 3)}), 1);
  EXPECT_EQ(dimOf(OpKind::Scalprod, {vec(0, 1), vec(1, 3)}), 1);
  EXPECT_EQ(dimOf(OpKind::Scalprod, {vec(0, 3), vec(1, 2)}), 0);
  EXPECT_EQ(errors.size(), 1u);
}

TEST_F(DimRules, ElemIndexMustBeInRange) {
  EXPECT_EQ(dimOf(OpKind::Elem, {vec(0, 3)}, {3}), 0);
  EXPECT_EQ(dimOf(OpKind::Elem, {vec(0, 3)}, {-1}), 0);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].kind, DimErrorKind::IndexOutOfRange);
}

TEST_F(DimRules, ConcatWiderThanTheLimitIsAnError) {
  EXPECT_EQ(dimOf(OpKind::Concat, {vec(0, 1 << 20), vec(1, 1)}), 0);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].kind, DimErrorKind::TooWide);
}

TEST_F(DimRules, ThreeOperandBroadcastAcceptsOnlyOneAndD) {
  EXPECT_EQ(dimOf(OpKind::Clamp, {vec(0, 3), vec(1, 1), vec(2, 1)}), 3);
  EXPECT_EQ(dimOf(OpKind::IfElse, {vec(0, 1), vec(1, 3), vec(2, 3)}), 3);
  EXPECT_EQ(dimOf(OpKind::Mod, {vec(0, 1), vec(1, 1), vec(2, 4)}), 4);
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(dimOf(OpKind::Clamp, {vec(0, 3), vec(1, 2), vec(2, 1)}), 0);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].kind, DimErrorKind::Mismatch);
  EXPECT_EQ(errors[0].detail, "operand 1 has 3, operand 2 has 2, operand 3 has 1");
}

TEST_F(DimRules, ClampIntNeedsOrderedBounds) {
  EXPECT_EQ(dimOf(OpKind::ClampInt, {vec(0, 3)}, {-1, 1}), 3);
  EXPECT_EQ(dimOf(OpKind::ClampInt, {vec(0, 3)}, {2, 2}), 3);
  EXPECT_EQ(dimOf(OpKind::DiffClampInt, {vec(0, 3)}, {2, 1}), 3); // always 0, but meaningful
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(dimOf(OpKind::ClampInt, {vec(0, 3)}, {2, 1}), 0);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].kind, DimErrorKind::IndexOutOfRange);
  EXPECT_EQ(errors[0].detail, "ClampInt needs bounds a <= b, got a = 2 and b = 1");
}

TEST_F(DimRules, ComplexRuleCTakesEvenDimensionsEqualOrTwo) {
  EXPECT_EQ(dimOf(OpKind::ComplexAdd, {vec(0, 4), vec(1, 4)}), 4);
  EXPECT_EQ(dimOf(OpKind::ComplexMult, {vec(0, 2), vec(1, 6)}), 6);
  EXPECT_EQ(dimOf(OpKind::ComplexDivide, {vec(0, 6), vec(1, 2)}), 6);
  EXPECT_EQ(dimOf(OpKind::ComplexSubtract, {vec(0, 2), vec(1, 2)}), 2);
  EXPECT_TRUE(errors.empty());
}

TEST_F(DimRules, ComplexRuleCRejectsOddAndUnequalDimensions) {
  EXPECT_EQ(dimOf(OpKind::ComplexMult, {vec(0, 4), vec(1, 6)}), 0);
  EXPECT_EQ(dimOf(OpKind::ComplexAdd, {vec(0, 3), vec(1, 3)}), 0);
  EXPECT_EQ(dimOf(OpKind::ComplexAdd, {vec(0, 1), vec(1, 4)}), 0); // no real broadcasting
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors[0].kind, DimErrorKind::Mismatch);
  EXPECT_EQ(errors[0].detail, "left has 4, right has 6; complex operands need equal dimensions, "
                              "or one of them 2 (a single complex number)");
  EXPECT_EQ(errors[1].detail, "left has 3, right has 3; complex operands need even dimensions");
}

TEST_F(DimRules, ComplexUnaryOperationsGiveTheirResultDimension) {
  EXPECT_EQ(dimOf(OpKind::ComplexReal, {vec(0, 6)}), 3);
  EXPECT_EQ(dimOf(OpKind::ComplexAbs, {vec(0, 2)}), 1);
  EXPECT_EQ(dimOf(OpKind::Conj, {vec(0, 4)}), 4);
  EXPECT_EQ(dimOf(OpKind::ComplexExp, {vec(0, 4)}), 4);
  EXPECT_EQ(dimOf(OpKind::ComplexSum, {vec(0, 8)}), 2);
  EXPECT_EQ(dimOf(OpKind::Real2Complex, {vec(0, 3)}), 6);
  EXPECT_EQ(dimOf(OpKind::ComplexExp1j, {vec(0, 1)}), 2);
  EXPECT_EQ(dimOf(OpKind::ComplexSumT, {vec(0, 2)}, {6}), 6);
  EXPECT_EQ(dimOf(OpKind::ComplexRealScal, {vec(0, 1), vec(1, 4)}), 4);
  EXPECT_EQ(dimOf(OpKind::ComplexRealScal, {vec(0, 4), vec(1, 1)}), 4);
  EXPECT_TRUE(errors.empty());
}

TEST_F(DimRules, ComplexOperandsMustBeComplex) {
  EXPECT_EQ(dimOf(OpKind::ComplexReal, {vec(0, 3)}), 0);
  EXPECT_EQ(dimOf(OpKind::ComplexSum, {vec(0, 1)}), 0);
  EXPECT_EQ(dimOf(OpKind::ComplexSumT, {vec(0, 4)}, {4}), 0);
  EXPECT_EQ(dimOf(OpKind::ComplexRealScal, {vec(0, 1), vec(1, 3)}), 0);
  EXPECT_EQ(dimOf(OpKind::ComplexRealScal, {vec(0, 2), vec(1, 2)}), 0);
  EXPECT_EQ(dimOf(OpKind::ComplexRealScal, {vec(0, 1), vec(1, 1)}), 0);
  ASSERT_EQ(errors.size(), 6u);
  EXPECT_EQ(errors[0].detail, "operand has 3; a complex vector needs an even dimension");
  for (const DimError &e : errors)
    EXPECT_EQ(e.kind, DimErrorKind::Mismatch);
}

TEST_F(DimRules, ComplexSumTNeedsAnEvenDimension) {
  EXPECT_EQ(dimOf(OpKind::ComplexSumT, {vec(0, 2)}, {5}), 0);
  EXPECT_EQ(dimOf(OpKind::ComplexSumT, {vec(0, 2)}, {0}), 0);
  EXPECT_EQ(dimOf(OpKind::ComplexSumT, {vec(0, 2)}, {int64_t{1} << 22}), 0);
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors[0].kind, DimErrorKind::IndexOutOfRange);
  EXPECT_EQ(errors[0].detail, "ComplexSumT needs an even dimension of at least 2, got 5");
  EXPECT_EQ(errors[2].kind, DimErrorKind::TooWide);
}

TEST_F(DimRules, BSplineNeedsAScalarXAndEnoughKnots) {
  EXPECT_EQ(dimOf(OpKind::BSpline, {vec(0, 6), vec(1, 1)}, {0}), 5);
  EXPECT_EQ(dimOf(OpKind::BSpline, {vec(0, 6), vec(1, 1)}, {4}), 1);
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(dimOf(OpKind::BSpline, {vec(0, 6), vec(1, 1)}, {5}), 0);
  EXPECT_EQ(dimOf(OpKind::BSpline, {vec(0, 6), vec(1, 1)}, {-1}), 0);
  EXPECT_EQ(dimOf(OpKind::BSpline, {vec(0, 6), vec(1, 2)}, {1}), 0);
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors[0].kind, DimErrorKind::IndexOutOfRange);
  EXPECT_EQ(errors[0].detail,
            "BSpline of degree 5 needs at least 7 knots, but the knot vector has dimension 6");
  EXPECT_EQ(errors[1].kind, DimErrorKind::IndexOutOfRange);
  EXPECT_EQ(errors[2].kind, DimErrorKind::Mismatch);
}

TEST_F(DimRules, SoftDtwTakesSequencesOfAnyLengthsAndAScalarGamma) {
  EXPECT_EQ(dimOf(OpKind::SoftDTW_SqDist, {vec(0, 4), vec(1, 7), vec(2, 1)}), 1);
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(dimOf(OpKind::SoftDTW_SqDist, {vec(0, 4), vec(1, 4), vec(2, 2)}), 0);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].detail, "gamma has 2; SoftDTW_SqDist needs a scalar gamma (dimension 1)");
}
