// Rules for the reducing vector operations (Sum, SqNorm2, Scalprod, SqDist) and Elem: on
// dimension 1 they become scalar arithmetic, scalars pull out of sums (Sum(c·v) → c·Sum(v)),
// and Elem of an element-wise operation computes only the component it keeps.
#include "passes/simplify/Match.h"
#include "passes/simplify/Simplifier.h"

namespace keopsc::passes::simplifier {

const Formula *simplifySum(Simplifier &s, const Formula *node) {
  const Formula *a = node->child(0);
  if (a->dim() == 1) // Sum(x) → x for a scalar
    return a;
  if (is(a, OpKind::Minus)) // Sum(−v) → −Sum(v)
    return s.make(OpKind::Minus, {s.make(OpKind::Sum, {a->child(0)})});
  if (is(a, OpKind::Concat)) // Sum((u, v)) → Sum(u) + Sum(v)
    return s.make(OpKind::Add,
                  {s.make(OpKind::Sum, {a->child(0)}), s.make(OpKind::Sum, {a->child(1)})});
  if (is(a, OpKind::Mult)) {
    const Formula *l = a->child(0), *r = a->child(1);
    if (isScalarAgainst(l, r)) // Sum(c·v) → c·Sum(v)
      return s.make(OpKind::Mult, {l, s.make(OpKind::Sum, {r})});
    if (isScalarAgainst(r, l)) // Sum(v·c) → Sum(v)·c
      return s.make(OpKind::Mult, {s.make(OpKind::Sum, {l}), r});
  }
  return nullptr;
}

const Formula *simplifySqNorm2(Simplifier &s, const Formula *node) {
  const Formula *a = node->child(0);
  if (a->dim() == 1) // SqNorm2(x) → x² for a scalar
    return s.make(OpKind::Square, {a});
  if (is(a, OpKind::Minus)) // SqNorm2(−v) → SqNorm2(v)
    return s.make(OpKind::SqNorm2, {a->child(0)});
  return nullptr;
}

const Formula *simplifyScalprod(Simplifier &s, const Formula *node) {
  const Formula *a = node->child(0), *b = node->child(1);
  if (a->dim() == 1 && b->dim() == 1) // (a | b) → a·b for scalars
    return s.make(OpKind::Mult, {a, b});
  if (a == b) // (v | v) → SqNorm2(v)
    return s.make(OpKind::SqNorm2, {a});
  return nullptr;
}

const Formula *simplifySqDist(Simplifier &s, const Formula *node) {
  const Formula *a = node->child(0), *b = node->child(1);
  if (a == b) // SqDist(v, v) → 0
    return s.zero(1);
  if (a->dim() == 1 && b->dim() == 1) // SqDist(a, b) → (a − b)² for scalars
    return s.make(OpKind::Square, {s.make(OpKind::Subtract, {a, b})});
  if (isZero(b) && a->dim() >= b->dim()) // SqDist(v, 0) → SqNorm2(v)
    return s.make(OpKind::SqNorm2, {a});
  if (isZero(a) && b->dim() >= a->dim()) // SqDist(0, v) → SqNorm2(v)
    return s.make(OpKind::SqNorm2, {b});
  return nullptr;
}

const Formula *simplifyElem(Simplifier &s, const Formula *node) {
  const Formula *a = node->child(0);
  const int64_t m = node->ints()[0];
  if (a->dim() == 1) // Elem(x, 0) → x for a scalar
    return a;
  if (is(a, OpKind::Concat)) { // Elem((u, v), m) → u_m or v_(m − d_u)
    const Formula *u = a->child(0), *v = a->child(1);
    return m < u->dim() ? s.make(OpKind::Elem, {u}, {m})
                        : s.make(OpKind::Elem, {v}, {m - u->dim()});
  }
  if (ir::opInfo(a->kind()).elementwise()) { // Elem(f(u, v), m) → f(u_m, v_m)
    std::vector<const Formula *> components;
    for (const Formula *operand : a->children())
      components.push_back(operand->dim() == 1 ? operand : s.make(OpKind::Elem, {operand}, {m}));
    return s.make(a->kind(), std::move(components), a->ints());
  }
  return nullptr;
}

} // namespace keopsc::passes::simplifier
