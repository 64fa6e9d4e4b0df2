// The autodiff pass: replaces every calculus node (Grad, Diff, GradMatrix, Divergence,
// Laplacian; SPEC.md §3, §6) by its derivative formula, innermost first, so nested derivatives
// work to any order. It runs before simplify, which removes the zeros the rules leave.
// Differentiating through an operation without a derivative is a diagnostic at its source.
#pragma once

#include "passes/PassContext.h"

namespace keopsc::passes {

bool autodiff(ir::Module &module, PassContext &context);

/// `root` with its calculus nodes expanded (for tests); null if one cannot be differentiated.
const ir::Formula *expandDerivatives(ir::FormulaContext &context, const ir::Formula *root);

} // namespace keopsc::passes
