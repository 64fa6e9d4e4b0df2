// KflText.h: a formula of IR written back as .kfl source, so that a random formula goes through
// keopsc as a user's text would. Not the reductions around it (RandomModule.h).
#pragma once

#include "ir/Formula.h"

#include <string>
#include <vector>

namespace keopsc::difffuzz {

/// `f` in KeOps syntax: variable p is aliases[p]; every operation is spelled by its op-table
/// name (arithmetic infix), integer arguments after the operands, lists as [a, b].
std::string kflText(const ir::Formula *f, const std::vector<std::string> &aliases);

} // namespace keopsc::difffuzz
