// Tests of the simplify pass's folding and of plan-kernels on hand-built stages.
#include "passes/PlanKernels.h"
#include "passes/Simplify.h"
#include "passes/Verify.h"

#include <cmath>
#include <gtest/gtest.h>
#include <sstream>

using namespace keopsc;
using ir::Category;
using ir::OpKind;

namespace {

class Passes : public ::testing::Test {
protected:
  ir::Stage &stageWith(const ir::Formula *f) {
    ir::EntryPoint entry;
    entry.inputs = {{"x", ir::InputOrigin::Alias, Category::I, 3, true, ir::Dtype::Float32},
                    {"y", ir::InputOrigin::Alias, Category::J, 3, true, ir::Dtype::Float32},
                    {"g", ir::InputOrigin::Alias, Category::Param, 1, true, ir::Dtype::Float32}};
    ir::Stage stage;
    stage.formula = f;
    entry.stages.push_back(stage);
    entry.outputs = ir::outputsOf(entry.stages[0], entry.dtype, 0);
    module.entryPoints.push_back(entry);
    return module.entryPoints.back().stages.back();
  }
  const ir::Formula *x() { return ctx().var(0, 3, Category::I); }
  const ir::Formula *y() { return ctx().var(1, 3, Category::J); }
  const ir::Formula *g() { return ctx().var(2, 1, Category::Param); }
  const ir::Formula *cst(int64_t p, int64_t q) {
    return ctx().constant(*ir::Constant::rational(p, q));
  }
  ir::FormulaContext &ctx() { return *module.context; }

  ir::Module module;
  SourceManager sources;
  std::ostringstream messages;
  DiagnosticEngine diags{sources, messages};
  passes::PassContext context{diags, module.sources, {true}};
};

} // namespace

TEST_F(Passes, FoldingIsExact) {
  // 1/2*x: Mult(Divide(1, 2), x) folds to Mult(Const(1/2), x).
  ir::Stage &stage =
      stageWith(ctx().get(OpKind::Mult, {ctx().get(OpKind::Divide, {cst(1, 1), cst(2, 1)}), x()}));
  ASSERT_TRUE(passes::simplify(module, context));
  EXPECT_EQ(stage.formula, ctx().get(OpKind::Mult, {cst(1, 2), x()}));
}

TEST_F(Passes, FoldingLeavesUndefinedArithmeticAndFoldsFunctionsInFloat64) {
  // 1/0 stays (undefined: never folded); Exp(1) folds through float64; x stays.
  const ir::Formula *byZero = ctx().get(OpKind::Divide, {cst(1, 1), ctx().zero(1)});
  const ir::Formula *exp = ctx().get(OpKind::Exp, {cst(1, 1)});
  ir::Stage &stage =
      stageWith(ctx().get(OpKind::Add, {ctx().get(OpKind::Add, {byZero, exp}), x()}));
  ASSERT_TRUE(passes::simplify(module, context));
  const ir::Formula *e = ctx().constant(ir::Constant::real(std::exp(1.0)));
  EXPECT_EQ(stage.formula, ctx().get(OpKind::Add, {ctx().get(OpKind::Add, {e, byZero}), x()}));
}

TEST_F(Passes, PlanClassifiesLevelsAndKeepsWideNodesInScratch) {
  const ir::Formula *minusG = ctx().get(OpKind::Minus, {g()});
  const ir::Formula *xx = ctx().get(OpKind::SqNorm2, {x()});
  const ir::Formula *d = ctx().get(OpKind::SqDist, {x(), y()});
  const ir::Formula *wide = ctx().var(3, 5000, Category::J);
  const ir::Formula *wideSum = ctx().get(OpKind::Sum, {ctx().get(OpKind::Exp, {wide})});
  const ir::Formula *f = ctx().get(
      OpKind::Add, {ctx().get(OpKind::Mult, {minusG, ctx().get(OpKind::Add, {d, xx})}), wideSum});
  ir::Stage &stage = stageWith(f);
  module.entryPoints.back().inputs.push_back(
      {"w", ir::InputOrigin::Alias, Category::J, 5000, true, ir::Dtype::Float32});
  ASSERT_TRUE(passes::planKernels(module, context));
  ASSERT_TRUE(passes::verifyModule(module, context));
  const ir::KernelPlan &plan = *stage.plan;
  EXPECT_EQ(plan.of(minusG).level, ir::Level::Parameter);
  EXPECT_EQ(plan.of(xx).level, ir::Level::OutputRow);
  EXPECT_EQ(plan.of(wideSum).level, ir::Level::ReducedRow);
  EXPECT_EQ(plan.of(d).level, ir::Level::Pair);
  EXPECT_EQ(plan.of(f).level, ir::Level::Pair);
  EXPECT_EQ(plan.of(x()).storage, ir::Storage::Inline);
  EXPECT_EQ(plan.of(d).storage, ir::Storage::Local);
  EXPECT_EQ(plan.of(wideSum->child(0)).storage, ir::Storage::Scratch);
  EXPECT_EQ(plan.scratchElements, 5000);
}
