// Rules for the shape and selection operations: on a scalar, Max and Min are the scalar and
// ArgMax and ArgMin its index 0; Norm2 of a scalar is its absolute value; extracting or
// embedding a whole vector is the vector; Elem of an Extract reads the source directly; an
// IfElse whose branches agree is that branch, and on a constant condition the chosen branch.
#include "passes/simplify/Match.h"
#include "passes/simplify/Simplifier.h"

namespace keopsc::passes::simplifier {

const Formula *simplifyExtremum(Simplifier &s, const Formula *node) {
  const Formula *a = node->child(0);
  if (a->dim() != 1)
    return nullptr;
  if (is(node, OpKind::Max) || is(node, OpKind::Min)) // Max(x) → x for a scalar
    return a;
  return s.zero(1); // ArgMax(x) → 0 for a scalar (also a NaN's: its first NaN is at 0)
}

const Formula *simplifyNorm2(Simplifier &s, const Formula *node) {
  const Formula *a = node->child(0);
  if (a->dim() == 1) // Norm2(x) → |x| for a scalar
    return s.make(OpKind::Abs, {a});
  if (is(a, OpKind::Minus)) // Norm2(−v) → Norm2(v)
    return s.make(OpKind::Norm2, {a->child(0)});
  return nullptr;
}

const Formula *simplifyExtract(Simplifier &s, const Formula *node) {
  const Formula *a = node->child(0);
  const int64_t start = node->ints()[0], count = node->ints()[1];
  if (start == 0 && count == a->dim()) // Extract(v, 0, d) → v
    return a;
  if (is(a, OpKind::Extract)) // Extract(Extract(v, s1, n1), s2, n2) → Extract(v, s1 + s2, n2)
    return s.make(OpKind::Extract, {a->child(0)}, {a->ints()[0] + start, count});
  return nullptr;
}

const Formula *simplifyEmbedding(Simplifier &, const Formula *node) {
  const Formula *a = node->child(0);
  if (a->dim() == node->dim()) // ElemT(x, 1, 0), ExtractT(v, 0, d), SumT(x, 1) → the operand
    return a;
  return nullptr;
}

const Formula *simplifyIfElse(Simplifier &, const Formula *node) {
  const Formula *c = node->child(0), *a = node->child(1), *b = node->child(2);
  const int d = node->dim();
  if (a == b && a->dim() == d) // IfElse(c, a, a) → a
    return a;
  if (isConst(c)) { // a constant condition picks a branch (c ≥ 0: a)
    const double value = c->constant().value();
    const Formula *chosen = value >= 0 ? a : b;
    if (chosen->dim() == d)
      return chosen;
  }
  return nullptr;
}

} // namespace keopsc::passes::simplifier
