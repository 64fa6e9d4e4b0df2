// The reassociate pass; see Reassociate.h.
#include "passes/Reassociate.h"

#include "ir/Rewrite.h"
#include "passes/PlanKernels.h"
#include "passes/StageRoots.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace keopsc::passes {
namespace {

using ir::Formula;
using ir::OpKind;

/// A factor of a product chain: the original node (whose level the plan knows) and its
/// rewritten form.
struct Factor {
  const Formula *original;
  const Formula *rewritten;
  ir::Level level;
};

class StageReassociator {
public:
  StageReassociator(ir::FormulaContext &context, const ir::Stage &stage)
      : context_(context), plan_(planStage(stage)) {
    for (const ir::PlannedNode &planned : plan_.nodes)
      for (const Formula *child : planned.node->children()) {
        ++uses_[child];
        if (planned.node->kind() == OpKind::Mult)
          underMult_.insert(child);
      }
    for (const Formula *root : {stage.formula, stage.weight})
      if (root)
        ++uses_[root];
  }

  /// Every node of the stage rewritten, children first; returns the new form of `root`.
  const Formula *rewrite(const Formula *root) {
    if (!root)
      return nullptr;
    for (const Formula *node : ir::postOrder(root))
      if (!done_.count(node))
        done_[node] = rewriteNode(node);
    return done_.at(root);
  }

private:
  const Formula *rewriteNode(const Formula *node) {
    if (insideChain(node))
      return nullptr; // read through by the chain's root, never on its own
    if (node->kind() == OpKind::Mult)
      return regroup(node);
    std::vector<const Formula *> children;
    for (const Formula *child : node->children())
      children.push_back(done_.at(child));
    return ir::rebuild(context_, node, std::move(children));
  }

  /// A Mult whose only reader is a Mult: a link of that product chain. Only chain roots are
  /// regrouped, so every chain is read once and the pass stays linear in the formula's size.
  bool insideChain(const Formula *node) const {
    return node->kind() == OpKind::Mult && uses_.at(node) == 1 && underMult_.count(node);
  }

  /// The factors of the product chain under `root`: its Mult operands, through the Mults that
  /// nothing else reads (a shared product stays one factor, computed once).
  std::vector<Factor> factorsOf(const Formula *root) const {
    std::vector<Factor> factors;
    std::vector<const Formula *> pending = {root->child(1), root->child(0)};
    while (!pending.empty()) {
      const Formula *f = pending.back();
      pending.pop_back();
      if (insideChain(f)) {
        pending.push_back(f->child(1));
        pending.push_back(f->child(0));
        continue;
      }
      factors.push_back({f, done_.at(f), plan_.of(f).level});
    }
    return factors;
  }

  /// Left to right, lowest level first (the written order within a level).
  const Formula *product(std::vector<Factor> factors) {
    std::stable_sort(factors.begin(), factors.end(),
                     [](const Factor &a, const Factor &b) { return a.level < b.level; });
    const Formula *result = nullptr;
    for (const Factor &factor : factors)
      result = result ? context_.get(OpKind::Mult, {result, factor.rewritten}) : factor.rewritten;
    return result;
  }

  /// The chain as (scalars)·(vectors): scalar factors of a vector product multiply each other
  /// once rather than every component.
  const Formula *regroup(const Formula *root) {
    std::vector<Factor> scalars, full;
    for (const Factor &factor : factorsOf(root))
      (factor.original->dim() < root->dim() ? scalars : full).push_back(factor);
    if (scalars.empty())
      return product(full);
    return context_.get(OpKind::Mult, {product(scalars), product(full)});
  }

  ir::FormulaContext &context_;
  ir::KernelPlan plan_;
  std::unordered_map<const Formula *, int> uses_;
  std::unordered_set<const Formula *> underMult_; ///< nodes some Mult reads
  std::unordered_map<const Formula *, const Formula *> done_;
};

} // namespace

bool reassociate(ir::Module &module, PassContext &context) {
  for (ir::EntryPoint &entry : module.entryPoints)
    for (ir::Stage &stage : entry.stages) {
      StageReassociator reassociator(*module.context, stage);
      rewriteStageRoots(module, context, stage,
                        [&](const Formula *root) { return reassociator.rewrite(root); });
    }
  return true;
}

} // namespace keopsc::passes
