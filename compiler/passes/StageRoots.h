// Rewriting a stage's roots (its formula and weight) in place, for the passes that rebuild a
// stage's formulas: the new roots report where the old ones were written, and the stage's plan
// is dropped, since its nodes changed.
#pragma once

#include "passes/PassContext.h"

namespace keopsc::passes {

/// Replaces each non-null root of `stage` by rewrite(root).
template <class Rewrite>
void rewriteStageRoots(ir::Module &module, PassContext &context, ir::Stage &stage,
                       Rewrite &&rewrite) {
  for (const ir::Formula **root : {&stage.formula, &stage.weight}) {
    const ir::Formula *before = *root;
    if (!before)
      continue;
    *root = rewrite(before);
    if (*root != before)
      if (SourceRange range = context.rangeOf(before); range.begin.valid())
        module.sources.emplace(*root, range);
  }
  stage.plan.reset();
}

} // namespace keopsc::passes
