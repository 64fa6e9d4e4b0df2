// Rules for the complex-number operations: conjugation is an involution, and taking the real
// or imaginary part of a number built from reals gives those reals back, or zero.
#include "passes/simplify/Match.h"
#include "passes/simplify/Simplifier.h"

namespace keopsc::passes::simplifier {

const Formula *simplifyConj(Simplifier &, const Formula *node) {
  const Formula *a = node->child(0);
  if (is(a, OpKind::Conj)) // conj(conj(z)) → z
    return a->child(0);
  return nullptr;
}

const Formula *simplifyComplexPart(Simplifier &s, const Formula *node) {
  const Formula *a = node->child(0);
  const bool real = is(node, OpKind::ComplexReal);
  if (is(a, OpKind::Real2Complex)) // Re(x + 0i) → x, Im(x + 0i) → 0
    return real ? a->child(0) : s.zero(node->dim());
  if (is(a, OpKind::Imag2Complex)) // Re(0 + xi) → 0, Im(0 + xi) → x
    return real ? s.zero(node->dim()) : a->child(0);
  return nullptr;
}

} // namespace keopsc::passes::simplifier
