// Rules for Square, Pow and Abs: small integer powers become their own operations, signs
// vanish under even powers and Abs, and powers of powers multiply their exponents.
#include "passes/simplify/Match.h"
#include "passes/simplify/Simplifier.h"

#include <cstdlib>

namespace keopsc::passes::simplifier {
namespace {

/// Exponents of merged powers stay small, so the product cannot overflow.
constexpr int64_t kMaxMergedExponent = int64_t{1} << 20;

bool isNonNegative(const Formula *f) {
  return is(f, OpKind::Square) || is(f, OpKind::Abs) || is(f, OpKind::Exp) ||
         is(f, OpKind::SqNorm2) || is(f, OpKind::SqDist);
}

} // namespace

const Formula *simplifySquare(Simplifier &s, const Formula *node) {
  const Formula *a = node->child(0);
  if (is(a, OpKind::Minus) || is(a, OpKind::Abs)) // (−x)² → x², |x|² → x²
    return s.make(OpKind::Square, {a->child(0)});
  return nullptr;
}

const Formula *simplifyPow(Simplifier &s, const Formula *node) {
  const Formula *a = node->child(0);
  const int64_t n = node->ints()[0];
  if (n == 0) // x⁰ → 1, everywhere (integer powering, SPEC.md §3)
    return s.constant(ir::Constant::integer(1), node->dim());
  if (n == 1)
    return a;
  if (n == 2)
    return s.make(OpKind::Square, {a});
  if (n == -1)
    return s.make(OpKind::Inv, {a});
  if (is(a, OpKind::Minus) && n % 2 == 0) // (−x)ⁿ → xⁿ, n even
    return s.make(OpKind::Pow, {a->child(0)}, {n});
  if (is(a, OpKind::Pow)) { // (xᵐ)ⁿ → xᵐⁿ
    const int64_t m = a->ints()[0];
    if (std::llabs(m) < kMaxMergedExponent && std::llabs(n) < kMaxMergedExponent)
      return s.make(OpKind::Pow, {a->child(0)}, {m * n});
  }
  return nullptr;
}

const Formula *simplifyAbs(Simplifier &s, const Formula *node) {
  const Formula *a = node->child(0);
  if (is(a, OpKind::Minus)) // |−x| → |x|
    return s.make(OpKind::Abs, {a->child(0)});
  if (isNonNegative(a)) // |x²| → x², ||x|| → |x|, |eˣ| → eˣ
    return a;
  return nullptr;
}

} // namespace keopsc::passes::simplifier
