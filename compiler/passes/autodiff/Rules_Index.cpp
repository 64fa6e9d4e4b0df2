// Derivative rules of the picks through reported indices (SelectByIndex, GatherByIndex: the
// Min/Max/KMin gradients of SPEC.md §6); see Rules.h. Each is linear in its second operand and
// the other's transpose: ⟨a, Select(idx, F)⟩ = ⟨Gather(idx, a), F⟩. The indices are integers
// read from a workspace: nothing flows to them.
#include "passes/autodiff/Rules.h"

namespace keopsc::passes::differentiation {

Contribution indexAdjoint(Builder &b, const ir::Formula *y, size_t k, const ir::Formula *a) {
  using K = ir::OpKind;
  if (k == 0)
    return {};
  const ir::Formula *idx = y->child(0);
  switch (y->kind()) {
  case K::SelectByIndex:
    return {b.op(K::GatherByIndex, {idx, a}, y->ints())};
  case K::GatherByIndex:
    return {b.op(K::SelectByIndex, {idx, a}, y->ints())};
  default: // Rules.cpp dispatches only this family's ops here
    return missingRule();
  }
}

} // namespace keopsc::passes::differentiation
