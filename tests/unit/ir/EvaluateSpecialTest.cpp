// Tests of the evaluator's special functions (ir/EvaluateSpecial.cpp) against values worked out
// by hand: B-spline bases (uniform and repeated knots, half-open intervals) and soft-DTW.
#include "ir/Evaluate.h"

#include <cmath>
#include <gtest/gtest.h>

using namespace keopsc::ir;

namespace {

using V = std::vector<double>;

V bspline(const V &knots, double x, int64_t p) {
  FormulaContext ctx;
  const Formula *f =
      ctx.get(OpKind::BSpline,
              {ctx.var(0, int(knots.size()), Category::Param), ctx.var(1, 1, Category::I)}, {p});
  const double *rows[] = {knots.data(), &x};
  Evaluator evaluator({f});
  evaluator.run([&](int pos) { return rows[pos]; });
  return evaluator.value(f);
}

double softDtw(const V &x, const V &y, double gamma) {
  FormulaContext ctx;
  const Formula *f = ctx.get(OpKind::SoftDTW_SqDist, {ctx.var(0, int(x.size()), Category::I),
                                                      ctx.var(1, int(y.size()), Category::J),
                                                      ctx.var(2, 1, Category::Param)});
  const double *rows[] = {x.data(), y.data(), &gamma};
  Evaluator evaluator({f});
  evaluator.run([&](int pos) { return rows[pos]; });
  return evaluator.value(f)[0];
}

void expectNear(const V &got, const V &want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t k = 0; k < got.size(); ++k)
    EXPECT_NEAR(got[k], want[k], 1e-15) << "component " << k;
}

} // namespace

TEST(EvaluateSpecial, BSplineDegreeZeroIsAHalfOpenIndicator) {
  EXPECT_EQ(bspline({0, 1, 2, 3}, 1, 0), (V{0, 1, 0}));
  EXPECT_EQ(bspline({0, 1, 2, 3}, 2.5, 0), (V{0, 0, 1}));
  EXPECT_EQ(bspline({0, 1, 2, 3}, 3, 0), (V{0, 0, 0})); // the last knot is in no interval
  EXPECT_EQ(bspline({0, 1, 2, 3}, -1, 0), (V{0, 0, 0}));
  EXPECT_EQ(bspline({0, 1, 1, 2}, 1, 0), (V{0, 0, 1})); // an empty interval [1, 1)
}

TEST(EvaluateSpecial, BSplineOnUniformKnotsIsTheCardinalSpline) {
  expectNear(bspline({0, 1, 2}, 0.5, 1), V{0.5});         // the hat function
  expectNear(bspline({0, 1, 2, 3}, 1.5, 2), V{0.75});     // quadratic peak
  expectNear(bspline({0, 1, 2, 3, 4}, 2, 3), V{2.0 / 3}); // cubic peak
  expectNear(bspline({0, 1, 2, 3, 4}, 1, 3), V{1.0 / 6}); // cubic at a knot
  expectNear(bspline({0, 1, 2, 3, 4, 5}, 1.5, 3), V{23.0 / 48, 1.0 / 48});
}

TEST(EvaluateSpecial, BSplineWithRepeatedKnots) {
  // ω is 0 over an empty knot span: clamped linear and quadratic bases.
  expectNear(bspline({0, 0, 1}, 0.25, 1), V{0.75});
  expectNear(bspline({0, 0, 1, 1}, 0.25, 1), V{0.75, 0.25});
  expectNear(bspline({0, 0, 0, 1, 1, 1}, 0.5, 2), V{0.25, 0.5, 0.25});
}

TEST(EvaluateSpecial, SoftDtwFollowsItsRecursion) {
  EXPECT_EQ(softDtw({0}, {1, 2}, 1), 5); // one row: a running sum
  EXPECT_EQ(softDtw({1, 2}, {0}, 1), 5); // one column
  // Costs [[0, 1], [1, 0]]: r(1,1) = 0 + softmin(0, 1, 1) = −γ ln(1 + 2e^(−1/γ)).
  EXPECT_NEAR(softDtw({0, 1}, {0, 1}, 1), -std::log(1 + 2 * std::exp(-1.0)), 1e-15);
  EXPECT_NEAR(softDtw({0, 1}, {0, 1}, 0.5), -0.5 * std::log(1 + 2 * std::exp(-2.0)), 1e-15);
  // Tiny γ: the soft-min is the min (plain DTW), with no overflow.
  // r(1,1) = 1 + ~0, r(2,1) = 0 + softmin(1, 1, 5) = 1 − γ ln 2 (a tie of two paths).
  EXPECT_NEAR(softDtw({0, 1, 2}, {0, 2}, 1e-3), 1 - 1e-3 * std::log(2.0), 1e-12);
}

TEST(EvaluateSpecial, SoftDtwIsNanForGammaNotPositive) {
  EXPECT_TRUE(std::isnan(softDtw({0, 1}, {0, 1}, 0)));
  EXPECT_TRUE(std::isnan(softDtw({0, 1}, {0, 1}, -1)));
  EXPECT_TRUE(std::isnan(softDtw({0}, {1, 2}, 0))); // even with no soft-min to compute
  EXPECT_TRUE(std::isnan(softDtw({0, 1}, {0, 1}, std::nan(""))));
}
