// Tests of SelectByIndex and GatherByIndex in the IR: their dimension rules (the indices a
// variable of K·d values, e a multiple of K, cat i or j) and their float64 meaning for given
// pairs (ir/EvaluateIndex.cpp), including an unpicked non-finite component and the evaluator's
// refusal to compare with a pair it was not given.
#include "ir/Evaluate.h"
#include "ir/Formula.h"

#include <cmath>
#include <gtest/gtest.h>
#include <limits>

using namespace keopsc::ir;

namespace {

constexpr int64_t kCatI = 0, kCatJ = 1;
const double kNan = std::numeric_limits<double>::quiet_NaN();

class PickOps : public ::testing::Test {
protected:
  /// The dimension of kind(idx, operand) or 0, keeping the error's detail.
  int dimOf(OpKind kind, const Formula *idx, const Formula *operand, int64_t K, int64_t cat) {
    error = {DimErrorKind::Mismatch, ""};
    return inferDim(kind, {idx, operand}, {K, cat}, error);
  }
  /// kind(idx, v) with idx at position 0 (Vi) and v at position 1 (Vj), evaluated for (i, j).
  std::vector<double> eval(OpKind kind, int64_t K, int64_t cat, const std::vector<double> &idx,
                           const std::vector<double> &v, int64_t i, int64_t j) {
    const Formula *f = ctx.get(
        kind, {ctx.var(0, int(idx.size()), Category::I), ctx.var(1, int(v.size()), Category::J)},
        {K, cat});
    const double *rows[] = {idx.data(), v.data()};
    Evaluator evaluator({f});
    evaluator.run([&](int pos) { return rows[pos]; }, i, j);
    return evaluator.value(f);
  }
  const Formula *vec(int pos, int dim) { return ctx.var(pos, dim, Category::I); }

  FormulaContext ctx;
  DimError error{DimErrorKind::Mismatch, ""};
};

} // namespace

TEST_F(PickOps, SelectGivesKPicksOfFAndGatherOneF) {
  EXPECT_EQ(dimOf(OpKind::SelectByIndex, vec(0, 6), vec(1, 3), 2, kCatJ), 6);
  EXPECT_EQ(dimOf(OpKind::SelectByIndex, vec(0, 3), vec(1, 3), 1, kCatI), 3);
  EXPECT_EQ(dimOf(OpKind::GatherByIndex, vec(0, 6), vec(1, 6), 2, kCatJ), 3);
  EXPECT_EQ(dimOf(OpKind::GatherByIndex, vec(0, 1), vec(1, 1), 1, kCatI), 1);
}

TEST_F(PickOps, DimensionRulesExplainWhatIsWrong) {
  EXPECT_EQ(dimOf(OpKind::SelectByIndex, vec(0, 5), vec(1, 3), 2, kCatJ), 0);
  EXPECT_EQ(error.kind, DimErrorKind::Mismatch);
  EXPECT_EQ(error.detail, "the indices have 5, K = 2 picks of dimension 3 need 6");
  EXPECT_EQ(dimOf(OpKind::GatherByIndex, vec(0, 7), vec(1, 7), 2, kCatJ), 0);
  EXPECT_EQ(error.detail, "e has 7, not a multiple of K = 2");
  EXPECT_EQ(dimOf(OpKind::GatherByIndex, vec(0, 4), vec(1, 6), 2, kCatJ), 0);
  EXPECT_EQ(error.detail, "the indices have 4, K = 2 picks of dimension 3 need 6");
  EXPECT_EQ(dimOf(OpKind::SelectByIndex, vec(0, 3), vec(1, 3), 0, kCatJ), 0);
  EXPECT_EQ(error.kind, DimErrorKind::IndexOutOfRange);
  EXPECT_EQ(error.detail, "SelectByIndex count K = 0 must be 1 to 2^20");
  EXPECT_EQ(dimOf(OpKind::GatherByIndex, vec(0, 3), vec(1, 3), 1, 2), 0);
  EXPECT_EQ(error.detail,
            "GatherByIndex compares with the index of category 2; it needs 0 (i) or 1 (j)");
  const Formula *notAVariable = ctx.get(OpKind::Exp, {vec(0, 3)});
  EXPECT_EQ(dimOf(OpKind::SelectByIndex, notAVariable, vec(1, 3), 1, kCatJ), 0);
  EXPECT_EQ(error.kind, DimErrorKind::BadArgument);
  EXPECT_EQ(error.detail, "the indices of SelectByIndex must be a variable");
}

// idx = [k][c] for K = 2, d = 3: pick 0 reports j = 4, 7, 4; pick 1 reports j = 5, 4, 9.
TEST_F(PickOps, SelectCopiesFWhereTheIndexIsThePairs) {
  const std::vector<double> idx = {4, 7, 4, 5, 4, 9}, f = {10, 20, 30};
  EXPECT_EQ(eval(OpKind::SelectByIndex, 2, kCatJ, idx, f, 0, 4),
            (std::vector<double>{10, 0, 30, 0, 20, 0}));
  EXPECT_EQ(eval(OpKind::SelectByIndex, 2, kCatJ, idx, f, 0, 9),
            (std::vector<double>{0, 0, 0, 0, 0, 30}));
  EXPECT_EQ(eval(OpKind::SelectByIndex, 2, kCatJ, idx, f, 4, 3), std::vector<double>(6, 0.0));
  // cat = i compares with the pair's i.
  EXPECT_EQ(eval(OpKind::SelectByIndex, 2, kCatI, idx, f, 7, 4),
            (std::vector<double>{0, 20, 0, 0, 0, 0}));
}

TEST_F(PickOps, GatherSumsThePickedComponentsOfE) {
  const std::vector<double> idx = {4, 7, 4, 5, 4, 9}, e = {1, 2, 3, 4, 5, 6};
  EXPECT_EQ(eval(OpKind::GatherByIndex, 2, kCatJ, idx, e, 0, 4), (std::vector<double>{1, 5, 3}));
  EXPECT_EQ(eval(OpKind::GatherByIndex, 2, kCatJ, idx, e, 0, 5), (std::vector<double>{4, 0, 0}));
  // Both picks of a component on the same index (KMin with K > N pads): their sum.
  const std::vector<double> twice = {4, 4};
  EXPECT_EQ(eval(OpKind::GatherByIndex, 2, kCatJ, twice, {2, 3}, 0, 4), (std::vector<double>{5}));
}

TEST_F(PickOps, UnpickedComponentsAreZeroEvenWhereNotFinite) {
  const std::vector<double> idx = {1, 2};
  const std::vector<double> select =
      eval(OpKind::SelectByIndex, 1, kCatJ, idx, {kNan, INFINITY}, 0, 1);
  EXPECT_TRUE(std::isnan(select[0]));
  EXPECT_EQ(select[1], 0.0);
  const std::vector<double> gather =
      eval(OpKind::GatherByIndex, 1, kCatJ, idx, {kNan, INFINITY}, 0, 2);
  EXPECT_EQ(gather[0], 0.0);
  EXPECT_EQ(gather[1], INFINITY);
}

TEST_F(PickOps, IndicesAreExactBelowTwoToThe53) {
  const double big = 9007199254740991.0; // 2^53 - 1
  EXPECT_EQ(eval(OpKind::SelectByIndex, 1, kCatJ, {big}, {2}, 0, int64_t{9007199254740991}),
            (std::vector<double>{2}));
  EXPECT_EQ(eval(OpKind::SelectByIndex, 1, kCatJ, {big}, {2}, 0, int64_t{9007199254740990}),
            (std::vector<double>{0}));
}

TEST_F(PickOps, EvaluatingAPickWithoutThePairIsACompilerBug) {
  const Formula *f =
      ctx.get(OpKind::SelectByIndex, {vec(0, 1), ctx.var(1, 1, Category::J)}, {1, kCatJ});
  const double one = 1;
  Evaluator evaluator({f});
  EXPECT_DEATH(evaluator.run([&](int) { return &one; }), "internal error: comparing with the "
                                                         "pair's indices needs");
}
