// Tests of the formula IR: uniquing, the op table and traversal.
// Dimension rules are tested in tests/unit/sema/DimRulesTest.cpp.
#include "ir/Formula.h"
#include "ir/Module.h"
#include "ir/Printer.h"

#include <gtest/gtest.h>
#include <set>

using namespace keopsc::ir;

TEST(FormulaContext, EqualStructureGivesSamePointer) {
  FormulaContext ctx;
  const Formula *x = ctx.var(0, 3, Category::I);
  const Formula *y = ctx.var(1, 3, Category::J);
  const Formula *a = ctx.get(OpKind::SqDist, {x, y}, {}, 1);
  const Formula *b =
      ctx.get(OpKind::SqDist, {ctx.var(0, 3, Category::I), ctx.var(1, 3, Category::J)}, {}, 1);
  EXPECT_EQ(a, b);
  EXPECT_EQ(ctx.size(), 3u);
}

TEST(FormulaContext, DifferentChildrenOrIntsGiveDifferentNodes) {
  FormulaContext ctx;
  const Formula *x = ctx.var(0, 3, Category::I);
  const Formula *y = ctx.var(1, 3, Category::J);
  EXPECT_NE(ctx.get(OpKind::Subtract, {x, y}, {}, 3), ctx.get(OpKind::Subtract, {y, x}, {}, 3));
  EXPECT_NE(ctx.get(OpKind::Pow, {x}, {2}, 3), ctx.get(OpKind::Pow, {x}, {3}, 3));
  EXPECT_NE(ctx.var(0, 3, Category::I), ctx.var(0, 3, Category::J));
  EXPECT_NE(ctx.intCst(2), ctx.intCst(3));
}

TEST(FormulaContext, FloatConstantsAreKeyedByValueAndText) {
  FormulaContext ctx;
  EXPECT_EQ(ctx.getFloat(0.5, "0.5"), ctx.getFloat(0.5, "0.5"));
  EXPECT_NE(ctx.getFloat(0.5, "0.5"), ctx.getFloat(0.5, ".5"));
  EXPECT_NE(ctx.getFloat(0.5, "0.5"), ctx.getFloat(0.25, "0.5"));
}

TEST(FormulaContext, PostOrderVisitsChildrenFirstAndSharedNodesOnce) {
  FormulaContext ctx;
  const Formula *x = ctx.var(0, 1, Category::I);
  const Formula *e = ctx.get(OpKind::Exp, {x}, {}, 1);
  const Formula *m = ctx.get(OpKind::Mult, {e, e}, {}, 1);
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
    f = ctx.get(OpKind::Minus, {f}, {}, 1);
  EXPECT_EQ(postOrder(f).size(), 200001u);
}

TEST(OpTable, HasEverySpecOperationOnceWithItsName) {
  // SPEC.md §3 lists 99 entries; keopsc adds FloatCst for float literals.
  EXPECT_EQ(kNumOps, 100);
  std::set<std::string> names;
  for (int k = 0; k < kNumOps; ++k) {
    OpKind kind = static_cast<OpKind>(k);
    std::string name = opInfo(kind).name;
    EXPECT_TRUE(names.insert(name).second) << name;
    OpKind found;
    ASSERT_TRUE(lookupOp(name, found)) << name;
    EXPECT_EQ(found, kind);
  }
  OpKind ignored;
  EXPECT_FALSE(lookupOp("NoSuchOp", ignored));
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

TEST(Printer, PrintsVariablesByInputNameAndKeepsStructure) {
  FormulaContext ctx;
  const Formula *x = ctx.var(0, 3, Category::I);
  const Formula *y = ctx.var(1, 3, Category::J);
  const Formula *f = ctx.get(OpKind::SqDist, {x, y}, {}, 1);
  std::vector<Input> inputs = {{"x", Category::I, 3, true}, {"y", Category::J, 3, true}};
  EXPECT_EQ(printFormula(f, inputs), "SqDist(x, y)");
  EXPECT_EQ(printFormula(f), "SqDist(Var(0, 3, 0), Var(1, 3, 1))");
}
