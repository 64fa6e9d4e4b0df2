// Levels and storage of every node of every stage; see PlanKernels.h.
#include "passes/PlanKernels.h"

#include "support/Assert.h"

#include <algorithm>

namespace keopsc::passes {
namespace {

/// Nodes wider than this live in per-thread scratch rather than in a local array.
constexpr int kLocalLimit = 1024;

ir::Level leafLevel(const ir::Formula *f, const ir::Stage &stage) {
  if (f->kind() != ir::OpKind::Var)
    return ir::Level::Constant;
  if (f->varCat() == ir::Category::Param)
    return ir::Level::Parameter;
  return f->varCat() == stage.outputCat() ? ir::Level::OutputRow : ir::Level::ReducedRow;
}

/// SelectByIndex and GatherByIndex compare their indices with the pair's index of category
/// ints[1], so they change with that index even when their operands do not (a pick of output-row
/// values compared with j is per pair).
ir::Level pickLevel(const ir::Formula *f, const ir::Stage &stage) {
  if (f->kind() != ir::OpKind::SelectByIndex && f->kind() != ir::OpKind::GatherByIndex)
    return ir::Level::Constant;
  return static_cast<ir::Category>(f->ints()[1]) == stage.outputCat() ? ir::Level::OutputRow
                                                                      : ir::Level::ReducedRow;
}

/// The level of a node reading operands of levels a and b: rows of both kinds make a pair.
ir::Level join(ir::Level a, ir::Level b) {
  if ((a == ir::Level::OutputRow && b == ir::Level::ReducedRow) ||
      (a == ir::Level::ReducedRow && b == ir::Level::OutputRow))
    return ir::Level::Pair;
  return std::max(a, b);
}

bool isWide(const ir::Formula *w, const ir::Stage &stage) {
  return w->kind() == ir::OpKind::Var && w->varCat() == stage.reducedCat() &&
         w->dim() > ir::kRegisterComponents;
}

/// S·W (either order) for a Sum whose term is a scalar S times a wide reduced input W, or the
/// scalar formula and the wide weight of the weighted LogSumExp family.
std::optional<ir::ChunkedTerm> chunkedTerm(const ir::Stage &stage) {
  const ir::Formula *f = stage.formula;
  if (stage.weight) { // only the weighted LogSumExp family has one
    if (f->dim() == 1 && isWide(stage.weight, stage))
      return ir::ChunkedTerm{f, stage.weight};
    return std::nullopt;
  }
  if (stage.kind != ir::ReductionKind::Sum || f->kind() != ir::OpKind::Mult)
    return std::nullopt;
  for (size_t w = 0; w < 2; ++w)
    if (isWide(f->child(w), stage) && f->child(1 - w)->dim() == 1)
      return ir::ChunkedTerm{f->child(1 - w), f->child(w)};
  return std::nullopt;
}

} // namespace

ir::KernelPlan planStage(const ir::Stage &stage) {
  ir::KernelPlan plan;
  for (const ir::Formula *f : ir::postOrder({stage.formula, stage.weight})) {
    ir::PlannedNode node;
    node.node = f;
    node.level = std::max(leafLevel(f, stage), pickLevel(f, stage));
    for (const ir::Formula *c : f->children())
      node.level = join(node.level, plan.of(c).level);
    if (!f->isLeaf()) {
      node.storage = f->dim() > kLocalLimit ? ir::Storage::Scratch : ir::Storage::Local;
      if (node.storage == ir::Storage::Scratch) {
        node.scratchOffset = plan.scratchElements;
        plan.scratchElements += f->dim();
      }
    }
    plan.index[f] = plan.nodes.size();
    plan.nodes.push_back(node);
  }
  // A constant term has no storage of its own to hand to the reduction state.
  plan.termNeedsBuffer = stage.formula->kind() == ir::OpKind::Const;
  return plan;
}

bool planKernels(ir::Module &module, PassContext &) {
  for (ir::EntryPoint &entry : module.entryPoints)
    for (ir::Stage &stage : entry.stages) {
      stage.plan = planStage(stage);
      if (entry.enableChunks)
        stage.plan->chunkedTerm = chunkedTerm(stage);
    }
  return true;
}

} // namespace keopsc::passes
