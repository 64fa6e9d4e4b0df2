// Tests of the formula IR: uniquing, constants, traversal and the op table.
// Dimension rules are tested in DimRulesTest.cpp, rewriting in RewriteTest.cpp.
#include "ir/Formula.h"
#include "ir/ReductionInfo.h"

#include <gtest/gtest.h>
#include <set>

using namespace keopsc::ir;

TEST(FormulaContext, EqualStructureGivesSamePointer) {
  FormulaContext ctx;
  const Formula *x = ctx.var(0, 3, Category::I);
  const Formula *y = ctx.var(1, 3, Category::J);
  const Formula *a = ctx.get(OpKind::SqDist, {x, y});
  const Formula *b =
      ctx.get(OpKind::SqDist, {ctx.var(0, 3, Category::I), ctx.var(1, 3, Category::J)});
  EXPECT_EQ(a, b);
  EXPECT_EQ(ctx.size(), 3u);
}

TEST(FormulaContext, DifferentChildrenOrIntsGiveDifferentNodes) {
  FormulaContext ctx;
  const Formula *x = ctx.var(0, 3, Category::I);
  const Formula *y = ctx.var(1, 3, Category::J);
  EXPECT_NE(ctx.get(OpKind::Subtract, {x, y}), ctx.get(OpKind::Subtract, {y, x}));
  EXPECT_NE(ctx.get(OpKind::Pow, {x}, {2}), ctx.get(OpKind::Pow, {x}, {3}));
  EXPECT_NE(ctx.var(0, 3, Category::I), ctx.var(0, 3, Category::J));
  EXPECT_NE(ctx.constant(Constant::integer(2)), ctx.constant(Constant::integer(3)));
}

TEST(FormulaContext, ConstantsAreKeyedByValueNotSpelling) {
  FormulaContext ctx;
  const Formula *half = ctx.constant(*Constant::parseDecimal("0.5"));
  EXPECT_EQ(half, ctx.constant(*Constant::parseDecimal(".5")));
  EXPECT_EQ(half, ctx.constant(*Constant::parseDecimal("5e-1")));
  EXPECT_EQ(half, ctx.constant(*Constant::rational(1, 2)));
  EXPECT_EQ(half, ctx.constant(*Constant::rational(-3, -6)));
  EXPECT_EQ(half, ctx.constant(Constant::real(0.5)));
  EXPECT_NE(half, ctx.constant(*Constant::parseDecimal("0.25")));
  // A vector constant is another node than its scalar value.
  EXPECT_NE(ctx.zero(1), ctx.zero(3));
  EXPECT_EQ(ctx.zero(3)->dim(), 3);
}

TEST(FormulaContext, PostOrderVisitsChildrenFirstAndSharedNodesOnce) {
  FormulaContext ctx;
  const Formula *x = ctx.var(0, 1, Category::I);
  const Formula *e = ctx.get(OpKind::Exp, {x});
  const Formula *m = ctx.get(OpKind::Mult, {e, e});
  std::vector<const Formula *> order = postOrder(m);
  ASSERT_EQ(order.size(), 3u);
  EXPECT_EQ(order[0], x);
  EXPECT_EQ(order[1], e);
  EXPECT_EQ(order[2], m);
}

TEST(FormulaContext, DeepFormulasDoNotOverflowTheStack) {
  FormulaContext ctx;
  const Formula *f = ctx.var(0, 1, Category::I);
  for (int k = 0; k < 200000; ++k)
    f = ctx.get(OpKind::Minus, {f});
  EXPECT_EQ(postOrder(f).size(), 200001u);
}

TEST(FormulaContext, MakeReportsADimensionErrorInsteadOfBuilding) {
  FormulaContext ctx;
  size_t before = ctx.size();
  BuildResult bad =
      ctx.make(OpKind::Add, {ctx.var(0, 3, Category::I), ctx.var(1, 2, Category::J)}, {});
  EXPECT_FALSE(bad);
  EXPECT_EQ(bad.error().kind, DimErrorKind::Mismatch);
  EXPECT_EQ(bad.error().detail, "left has 3, right has 2");
  EXPECT_EQ(ctx.size(), before + 2); // the two variables, no Add
}

TEST(ReductionTable, AcceptsCanonicalNamesAndGenredAliases) {
  ReductionKind kind;
  ASSERT_TRUE(lookupReduction("KMinArgKMin", kind));
  EXPECT_EQ(kind, ReductionKind::KMin_ArgKMin);
  ASSERT_TRUE(lookupReduction("SoftMax", kind));
  EXPECT_EQ(kind, ReductionKind::SumSoftMaxWeight);
  ASSERT_TRUE(lookupReduction("LogSumExp", kind));
  EXPECT_TRUE(reductionInfo(kind).ready);
  EXPECT_FALSE(lookupReduction("Mean", kind));
}
