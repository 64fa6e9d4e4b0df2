// The simplify pass over a module; see Simplify.h. The rules are in simplify/.
#include "passes/Simplify.h"

#include "passes/simplify/Simplifier.h"

namespace keopsc::passes {
namespace {

/// A simplified node keeps the source range of what it replaces (when it has none of its own),
/// so later passes still report at the user's file:line:col.
void keepSourceRanges(simplifier::Simplifier &simplifier, const ir::Formula *root,
                      ir::Module &module, const PassContext &context) {
  for (const ir::Formula *node : ir::postOrder(root)) {
    const ir::Formula *result = simplifier.simplify(node); // memoised: a lookup
    if (result != node)
      if (SourceRange range = context.rangeOf(node); range.begin.valid())
        module.sources.emplace(result, range);
  }
}

} // namespace

const ir::Formula *simplifyFormula(ir::FormulaContext &context, const ir::Formula *root) {
  simplifier::Simplifier simplifier(context);
  return simplifier.simplify(root);
}

bool simplify(ir::Module &module, PassContext &context) {
  simplifier::Simplifier simplifier(*module.context);
  for (ir::EntryPoint &entry : module.entryPoints)
    for (ir::Stage &stage : entry.stages) {
      for (const ir::Formula **root : {&stage.formula, &stage.weight}) {
        const ir::Formula *before = *root;
        *root = simplifier.simplify(before);
        if (before)
          keepSourceRanges(simplifier, before, module, context);
      }
      stage.plan.reset(); // nodes changed: any plan is stale
    }
  return true;
}

} // namespace keopsc::passes
