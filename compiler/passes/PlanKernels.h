// The planning pass: for every stage, each node's level (constant, parameter, output row,
// reduced row, pair) and storage (inline, local, per-thread scratch). Backends emit from it.
#pragma once

#include "passes/PassContext.h"

namespace keopsc::passes {
bool planKernels(ir::Module &module, PassContext &context);
/// The plan of one stage (what the pass stores in stage.plan).
ir::KernelPlan planStage(const ir::Stage &stage);
} // namespace keopsc::passes
