// The prune-stages pass: after simplification, drops the stages no C output depends on any more
// (e.g. a recomputed forward that the simplified derivative no longer reads) and the workspaces
// nothing reads (ir/PruneStages.h).
#pragma once

#include "passes/PassContext.h"

namespace keopsc::passes {

bool pruneUnusedStages(ir::Module &module, PassContext &context);

} // namespace keopsc::passes
