// The constant-folding pass: arithmetic whose operands are all constants becomes one constant,
// exactly (rationals) or not at all. The algebraic simplifier comes later; this is not it.
#pragma once

#include "passes/PassContext.h"

namespace keopsc::passes {
bool foldConstants(ir::Module &module, PassContext &context);
} // namespace keopsc::passes
