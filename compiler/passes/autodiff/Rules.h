// The derivative rules (SPEC.md §3's ∇ column, §6's kinks): for a node y = op(x_0, …, x_n) and
// the adjoint a of y (dimension d_y), the contribution (∂y/∂x_k)ᵀ a to operand k's adjoint.
// One file per op family (Rules_*.cpp), dispatched by Rules.cpp's switch (no `default:`).
#pragma once

#include "passes/autodiff/Builder.h"

namespace keopsc::passes::differentiation {

/// What a rule gives back.
struct Contribution {
  /// The contribution, of operand k's dimension or of the node's when operand k was broadcast
  /// (a dimension-1 operand of a rule-B op: the differentiator sums it). Null: nothing flows to
  /// operand k (a step-like op, or an operand the op is constant in).
  const ir::Formula *value = nullptr;
  /// True when keopsc has no rule for this op and operand yet (a diagnostic, not a zero).
  bool missing = false;
  /// True when SPEC.md §3 says the op has no derivative in operand k (SoftDTW_SqDist's γ): the
  /// same diagnostic as an op whose derivative class is No.
  bool none = false;
};

Contribution adjointOf(Builder &b, const ir::Formula *node, size_t operand, const ir::Formula *a);

// Families (Rules_<Family>.cpp), called by adjointOf.
Contribution arithmeticAdjoint(Builder &b, const ir::Formula *node, size_t operand,
                               const ir::Formula *a);
Contribution elementwiseAdjoint(Builder &b, const ir::Formula *node, size_t operand,
                                const ir::Formula *a);
Contribution vectorAdjoint(Builder &b, const ir::Formula *node, size_t operand,
                           const ir::Formula *a);
Contribution linAlgAdjoint(Builder &b, const ir::Formula *node, size_t operand,
                           const ir::Formula *a);
Contribution complexAdjoint(Builder &b, const ir::Formula *node, size_t operand,
                            const ir::Formula *a);
Contribution specialAdjoint(Builder &b, const ir::Formula *node, size_t operand,
                            const ir::Formula *a);
Contribution indexAdjoint(Builder &b, const ir::Formula *node, size_t operand,
                          const ir::Formula *a);

inline Contribution missingRule() { return {nullptr, true, false}; }
inline Contribution noDerivative() { return {nullptr, false, true}; }

} // namespace keopsc::passes::differentiation
