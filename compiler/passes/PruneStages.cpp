// The prune-stages pass; see PruneStages.h.
#include "passes/PruneStages.h"

#include "ir/PruneStages.h"

namespace keopsc::passes {

bool pruneUnusedStages(ir::Module &module, PassContext &) {
  for (ir::EntryPoint &entry : module.entryPoints)
    ir::pruneStages(*module.context, entry);
  return true;
}

} // namespace keopsc::passes
