// Removing what an entry point computes but never uses: stages no C output depends on (a
// gradient's recomputed forward that its simplified formulas no longer read), then internal
// workspaces nothing reads. Used when derived reductions are built and, as the prune-stages
// pass, after simplification.
#pragma once

#include "ir/EntryPoint.h"

namespace keopsc::ir {

/// Prunes `entry` in place: keeps the C inputs and outputs as they are, renumbers the stages,
/// outputs and workspace inputs that stay, and recomputes every stage's `reads`.
void pruneStages(FormulaContext &context, EntryPoint &entry);

} // namespace keopsc::ir
