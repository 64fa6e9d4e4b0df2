// The autodiff pass over a module; see Autodiff.h. The differentiation is autodiff/'s.
#include "passes/Autodiff.h"

#include "ir/Rewrite.h"
#include "passes/autodiff/Differentiator.h"

namespace keopsc::passes {
namespace {

/// Expands calculus nodes bottom-up; remembers the first failure (the calculus node and the node
/// that cannot be differentiated through).
class Expander {
public:
  explicit Expander(ir::FormulaContext &context)
      : differentiator_(context),
        rewriter_(context, [this, &context](const ir::Formula *node,
                                            std::vector<const ir::Formula *> children) {
          const ir::Formula *rebuilt = node->isLeaf() ? node : ir::rebuild(context, node, children);
          if (!ir::opInfo(node->kind()).calculus() || failedCalculus_)
            return rebuilt;
          const ir::Formula *expanded = differentiator_.expand(rebuilt);
          if (expanded)
            return expanded;
          failedCalculus_ = node;
          return rebuilt;
        }) {}

  const ir::Formula *expand(const ir::Formula *root) {
    return root ? rewriter_.rewrite(root) : nullptr;
  }
  const ir::Formula *failedCalculus() const { return failedCalculus_; }
  const differentiation::Differentiator &differentiator() const { return differentiator_; }

private:
  differentiation::Differentiator differentiator_;
  ir::Rewriter rewriter_;
  const ir::Formula *failedCalculus_ = nullptr;
};

void reportFailure(const Expander &expander, PassContext &context) {
  const differentiation::Differentiator &d = expander.differentiator();
  const ir::Formula *calculus = expander.failedCalculus();
  if (d.notLinear()) {
    context.diags().report(DiagId::NotLinear, context.rangeOf(calculus),
                           {ir::opInfo(calculus->kind()).name});
    return;
  }
  SourceRange at = context.rangeOf(d.failedAt());
  if (!at.begin.valid())
    at = context.rangeOf(calculus);
  const char *why = d.ruleMissing() ? "its derivative rule is not implemented yet"
                                    : "it has no derivative (SPEC.md §3)";
  context.diags().report(DiagId::NotDifferentiable, at,
                         {ir::opInfo(d.failedAt()->kind()).name, why});
  context.diags().report(DiagId::DerivativeRequested, context.rangeOf(calculus),
                         {ir::opInfo(calculus->kind()).name});
}

} // namespace

const ir::Formula *expandDerivatives(ir::FormulaContext &context, const ir::Formula *root) {
  Expander expander(context);
  const ir::Formula *result = expander.expand(root);
  return expander.failedCalculus() ? nullptr : result;
}

bool autodiff(ir::Module &module, PassContext &context) {
  Expander expander(*module.context);
  for (ir::EntryPoint &entry : module.entryPoints)
    for (ir::Stage &stage : entry.stages) {
      stage.formula = expander.expand(stage.formula);
      stage.weight = expander.expand(stage.weight);
      if (expander.failedCalculus()) {
        reportFailure(expander, context);
        return false;
      }
      stage.plan.reset();
    }
  return true;
}

} // namespace keopsc::passes
