// PickModule.h: a hand-built entry point of the shape Min/Max/KMin gradients take, for the tests
// of SelectByIndex and GatherByIndex (tests/unit/passes/PickOpsTest.cpp,
// tests/unit/codegen/PickKernelTest.cpp). Stage 0 reduces ArgKMin (K = 2) of x − y over j into
// an int64 workspace of 2·3 indices per i row; stage 1 sums, over the axis the caller picks, a
// formula the caller builds from x, y, e and those indices.
#pragma once

#include "ir/Module.h"

#include <functional>

namespace keopsc::samples {

/// The variables a stage-1 formula reads: x = Vi(3), y = Vj(3), e = Vi(6) and idx, the
/// workspace of stage 0's indices (Vi(6), int64).
struct PickVariables {
  const ir::Formula *x, *y, *e, *idx;
};

constexpr int64_t kPicks = 2;

/// A module "pick" with one entry point "grad" whose stage 1 sums `build(vars)` over `axis`.
inline ir::Module pickModule(
    const std::function<const ir::Formula *(ir::FormulaContext &, const PickVariables &)> &build,
    int axis = 1) {
  using ir::Category;
  ir::Module module;
  module.name = "pick";
  module.sourcePath = "pick.kfl";
  ir::FormulaContext &ctx = *module.context;
  const PickVariables vars = {ctx.var(0, 3, Category::I), ctx.var(1, 3, Category::J),
                              ctx.var(2, 6, Category::I), ctx.var(3, 6, Category::I)};
  ir::EntryPoint entry;
  entry.name = "grad";
  entry.inputs = {{"x", ir::InputOrigin::Alias, Category::I, 3, true, ir::Dtype::Float32},
                  {"y", ir::InputOrigin::Alias, Category::J, 3, true, ir::Dtype::Float32},
                  {"e", ir::InputOrigin::Alias, Category::I, 6, true, ir::Dtype::Float32},
                  {"", ir::InputOrigin::Workspace, Category::I, 6, true, ir::Dtype::Int64, 0}};
  ir::Stage forward;
  forward.kind = ir::ReductionKind::ArgKMin;
  forward.K = int(kPicks);
  forward.formula = ctx.get(ir::OpKind::Subtract, {vars.x, vars.y});
  ir::Stage backward;
  backward.kind = ir::ReductionKind::Sum;
  backward.axis = axis;
  backward.formula = build(ctx, vars);
  backward.reads = {0};
  entry.stages = {forward, backward};
  entry.outputs = {{"idx", ir::OutputRole::IndexWorkspace, Category::I, 6, ir::Dtype::Int64, 0},
                   {"out", ir::OutputRole::Values, backward.outputCat(), backward.formula->dim(),
                    ir::Dtype::Float32, 1}};
  module.entryPoints.push_back(entry);
  return module;
}

} // namespace keopsc::samples
