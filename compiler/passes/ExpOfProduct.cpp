// The exp-of-product pass; see ExpOfProduct.h.
#include "passes/ExpOfProduct.h"

#include "ir/Rewrite.h"
#include "passes/PlanKernels.h"
#include "passes/StageRoots.h"

namespace keopsc::passes {
namespace {

using ir::Formula;
using ir::Level;
using ir::OpKind;

/// Whether the value is the same for every reduced index (hoisted out of the reduced loop).
bool uniformInReduced(Level level) { return level <= Level::OutputRow; }

/// ExpOfProduct(s, x) for Exp(s·x) with s uniform in the reduced index and x not (an Exp that is
/// uniform as a whole is hoisted anyway); nullptr otherwise. `mult` is the original product,
/// whose operands the plan knows; `rewritten` its rewritten form.
const Formula *fold(ir::FormulaContext &context, const ir::KernelPlan &plan, const Formula *mult,
                    const Formula *rewritten) {
  const Level left = plan.of(mult->child(0)).level, right = plan.of(mult->child(1)).level;
  if (uniformInReduced(left) && !uniformInReduced(right))
    return context.get(OpKind::ExpOfProduct, {rewritten->child(0), rewritten->child(1)});
  if (uniformInReduced(right) && !uniformInReduced(left))
    return context.get(OpKind::ExpOfProduct, {rewritten->child(1), rewritten->child(0)});
  return nullptr;
}

} // namespace

bool foldExpOfProduct(ir::Module &module, PassContext &context) {
  ir::FormulaContext &formulas = *module.context;
  for (ir::EntryPoint &entry : module.entryPoints)
    for (ir::Stage &stage : entry.stages) {
      const ir::KernelPlan plan = planStage(stage);
      ir::Rewriter rewriter(
          formulas, [&](const Formula *node, std::vector<const Formula *> children) {
            // A product's rewritten form is a product of its rewritten operands.
            if (node->kind() == OpKind::Exp && node->child(0)->kind() == OpKind::Mult &&
                children[0]->kind() == OpKind::Mult)
              if (const Formula *folded = fold(formulas, plan, node->child(0), children[0]))
                return folded;
            return ir::rebuild(formulas, node, std::move(children));
          });
      rewriteStageRoots(module, context, stage,
                        [&](const Formula *root) { return rewriter.rewrite(root); });
    }
  return true;
}

} // namespace keopsc::passes
