// Tests of the shared expression emitter: every ready operation has a codegen rule (generated
// from the op table), element-wise operations go through their one runtime function, and
// storage follows the plan.
#include "codegen/ExprEmitter.h"

#include "SampleNodes.h"
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
  std::string pairIndex(ir::Category cat) const override {
    return cat == ir::Category::I ? "i" : "j";
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

} // namespace

TEST(ExprEmitter, EveryReadyOperationHasACodegenRule) {
  ir::FormulaContext ctx;
  for (int k = 0; k < ir::kNumOps; ++k) {
    OpKind kind = static_cast<OpKind>(k);
    const ir::OpInfo &info = ir::opInfo(kind);
    if (!info.ready || info.dims == ir::DimRule::Leaf || info.spellingOnly() || info.calculus())
      continue;
    const ir::Formula *f = samples::sampleNode(
        ctx, kind, [](int c) { return c % 2 ? ir::Category::J : ir::Category::I; });
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

// The picks compare their int64 indices with the pair's index the hooks name (here j); a pick
// of output-row values compared with j is per pair (vfloat).
TEST(ExprEmitter, PicksCompareTheirIndicesWithThePairsIndex) {
  ir::FormulaContext ctx;
  const ir::Formula *idx = ctx.var(0, 6, ir::Category::I), *x = ctx.var(1, 3, ir::Category::I);
  std::string select = emit(ctx.get(OpKind::SelectByIndex, {idx, x}, {2, 1}));
  EXPECT_NE(select.find("for (int64_t k = 0; k < 6; ++k)\n"
                        "  v0[k] = in0[k] == j ? in1[k % 3] : vfloat(0);"),
            std::string::npos)
      << select;
  const ir::Formula *e = ctx.var(2, 6, ir::Category::I);
  std::string gather = emit(ctx.get(OpKind::GatherByIndex, {idx, e}, {2, 0}));
  EXPECT_NE(gather.find("float v0[3];\n"
                        "for (int64_t k = 0; k < 3; ++k) {\n"
                        "  float s = float(0);\n"
                        "  for (int64_t l = 0; l < 2; ++l)\n"
                        "    if (in0[l * 3 + k] == i)\n"
                        "      s += in2[l * 3 + k];\n"
                        "  v0[k] = s;\n"
                        "}"),
            std::string::npos)
      << gather;
}
