// Tests of SelectByIndex and GatherByIndex in the passes: simplify turns a pick of a zero into
// a zero and folds nothing else; plan-kernels gives a pick the level of the index it compares
// with (a pick of output-row values compared with the reduced index is per pair); verify accepts
// the int64 workspace of a gradient's forward indices and refuses any other use of it.
#include "../PickModule.h"
#include "ir/Printer.h"
#include "passes/PlanKernels.h"
#include "passes/Simplify.h"
#include "passes/Verify.h"

#include <gtest/gtest.h>
#include <sstream>

using namespace keopsc;
using ir::Category;
using ir::Formula;
using ir::OpKind;
using samples::kPicks;
using samples::PickVariables;

namespace {

constexpr int64_t kCatI = 0, kCatJ = 1;

const Formula *select(ir::FormulaContext &ctx, const Formula *idx, const Formula *f, int64_t cat) {
  return ctx.get(OpKind::SelectByIndex, {idx, f}, {kPicks, cat});
}
const Formula *gather(ir::FormulaContext &ctx, const Formula *idx, const Formula *e, int64_t cat) {
  return ctx.get(OpKind::GatherByIndex, {idx, e}, {kPicks, cat});
}

/// Plans and verifies a module; the verifier aborts on a broken one.
bool planAndVerify(ir::Module &module) {
  SourceManager sources;
  std::ostringstream messages;
  DiagnosticEngine diags(sources, messages);
  passes::PassContext context(diags, module.sources, {true});
  return passes::planKernels(module, context) && passes::verifyModule(module, context);
}

} // namespace

TEST(PickOps, SimplifyTurnsAPickOfZeroIntoZero) {
  ir::FormulaContext ctx;
  const Formula *idx = ctx.var(3, 6, Category::I);
  EXPECT_EQ(passes::simplifyFormula(ctx, select(ctx, idx, ctx.zero(3), kCatJ)), ctx.zero(6));
  EXPECT_EQ(passes::simplifyFormula(ctx, gather(ctx, idx, ctx.zero(6), kCatJ)), ctx.zero(3));
  // Through the operand's own simplification: x·0.
  const Formula *x = ctx.var(0, 3, Category::I);
  const Formula *times0 = ctx.get(OpKind::Mult, {x, ctx.zero(1)});
  EXPECT_EQ(passes::simplifyFormula(ctx, select(ctx, idx, times0, kCatJ)), ctx.zero(6));
}

TEST(PickOps, SimplifyFoldsNothingElse) {
  ir::FormulaContext ctx;
  const Formula *idx = ctx.var(3, 6, Category::I), *x = ctx.var(0, 3, Category::I);
  // A nonzero constant is picked or not pair by pair: no constant replaces the pick.
  const Formula *constant = select(ctx, idx, ctx.constant(ir::Constant::integer(2), 3), kCatJ);
  EXPECT_EQ(passes::simplifyFormula(ctx, constant), constant);
  const Formula *ones = gather(ctx, idx, ctx.constant(ir::Constant::integer(1), 6), kCatI);
  EXPECT_EQ(passes::simplifyFormula(ctx, ones), ones);
  // The operand is simplified, the pick kept: x·1 → x.
  const Formula *times1 = ctx.get(OpKind::Mult, {x, ctx.constant(ir::Constant::integer(1))});
  EXPECT_EQ(passes::simplifyFormula(ctx, select(ctx, idx, times1, kCatJ)),
            select(ctx, idx, x, kCatJ));
}

// Axis 1 (output rows i, reduced j): the indices and e are output-row values.
TEST(PickOps, APickChangesWithTheIndexItComparesWith) {
  const Formula *byJ = nullptr, *byI = nullptr, *ofY = nullptr;
  ir::Module module = samples::pickModule([&](ir::FormulaContext &ctx, const PickVariables &v) {
    byJ = gather(ctx, v.idx, v.e, kCatJ);
    byI = gather(ctx, v.idx, select(ctx, v.idx, v.x, kCatI), kCatI);
    ofY = select(ctx, v.idx, ctx.get(OpKind::Exp, {v.y}), kCatI);
    return ctx.get(OpKind::Add, {ctx.get(OpKind::Add, {byJ, byI}), ctx.get(OpKind::Sum, {ofY})});
  });
  ASSERT_TRUE(planAndVerify(module));
  const ir::KernelPlan &plan = *module.entryPoints[0].stages[1].plan;
  EXPECT_EQ(plan.of(byJ).level, ir::Level::Pair);      // output-row operands, compared with j
  EXPECT_EQ(plan.of(byI).level, ir::Level::OutputRow); // compared with i: once per row
  EXPECT_EQ(plan.of(ofY).level, ir::Level::Pair);      // a j-row value compared with i
}

// Axis 0 (output rows j, reduced i): the same picks, the levels swapped.
TEST(PickOps, APickComparedWithTheOutputIndexOnAxisZero) {
  const Formula *byJ = nullptr, *byI = nullptr;
  ir::Module module = samples::pickModule(
      [&](ir::FormulaContext &ctx, const PickVariables &v) {
        byJ = gather(ctx, v.idx, v.e, kCatJ);
        byI = gather(ctx, v.idx, v.e, kCatI);
        return ctx.get(OpKind::Add, {byJ, byI});
      },
      0);
  ASSERT_TRUE(planAndVerify(module));
  const ir::KernelPlan &plan = *module.entryPoints[0].stages[1].plan;
  EXPECT_EQ(plan.of(byJ).level, ir::Level::Pair);       // i-row operands, j the output index
  EXPECT_EQ(plan.of(byI).level, ir::Level::ReducedRow); // i-row operands compared with i
}

TEST(PickOps, VerifyRefusesOtherReadsOfTheIndices) {
  auto refused =
      [](const std::function<const Formula *(ir::FormulaContext &, const PickVariables &)> &build) {
        ir::Module module = samples::pickModule(build);
        planAndVerify(module);
      };
  EXPECT_DEATH(refused([](ir::FormulaContext &ctx, const PickVariables &v) {
                 return ctx.get(OpKind::Sum, {v.idx});
               }),
               "internal error: an Int64 input is read other than as the indices of a pick");
  EXPECT_DEATH(refused([](ir::FormulaContext &ctx, const PickVariables &v) {
                 return gather(ctx, v.idx, v.idx, kCatJ);
               }),
               "internal error: an Int64 input is read other than as the indices of a pick");
  EXPECT_DEATH(refused([](ir::FormulaContext &, const PickVariables &v) { return v.idx; }),
               "internal error: a stage's term is an Int64 input");
  EXPECT_DEATH(refused([](ir::FormulaContext &ctx, const PickVariables &v) {
                 return gather(ctx, v.e, v.e, kCatJ); // float indices
               }),
               "internal error: a pick's indices are not an Int64 workspace variable");
}

// --emit=ir shows a pick with its indices (the workspace variable), K and category.
TEST(PickOps, ThePrinterShowsIndicesKAndCategory) {
  ir::Module module = samples::pickModule([&](ir::FormulaContext &ctx, const PickVariables &v) {
    return gather(ctx, v.idx, v.e, kCatJ);
  });
  ASSERT_TRUE(planAndVerify(module));
  const std::string text = ir::printModule(module);
  EXPECT_NE(text.find("$3: Vi(6) = stage 0"), std::string::npos) << text;
  EXPECT_NE(text.find("idx: Vi(6) int64 workspace"), std::string::npos) << text;
  EXPECT_NE(text.find("%0 = Var(3, 6, 0) : 6  ; output-row, inline\n"
                      "    %1 = e : 6  ; output-row, inline\n"
                      "    %2 = GatherByIndex(%0, %1, 2, 1) : 3  ; pair, local\n"),
            std::string::npos)
      << text;
}
