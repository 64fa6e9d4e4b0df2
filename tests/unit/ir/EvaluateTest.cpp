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

/// The perturbation sees every operation's result once, and each repeated use of an operand
/// once more (hash-consed z/z reads one node twice, but compiled code rounds inside the division).
TEST(Evaluator, PerturbationReachesEachRepeatedOperand) {
  FormulaContext ctx;
  const Formula *x = ctx.var(0, 1, Category::I);
  const Formula *e = ctx.get(OpKind::Exp, {x});
  const Formula *ratio = ctx.get(OpKind::Divide, {e, e});
  const Formula *sum = ctx.get(OpKind::Add, {x, e});
  ASSERT_EQ(ratio->child(0), ratio->child(1));
  double xs[] = {0};
  Evaluator eval({ratio, sum});
  int calls = 0;
  eval.setPerturbation([&](const Formula &, std::vector<double> &v) {
    ++calls;
    v[0] *= 2;
  });
  eval.run([&](int) { return xs; });
  // Exp: 1 → 2; the second operand of the division 2 → 4; 2/4 → 1; x + 2 → 4 (x unperturbed).
  EXPECT_EQ(eval.value(e)[0], 2);
  EXPECT_EQ(eval.value(ratio)[0], 1);
  EXPECT_EQ(eval.value(sum)[0], 4);
  EXPECT_EQ(calls, 4);
  // Without a perturbation the division is exact again.
  eval.setPerturbation(nullptr);
  eval.run([&](int) { return xs; });
  EXPECT_EQ(eval.value(ratio)[0], 1);
  EXPECT_EQ(eval.value(sum)[0], 1);
}

namespace {

/// The components of `kind` applied to the variables of `columns` (each a dimension-n input, in
/// order), with static integers `ints`.
std::vector<double> apply(OpKind kind, const std::vector<std::vector<double>> &columns,
                          std::vector<int64_t> ints = {}) {
  FormulaContext ctx;
  std::vector<const Formula *> vars;
  for (size_t k = 0; k < columns.size(); ++k)
    vars.push_back(ctx.var(int(k), int(columns[k].size()), Category::I));
  const Formula *f = ctx.get(kind, vars, std::move(ints));
  Evaluator eval({f});
  eval.run([&](int pos) { return columns[size_t(pos)].data(); });
  return eval.value(f);
}

using V = std::vector<double>;
const double kNan = std::nan("");
const double kPi = std::acos(-1.0);

/// Equality that treats two NaNs as equal, for vectors with NaN components.
::testing::AssertionResult sameValues(const V &got, const V &want) {
  bool same = got.size() == want.size();
  for (size_t k = 0; same && k < got.size(); ++k)
    same = std::isnan(want[k]) ? std::isnan(got[k]) : got[k] == want[k];
  if (same)
    return ::testing::AssertionSuccess();
  auto text = [](const V &v) {
    std::string s;
    for (double x : v)
      s += std::to_string(x) + " ";
    return s;
  };
  return ::testing::AssertionFailure() << "got " << text(got) << "want " << text(want);
}

} // namespace

TEST(Evaluator, ComparisonsGiveOneOrZeroAndNotEqualIsOneForNan) {
  const V a{1, 2, kNan, 0}, b{1, 3, kNan, -0.0};
  EXPECT_TRUE(sameValues(apply(OpKind::Equal, {a, b}), V{1, 0, 0, 1}));
  EXPECT_TRUE(sameValues(apply(OpKind::NotEqual, {a, b}), V{0, 1, 1, 0}));
  EXPECT_TRUE(sameValues(apply(OpKind::LessThan, {a, b}), V{0, 1, 0, 0}));
  EXPECT_TRUE(sameValues(apply(OpKind::LessOrEqual, {a, b}), V{1, 1, 0, 1}));
}

TEST(Evaluator, ElementwiseFunctionsHaveTheirSpecialValues) {
  EXPECT_TRUE(sameValues(apply(OpKind::XLogX, {{0, -0.0, 1, -1}}), V{0, 0, 0, kNan}));
  EXPECT_TRUE(sameValues(apply(OpKind::SinXDivX, {{0, -0.0}}), V{1, 1}));
  EXPECT_TRUE(sameValues(apply(OpKind::Sign, {{-2, -0.0, 3, kNan}}), V{-1, 0, 1, kNan}));
  EXPECT_TRUE(sameValues(apply(OpKind::Step, {{-2, -0.0, 3, kNan}}), V{0, 1, 1, kNan}));
  EXPECT_TRUE(sameValues(apply(OpKind::ReLU, {{-2, 0, 3, kNan}}), V{0, 0, 3, kNan}));
  EXPECT_TRUE(sameValues(apply(OpKind::Floor, {{-0.5, 1.5}}), V{-1, 1}));
  EXPECT_TRUE(sameValues(apply(OpKind::Asin, {{-1, 1, 1.5}}), V{-kPi / 2, kPi / 2, kNan}));
  EXPECT_TRUE(sameValues(apply(OpKind::Acos, {{-1, 1}}), V{kPi, 0}));
  // atan2 in (-pi, pi], of the real values: (-0, g < 0) gives pi (C: -pi), (0, -0) gives 0.
  EXPECT_TRUE(sameValues(apply(OpKind::Atan2, {{-0.0, 0, -1, 0}, {-1, -1, 0, -0.0}}),
                         V{kPi, kPi, -kPi / 2, 0}));
  EXPECT_TRUE(sameValues(apply(OpKind::Powf, {{-2, 4, -2}, {3, 0.5, 0.5}}), V{-8, 2, kNan}));
}

TEST(Evaluator, RoundDecidesTiesOnTheExactValue) {
  const V x{2.5, -2.5, 0.015, 0.005, 15, -25, 14, 1250};
  EXPECT_TRUE(sameValues(apply(OpKind::Round, {x}, {0}), V{3, -3, 0, 0, 15, -25, 14, 1250}));
  // 0.015 is just below 3/200 and 0.005 just above 1/200 in binary.
  EXPECT_TRUE(sameValues(apply(OpKind::Round, {{0.015, 0.005, -0.015, 0.125}}, {2}),
                         V{0.01, 0.01, -0.01, 0.13}));
  EXPECT_TRUE(sameValues(apply(OpKind::Round, {{15, -25, 14}}, {-1}), V{20, -30, 10}));
  EXPECT_TRUE(sameValues(apply(OpKind::Round, {{1250, 1249}}, {-2}), V{1300, 1200}));
  EXPECT_TRUE(sameValues(apply(OpKind::Round, {{123.25, kNan}}, {400}), V{123.25, kNan}));
  EXPECT_TRUE(sameValues(apply(OpKind::Round, {{123.25}}, {-400}), V{0}));
}

TEST(Evaluator, ModClampAndIfElseFollowTheSpec) {
  EXPECT_TRUE(
      sameValues(apply(OpKind::Mod, {{5.5, -1, -1}, {2, 2, -2}, {0.5, 0.5, 0.5}}), V{1.5, 1, -1}));
  // Bounds that cross: a below a, then b; a NaN anywhere gives NaN.
  EXPECT_TRUE(
      sameValues(apply(OpKind::Clamp,
                       {{-2, 0, 2, 0, kNan, 0}, {-1, 1, 1, kNan, 0, 0}, {1, -1, -1, 1, 1, kNan}}),
                 V{-1, 1, -1, kNan, kNan, kNan}));
  EXPECT_TRUE(sameValues(apply(OpKind::ClampInt, {{-3, 0.5, 3}}, {-1, 2}), V{-1, 0.5, 2}));
  EXPECT_TRUE(
      sameValues(apply(OpKind::DiffClampInt, {{-1, 2, 2.5, kNan}}, {-1, 2}), V{1, 1, 0, kNan}));
  EXPECT_TRUE(sameValues(apply(OpKind::IfElse, {{0, -0.0, -1, kNan}, {1, 1, 1, 1}, {2, 2, 2, 2}}),
                         V{1, 1, 2, kNan}));
}
