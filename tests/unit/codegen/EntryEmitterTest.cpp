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
  codegen::emitCpuKernels(ir::Module{}, entry, out);
  EXPECT_NE(out.str().find("state.finish(a.out0 + r * 1, a.out1 + r * 1);"), std::string::npos)
      << out.str();
}

// float16 (DESIGN.md §4): binary16 arrays are uint16_t in the C API and the args struct; the
// kernel widens rows to float, runs the state on float and stores outputs through storeAs.
TEST(EntryEmitter, Float16EntriesStoreUint16AndComputeInFloat) {
  ir::FormulaContext ctx;
  ir::EntryPoint entry = pairEntry(ctx);
  entry.dtype = ir::Dtype::Float16;
  entry.inputs[0].dtype = ir::Dtype::Float16;
  entry.stages[0].numerics.accDtype = ir::Dtype::Float32;
  entry.outputs = ir::outputsOf(entry.stages[0], entry.dtype, 0);
  EXPECT_EQ(codegen::parameterList(entry, true),
            "int64_t M, int64_t N, const uint16_t *x, uint16_t *out_m, uint16_t *out_s, "
            "const keops_options *opts");
  IndentedWriter args;
  codegen::emitArgsStruct(entry, args);
  EXPECT_NE(args.str().find("uint16_t *out0;\n  uint16_t *out1;"), std::string::npos) << args.str();
  IndentedWriter out;
  codegen::emitCpuKernels(ir::Module{}, entry, out);
  const std::string text = out.str();
  EXPECT_NE(text.find("keops_rt::MaxSumShiftExpState<float, keops_rt::DirectAcc<float>, 1>"),
            std::string::npos)
      << text;
  // The row is widened once into a float array, which the state then reads.
  EXPECT_NE(text.find("float in0[1];"), std::string::npos) << text;
  EXPECT_NE(text.find("in0[k] = keops_rt::halfToFloat((a.in0 + r * 1)[k]);"), std::string::npos)
      << text;
  EXPECT_NE(text.find("state.add(in0, t);"), std::string::npos) << text;
}

// A float16 row too wide for the stack stays a uint16_t pointer, converted at each load; used
// directly as F, it is widened into a float row for the state.
TEST(EntryEmitter, WideFloat16RowsConvertAtEachLoad) {
  ir::FormulaContext ctx;
  ir::EntryPoint entry;
  entry.name = "w";
  entry.dtype = ir::Dtype::Float16;
  entry.inputs = {{"x", ir::InputOrigin::Alias, ir::Category::J, 2000, true, ir::Dtype::Float16}};
  ir::Stage stage;
  stage.kind = ir::ReductionKind::Sum;
  stage.formula = ctx.var(0, 2000, ir::Category::J);
  stage.plan = passes::planStage(stage);
  entry.outputs = ir::outputsOf(stage, entry.dtype, 0);
  entry.stages.push_back(stage);
  IndentedWriter out;
  codegen::emitCpuKernels(ir::Module{}, entry, out);
  const std::string text = out.str();
  EXPECT_NE(text.find("const uint16_t *in0 = a.in0 + t * 2000;"), std::string::npos) << text;
  EXPECT_NE(text.find("termInput[k] = keops_rt::halfToFloat(in0[k]);"), std::string::npos) << text;
  EXPECT_NE(text.find("state.add(termInput, t);"), std::string::npos) << text;
}
