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
  case K::XLogX: // ln x + 1
    return {b.mul(a, b.add(b.op(K::Log, {x}), b.integer(1)))};
  case K::Sin:
    return {b.mul(a, b.op(K::Cos, {x}))};
  case K::Cos:
    return {b.neg(b.mul(a, b.op(K::Sin, {x})))};
  case K::SinXDivX: { // (cos x − y)/x, 0 at x = 0 (SPEC.md §3): the divisor is 1 there
    const ir::Formula *divisor = b.add(x, b.op(K::Equal, {x, b.integer(0)}));
    return {b.mul(a, b.div(b.sub(b.op(K::Cos, {x}), y), divisor))};
  }
  case K::Asin: // 1/√(1 − x²): ∞ at |x| = 1 (SPEC.md §3), so Sqrt and not Rsqrt (0 at 0)
    return {b.div(a, b.op(K::Sqrt, {b.sub(b.integer(1), b.square(x))}))};
  case K::Acos:
    return {b.neg(b.div(a, b.op(K::Sqrt, {b.sub(b.integer(1), b.square(x))})))};
  case K::Atan:
    return {b.div(a, b.add(b.integer(1), b.square(x)))};
  case K::Atan2: { // atan2(f, g): (g, −f)/(f² + g²)
    const ir::Formula *f = y->child(0), *g = y->child(1);
    const ir::Formula *scaled = b.div(a, b.add(b.square(f), b.square(g)));
    return {k == 0 ? b.mul(scaled, g) : b.neg(b.mul(scaled, f))};
  }
  case K::Abs: // Sign(0) = 0: Abs′(0) = 0
    return {b.mul(a, b.op(K::Sign, {x}))};
  case K::ReLU: // Step(0) = 1: ReLU′(0) = 1
    return {b.mul(a, b.op(K::Step, {x}))};
  case K::Mod: { // f − n⌊(f − o)/n⌋: 1 to f, −⌊(f − o)/n⌋ to n, nothing to o (piecewise constant)
    if (k == 2)
      return {};
    if (k == 0)
      return {a};
    const ir::Formula *f = y->child(0), *n = y->child(1), *o = y->child(2);
    return {b.neg(b.mul(a, b.op(K::Floor, {b.div(b.sub(f, o), n)})))};
  }
  case K::Clamp: { // bounds inclusive (SPEC.md §3): [a ≤ f ≤ b] to f, [f < a] to a, else to b
    const ir::Formula *f = y->child(0), *lo = y->child(1), *hi = y->child(2);
    const ir::Formula *aboveLo = b.lessOrEqual(lo, f);
    if (k == 0)
      return {b.mul(a, b.mul(aboveLo, b.lessOrEqual(f, hi)))};
    if (k == 1)
      return {b.mul(a, b.less(f, lo))};
    // [f > b] where f ≥ a: the value is a wherever f < a, even if a > b
    return {b.mul(a, b.mul(aboveLo, b.less(hi, f)))};
  }
  case K::ClampInt: // constant bounds: [a ≤ f ≤ b], inclusive
    return {b.mul(a, b.op(K::DiffClampInt, {x}, y->ints()))};
  case K::IfElse: { // to a where c ≥ 0 (Step(c) = 1), to b elsewhere, nothing through c
    if (k == 0)
      return {};
    const ir::Formula *where = b.op(K::Step, {y->child(0)});
    return {b.mul(a, k == 1 ? where : b.sub(b.integer(1), where))};
  }
  default: // Rules.cpp dispatches only this family's ops here
    return missingRule();
  }
}

} // namespace keopsc::passes::differentiation
