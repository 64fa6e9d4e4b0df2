// Exact folding of arithmetic on constants; see FoldConstants.h.
#include "passes/FoldConstants.h"

#include "ir/Rewrite.h"

#include <optional>

namespace keopsc::passes {
namespace {

using ir::Constant;

std::optional<Constant> powInt(const Constant &base, int64_t n) {
  if (n < 0) {
    auto positive = n == INT64_MIN ? std::nullopt : powInt(base, -n);
    return positive ? ir::div(Constant::integer(1), *positive) : std::nullopt;
  }
  std::optional<Constant> result = Constant::integer(1);
  for (int64_t k = 0; k < n && result; ++k) // exact powers overflow long before n is large
    result = ir::mul(*result, base);
  return result;
}

/// The exact value of `op` on constant operands, if it is exact and defined. Only the
/// arithmetic SPEC.md §2 folds; anything else stays a node.
std::optional<Constant> fold(const ir::Formula *node, const std::vector<Constant> &a) {
  using ir::OpKind;
  OpKind kind = node->kind();
  if (kind == OpKind::Add)
    return ir::add(a[0], a[1]);
  if (kind == OpKind::Subtract) {
    auto negated = ir::neg(a[1]);
    return negated ? ir::add(a[0], *negated) : std::nullopt;
  }
  if (kind == OpKind::Mult)
    return ir::mul(a[0], a[1]);
  if (kind == OpKind::Divide)
    return ir::div(a[0], a[1]);
  if (kind == OpKind::Minus)
    return ir::neg(a[0]);
  if (kind == OpKind::Inv)
    return ir::div(Constant::integer(1), a[0]);
  if (kind == OpKind::Square)
    return ir::mul(a[0], a[0]);
  if (kind == OpKind::Pow)
    return node->ints()[0] > 64 ? std::nullopt : powInt(a[0], node->ints()[0]);
  return std::nullopt;
}

} // namespace

bool foldConstants(ir::Module &module, PassContext &context) {
  ir::FormulaContext &formulas = *module.context;
  ir::Rewriter rewriter(formulas,
                        [&](const ir::Formula *node, std::vector<const ir::Formula *> children) {
                          std::vector<Constant> operands;
                          for (const ir::Formula *c : children)
                            if (c->kind() == ir::OpKind::Const)
                              operands.push_back(c->constant());
                          const ir::Formula *result = nullptr;
                          if (!children.empty() && operands.size() == children.size())
                            if (auto value = fold(node, operands))
                              result = formulas.constant(*value, node->dim());
                          if (!result)
                            result = ir::rebuild(formulas, node, std::move(children));
                          // The folded node keeps the range it came from, for later diagnostics.
                          if (SourceRange range = context.rangeOf(node); range.begin.valid())
                            module.sources.emplace(result, range);
                          return result;
                        });
  for (ir::EntryPoint &entry : module.entryPoints)
    for (ir::Stage &stage : entry.stages) {
      stage.formula = rewriter.rewrite(stage.formula);
      stage.weight = rewriter.rewrite(stage.weight);
      stage.plan.reset(); // nodes changed: any plan is stale
    }
  return true;
}

} // namespace keopsc::passes
