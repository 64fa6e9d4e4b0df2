// The reassociate pass: products regrouped so that the factors that change least often
// multiply first (SPEC.md §2's scalar pull-outs and hoisting). A chain of Mults is read as one
// list of factors, ordered by level (constant, parameter, output row, reduced row, pair), the
// scalars multiplied together before they scale a vector. The plan then hoists the low-level
// part out of the pair loop: the gradient 2·((e·b·eᵘ)·(−g))·(x − y) becomes
// ((((2·(−g))·e)·b)·eᵘ)·(x − y), four multiplications per pair fewer.
#pragma once

#include "passes/PassContext.h"

namespace keopsc::passes {

bool reassociate(ir::Module &module, PassContext &context);

} // namespace keopsc::passes
