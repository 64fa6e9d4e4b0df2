// Rules for Mult, Divide and Inv. Constants go first in products (x·c → c·x) and absorb
// signs; other signs stay where they are (−g·d keeps −g, computed once per parameter, out of
// the pair loop). Division by a constant becomes multiplication by its exact
// reciprocal (SPEC.md §2 allows the rounded reciprocal in the dtype).
#include "passes/simplify/Match.h"
#include "passes/simplify/Simplifier.h"

namespace keopsc::passes::simplifier {

const Formula *simplifyMult(Simplifier &s, const Formula *node) {
  const Formula *a = node->child(0), *b = node->child(1);
  const int d = node->dim();
  if (isConst(b) && !isConst(a)) // x·c → c·x
    return s.make(OpKind::Mult, {b, a});
  if (isOne(a) && b->dim() == d) // 1·x → x
    return b;
  if (isInt(a, -1) && b->dim() == d) // (−1)·x → −x
    return s.make(OpKind::Minus, {b});
  if (a == b) // x·x → x²
    return s.make(OpKind::Square, {a});
  if (is(a, OpKind::Minus) && is(b, OpKind::Minus)) // (−a)·(−b) → a·b
    return s.make(OpKind::Mult, {a->child(0), b->child(0)});
  if (isConst(a) && is(b, OpKind::Minus)) // c·(−x) → (−c)·x
    if (auto negated = ir::neg(a->constant()))
      return s.make(OpKind::Mult, {s.constant(*negated, a->dim()), b->child(0)});
  if (isConst(a) && is(b, OpKind::Mult) && isConst(b->child(0))) // c1·(c2·x) → (c1·c2)·x
    return s.make(OpKind::Mult, {s.make(OpKind::Mult, {a, b->child(0)}), b->child(1)});
  if (is(a, OpKind::Exp) && is(b, OpKind::Exp)) // eᵃ·eᵇ → eᵃ⁺ᵇ
    return s.make(OpKind::Exp, {s.make(OpKind::Add, {a->child(0), b->child(0)})});
  if (is(b, OpKind::Inv)) // a·(1/b) → a/b
    return s.make(OpKind::Divide, {a, b->child(0)});
  return nullptr;
}

const Formula *simplifyDivide(Simplifier &s, const Formula *node) {
  const Formula *a = node->child(0), *b = node->child(1);
  const int d = node->dim();
  if (isOne(b) && a->dim() == d) // x/1 → x
    return a;
  if (isInt(b, -1) && a->dim() == d) // x/(−1) → −x
    return s.make(OpKind::Minus, {a});
  if (isConst(b)) // x/c → (1/c)·x, c an exact nonzero rational
    if (auto reciprocal = ir::div(ir::Constant::integer(1), b->constant()))
      return s.make(OpKind::Mult, {s.constant(*reciprocal, b->dim()), a});
  if (is(b, OpKind::Inv)) // a/(1/b) → a·b
    return s.make(OpKind::Mult, {a, b->child(0)});
  if (is(a, OpKind::Minus) && is(b, OpKind::Minus)) // (−a)/(−b) → a/b
    return s.make(OpKind::Divide, {a->child(0), b->child(0)});
  return nullptr;
}

const Formula *simplifyInv(Simplifier &s, const Formula *node) {
  const Formula *a = node->child(0);
  if (is(a, OpKind::Inv)) // 1/(1/x) → x
    return a->child(0);
  if (is(a, OpKind::Minus)) // 1/(−x) → −(1/x)
    return s.make(OpKind::Minus, {s.make(OpKind::Inv, {a->child(0)})});
  return nullptr;
}

} // namespace keopsc::passes::simplifier
