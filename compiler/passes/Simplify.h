// The simplify pass: exact constant folding, zero and one propagation, and the algebraic
// identities SPEC.md §2 allows (f − f → 0, f·f → f², eᵃ·eᵇ → eᵃ⁺ᵇ, scalar pull-outs, ...).
// Rules are grouped by head operation in simplify/Simplify_*.cpp. It never changes an entry
// point's inputs: an input the formula no longer reads stays a C argument.
#pragma once

#include "passes/PassContext.h"

namespace keopsc::passes {

bool simplify(ir::Module &module, PassContext &context);

/// The simplified form of one formula, built in `context` (for tests and later passes).
const ir::Formula *simplifyFormula(ir::FormulaContext &context, const ir::Formula *root);

} // namespace keopsc::passes
