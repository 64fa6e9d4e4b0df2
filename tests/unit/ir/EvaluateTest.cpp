// Tests of the float64 evaluator against values worked out by hand.
#include "ir/Evaluate.h"

#include <cmath>
#include <gtest/gtest.h>

using namespace keopsc::ir;

TEST(Evaluator, GaussianTermAndBroadcasting) {
  FormulaContext ctx;
  const Formula *x = ctx.var(0, 2, Category::I);
  const Formula *y = ctx.var(1, 2, Category::J);
  const Formula *g = ctx.var(2, 1, Category::Param);
  const Formula *f = ctx.get(
      OpKind::Exp,
      {ctx.get(OpKind::Mult, {ctx.get(OpKind::Minus, {g}), ctx.get(OpKind::SqDist, {x, y})})});
  const Formula *v = ctx.get(OpKind::Add, {x, g}); // rule B: dim 1 broadcasts
  double xs[] = {1, 2}, ys[] = {0, 4}, gs[] = {0.5};
  const double *rows[] = {xs, ys, gs};
  Evaluator eval({f, v});
  eval.run([&](int pos) { return rows[pos]; });
  EXPECT_DOUBLE_EQ(eval.value(f)[0], std::exp(-0.5 * 5));
  EXPECT_EQ(eval.value(v), (std::vector<double>{1.5, 2.5}));
}

TEST(Evaluator, SpecialValuesFollowTheSpec) {
  FormulaContext ctx;
  const Formula *x = ctx.var(0, 2, Category::I);
  const Formula *r = ctx.get(OpKind::Rsqrt, {x});
  const Formula *p = ctx.get(OpKind::Pow, {x}, {-2});
  const Formula *c = ctx.get(OpKind::Concat, {ctx.constant(*Constant::rational(1, 4)), x});
  double xs[] = {0, 4};
  Evaluator eval({r, p, c});
  eval.run([&](int) { return xs; });
  EXPECT_EQ(eval.value(r), (std::vector<double>{0, 0.5}));
  EXPECT_EQ(eval.value(p)[1], 1.0 / 16);
  EXPECT_EQ(eval.value(c), (std::vector<double>{0.25, 0, 4}));
}
