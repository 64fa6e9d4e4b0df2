// Rules for Add, Subtract and Minus. Constants go first in sums, so chains of constants meet
// and fold: x + 1 + 2 → 3 + x. All operands of an Add or Subtract have dimensions in {1, D}
// (rule B), so regrouping them stays well typed; a rule that would drop a broadcast checks
// the dimension.
#include "passes/simplify/Match.h"
#include "passes/simplify/Simplifier.h"

namespace keopsc::passes::simplifier {

const Formula *simplifyAdd(Simplifier &s, const Formula *node) {
  const Formula *a = node->child(0), *b = node->child(1);
  const int d = node->dim();
  if (isConst(b) && !isConst(a)) // x + c → c + x
    return s.make(OpKind::Add, {b, a});
  if (isZero(a) && b->dim() == d) // 0 + x → x
    return b;
  if (a == b) // x + x → 2·x
    return s.make(OpKind::Mult, {s.constant(ir::Constant::integer(2), 1), a});
  if (is(b, OpKind::Minus)) // a + (−b) → a − b
    return s.make(OpKind::Subtract, {a, b->child(0)});
  if (is(a, OpKind::Minus)) // (−a) + b → b − a
    return s.make(OpKind::Subtract, {b, a->child(0)});
  if (isConst(a) && is(b, OpKind::Add) && isConst(b->child(0))) // c1 + (c2 + x) → (c1+c2) + x
    return s.make(OpKind::Add, {s.make(OpKind::Add, {a, b->child(0)}), b->child(1)});
  return nullptr;
}

const Formula *simplifySubtract(Simplifier &s, const Formula *node) {
  const Formula *a = node->child(0), *b = node->child(1);
  const int d = node->dim();
  if (a == b) // x − x → 0
    return s.zero(d);
  if (isZero(b) && a->dim() == d) // x − 0 → x
    return a;
  if (isZero(a) && b->dim() == d) // 0 − x → −x
    return s.make(OpKind::Minus, {b});
  if (is(b, OpKind::Minus)) // a − (−b) → a + b
    return s.make(OpKind::Add, {a, b->child(0)});
  if (isConst(b)) // x − c → (−c) + x
    if (auto negated = ir::neg(b->constant()))
      return s.make(OpKind::Add, {s.constant(*negated, b->dim()), a});
  return nullptr;
}

const Formula *simplifyMinus(Simplifier &s, const Formula *node) {
  const Formula *a = node->child(0);
  if (is(a, OpKind::Minus)) // −(−x) → x
    return a->child(0);
  if (is(a, OpKind::Subtract)) // −(a − b) → b − a
    return s.make(OpKind::Subtract, {a->child(1), a->child(0)});
  if (is(a, OpKind::Mult) && isConst(a->child(0))) // −(c·x) → (−c)·x
    if (auto negated = ir::neg(a->child(0)->constant()))
      return s.make(OpKind::Mult, {s.constant(*negated, a->child(0)->dim()), a->child(1)});
  return nullptr;
}

} // namespace keopsc::passes::simplifier
