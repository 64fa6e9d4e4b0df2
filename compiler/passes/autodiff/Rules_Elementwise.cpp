// Derivative rules of the element-wise functions (SPEC.md §3 "Element-wise", ∇ column, and §6's
// kinks); see Rules.h.
#include "passes/autodiff/Rules.h"

namespace keopsc::passes::differentiation {

Contribution elementwiseAdjoint(Builder &b, const ir::Formula *y, size_t k, const ir::Formula *a) {
  using K = ir::OpKind;
  const ir::Formula *x = y->child(k);
  switch (y->kind()) {
  case K::Exp:
    return {b.mul(a, y)};
  case K::Log:
    return {b.div(a, x)};
  case K::Sin:
    return {b.mul(a, b.op(K::Cos, {x}))};
  case K::Cos:
    return {b.neg(b.mul(a, b.op(K::Sin, {x})))};
  case K::Abs: // Sign(0) = 0: Abs′(0) = 0
    return {b.mul(a, b.op(K::Sign, {x}))};
  case K::ReLU: // Step(0) = 1: ReLU′(0) = 1
    return {b.mul(a, b.op(K::Step, {x}))};
  default: // Rules.cpp dispatches only this family's ops here
    return missingRule();
  }
}

} // namespace keopsc::passes::differentiation
