// Tests of dimension inference (SPEC.md §1 rules B and §3) through sema's inferDim.
// Name resolution and options are covered by the lit tests in tests/lit/sema/.
#include "sema/ExprLowering.h"

#include <gtest/gtest.h>
#include <sstream>

using namespace keopsc;
using ir::Category;
using ir::OpKind;

namespace {

class DimRules : public ::testing::Test {
protected:
  int dimOf(OpKind kind, std::vector<const ir::Formula *> children,
            std::vector<int64_t> ints = {}) {
    return sema::inferDim(kind, children, ints, "op", SourceRange{}, diags);
  }
  const ir::Formula *vec(int pos, int dim) { return ctx.var(pos, dim, Category::I); }

  ir::FormulaContext ctx;
  SourceManager sources;
  std::ostringstream messages;
  DiagnosticEngine diags{sources, messages};
};

} // namespace

TEST_F(DimRules, BroadcastAcceptsEqualDimensionsOrOne) {
  EXPECT_EQ(dimOf(OpKind::Add, {vec(0, 3), vec(1, 3)}), 3);
  EXPECT_EQ(dimOf(OpKind::Mult, {vec(0, 1), vec(1, 5)}), 5);
  EXPECT_EQ(dimOf(OpKind::Subtract, {vec(0, 4), vec(1, 1)}), 4);
  EXPECT_FALSE(diags.hasErrors());
}

TEST_F(DimRules, BroadcastRejectsThreeAgainstTwo) {
  EXPECT_EQ(dimOf(OpKind::Add, {vec(0, 3), vec(1, 2)}), 0);
  EXPECT_EQ(diags.errorCount(), 1u);
  EXPECT_NE(messages.str().find("left has 3, right has 2"), std::string::npos);
}

TEST_F(DimRules, VectorOperationsGiveTheirResultDimension) {
  EXPECT_EQ(dimOf(OpKind::SqDist, {vec(0, 3), vec(1, 3)}), 1);
  EXPECT_EQ(dimOf(OpKind::Sum, {vec(0, 7)}), 1);
  EXPECT_EQ(dimOf(OpKind::SqNorm2, {vec(0, 7)}), 1);
  EXPECT_EQ(dimOf(OpKind::Exp, {vec(0, 7)}), 7);
  EXPECT_EQ(dimOf(OpKind::Concat, {vec(0, 2), vec(1, 5)}), 7);
  EXPECT_EQ(dimOf(OpKind::Elem, {vec(0, 4)}, {3}), 1);
  EXPECT_FALSE(diags.hasErrors());
}

TEST_F(DimRules, ScalprodTakesEqualDimensionsOrAScalar) {
  EXPECT_EQ(dimOf(OpKind::Scalprod, {vec(0, 3), vec(1, 3)}), 1);
  EXPECT_EQ(dimOf(OpKind::Scalprod, {vec(0, 1), vec(1, 3)}), 1);
  EXPECT_EQ(dimOf(OpKind::Scalprod, {vec(0, 3), vec(1, 2)}), 0);
  EXPECT_EQ(diags.errorCount(), 1u);
}

TEST_F(DimRules, ElemIndexMustBeInRange) {
  EXPECT_EQ(dimOf(OpKind::Elem, {vec(0, 3)}, {3}), 0);
  EXPECT_EQ(dimOf(OpKind::Elem, {vec(0, 3)}, {-1}), 0);
  EXPECT_EQ(diags.errorCount(), 2u);
}
