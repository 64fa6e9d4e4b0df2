// Prints formula and module IR in a stable, readable form (for --emit=ir and lit tests).
// Printing never simplifies: the text shows exactly the nodes that exist.
#pragma once

#include "ir/Module.h"

#include <string>
#include <vector>

namespace keopsc::ir {

/// Functional KeOps syntax, e.g. `Mult(Exp(Minus(SqDist(x, y))), b)`; variables by the name of
/// the input at their position when `inputs` has one, else `Var(pos, dim, cat)`.
std::string printFormula(const Formula *formula, const std::vector<Input> &inputs = {});
std::string printModule(const Module &module);

} // namespace keopsc::ir
