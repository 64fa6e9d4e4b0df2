// Symbolic differentiation of calculus-free formulas (SPEC.md §3 calculus table, §6): reverse
// accumulation over the DAG (each node's adjoint is built once, however many paths reach it),
// with one derivative rule per operation (Rules.h). Diff is a gradient of a gradient, so only
// reverse rules exist. It builds new nodes in the formula's context and never simplifies.
#pragma once

#include "ir/Formula.h"

namespace keopsc::passes::differentiation {

class Differentiator {
public:
  explicit Differentiator(ir::FormulaContext &context) : ctx_(context) {}

  /// The formula a calculus node (Grad, Diff, GradMatrix, Divergence, Laplacian) stands for;
  /// its operands must be calculus-free. Null on failure: failedAt() names the node that
  /// cannot be differentiated through.
  const ir::Formula *expand(const ir::Formula *calculus);

  /// (∂f/∂v)ᵀ e, of v's dimension; null on failure.
  const ir::Formula *gradient(const ir::Formula *f, const ir::Formula *v, const ir::Formula *e);

  /// (∂f/∂v)·u, of f's dimension; null on failure.
  const ir::Formula *directional(const ir::Formula *f, const ir::Formula *v, const ir::Formula *u);

  /// The node whose operation has no derivative (SPEC.md: ∇ "n") or no rule yet.
  const ir::Formula *failedAt() const { return failedAt_; }
  /// True when failedAt()'s operation is differentiable in SPEC.md but keopsc lacks the rule.
  bool ruleMissing() const { return ruleMissing_; }
  /// True when a linear operator (AdjointOperator) failed because its formula is not linear in
  /// its variable (SPEC.md §3 "checked structurally"); failedAt() is then that node.
  bool notLinear() const { return notLinear_; }

private:
  const ir::Formula *fit(const ir::Formula *contribution, int dim);
  const ir::Formula *rowsOfJacobian(const ir::Formula *f, const ir::Formula *v);
  const ir::Formula *divergence(const ir::Formula *f, const ir::Formula *v);
  const ir::Formula *trace(const ir::Formula *f, const ir::Formula *v, const ir::Formula *w);
  const ir::Formula *sumLinear(const ir::Formula *f, const ir::Formula *v, const ir::Formula *wl,
                               const ir::Formula *wr);
  const ir::Formula *fail(const ir::Formula *node, bool missing);

  ir::FormulaContext &ctx_;
  const ir::Formula *failedAt_ = nullptr;
  bool ruleMissing_ = false;
  bool notLinear_ = false;
  int freshVariables_ = 0;
};

} // namespace keopsc::passes::differentiation
