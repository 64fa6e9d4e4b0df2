// Tests of the shared expression emitter: every ready operation has a codegen rule (generated
// from the op table), element-wise operations go through their one runtime function, and
// storage follows the plan.
#include "codegen/ExprEmitter.h"

#include "passes/PlanKernels.h"

#include <gtest/gtest.h>

using namespace keopsc;
using ir::OpKind;

namespace {

class TestHooks final : public codegen::ExprEmitter::Hooks {
public:
  std::string load(const ir::Formula *var, const std::string &k) const override {
    return "in" + std::to_string(var->varPos()) + "[" + k + "]";
  }
  std::string valueType(codegen::ValueKind kind) const override {
    return kind == codegen::ValueKind::Uniform ? "float" : "vfloat";
  }
  std::string scratch(int64_t offset) const override {
    return "scratch + " + std::to_string(offset);
  }
};

std::string emit(const ir::Formula *f) {
  ir::Stage stage;
  stage.formula = f;
  ir::KernelPlan plan = passes::planStage(stage);
  TestHooks hooks;
  codegen::ExprEmitter exprs(plan, ir::Dtype::Float32, hooks);
  IndentedWriter out;
  exprs.emit(ir::postOrder(f), out);
  return out.str();
}

/// A node of `kind` over i and j variables of dimension 3, 2 or 1 and static integers 0 or 2:
/// the first combination its dimension rule accepts (complex operations need even dimensions,
/// BSpline a scalar x, SoftDTW_SqDist a scalar gamma, ComplexSumT an even D).
const ir::Formula *sample(ir::FormulaContext &ctx, OpKind kind) {
  const ir::OpInfo &info = ir::opInfo(kind);
  const int dims[] = {3, 2, 1};
  int combinations = 1;
  for (int c = 0; c < info.operands; ++c)
    combinations *= 3;
  for (int64_t n : {0, 2})
    for (int m = 0; m < combinations; ++m) {
      std::vector<const ir::Formula *> children;
      for (int c = 0, rest = m; c < info.operands; ++c, rest /= 3)
        children.push_back(ctx.var(c, dims[rest % 3], c % 2 ? ir::Category::J : ir::Category::I));
      ir::BuildResult node =
          ctx.make(kind, children, std::vector<int64_t>(static_cast<size_t>(info.ints), n));
      if (node)
        return node.node();
    }
  return nullptr;
}

} // namespace

TEST(ExprEmitter, EveryReadyOperationHasACodegenRule) {
  ir::FormulaContext ctx;
  for (int k = 0; k < ir::kNumOps; ++k) {
    OpKind kind = static_cast<OpKind>(k);
    const ir::OpInfo &info = ir::opInfo(kind);
    if (!info.ready || info.dims == ir::DimRule::Leaf || info.spellingOnly())
      continue;
    const ir::Formula *f = sample(ctx, kind);
    ASSERT_NE(f, nullptr) << info.name << " accepts no sample operands";
    std::string code = emit(f); // a missing rule aborts with "internal error"
    EXPECT_FALSE(code.empty()) << info.name;
    if (info.elementwise()) {
      EXPECT_NE(code.find(std::string("keops_rt::op_") + info.math + "("), std::string::npos)
          << code;
    }
  }
}

TEST(ExprEmitter, ValueKindsAndStorageFollowThePlan) {
  ir::FormulaContext ctx;
  const ir::Formula *x = ctx.var(0, 3, ir::Category::I);
  const ir::Formula *y = ctx.var(1, 2000, ir::Category::J);
  const ir::Formula *f =
      ctx.get(OpKind::Mult, {ctx.get(OpKind::Exp, {y}), ctx.get(OpKind::Sum, {x})});
  std::string code = emit(f);
  EXPECT_NE(code.find("vfloat *v0 = scratch + 0;"), std::string::npos) << code; // wide, varying
  EXPECT_NE(code.find("float v1[1];"), std::string::npos) << code;              // Sum(x): uniform
  EXPECT_NE(code.find("vfloat *v2 = scratch + 2000;"), std::string::npos) << code;
  EXPECT_NE(code.find("keops_rt::op_exp(in1[k])"), std::string::npos) << code;
}
