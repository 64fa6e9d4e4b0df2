// Derivative rules of the arithmetic operations (SPEC.md §3 "Arithmetic"); see Rules.h.
// y is the node, x_k its operands, a the adjoint of y. Broadcast operands are summed by the
// differentiator, so rules write the full-dimension contribution.
#include "passes/autodiff/Rules.h"

namespace keopsc::passes::differentiation {

Contribution arithmeticAdjoint(Builder &b, const ir::Formula *y, size_t k, const ir::Formula *a) {
  using K = ir::OpKind;
  const ir::Formula *x = y->child(k);
  switch (y->kind()) {
  case K::Add:
    return {a};
  case K::Subtract:
    return {k == 0 ? a : b.neg(a)};
  case K::Minus:
    return {b.neg(a)};
  case K::Mult:
    return {b.mul(a, y->child(1 - k))};
  case K::Divide: // x0 / x1: a / x1, and −a·y / x1
    return {k == 0 ? b.div(a, y->child(1)) : b.neg(b.div(b.mul(a, y), y->child(1)))};
  case K::Inv: // −a·y²
    return {b.neg(b.mul(a, b.square(y)))};
  case K::Square:
    return {b.mul(b.integer(2), b.mul(a, x))};
  case K::Pow: { // n·x^(n−1)
    const int64_t n = y->ints()[0];
    if (n == 0)
      return {};
    return {b.mul(b.integer(n), b.mul(a, b.op(K::Pow, {x}, {n - 1})))};
  }
  case K::Powf: { // x^p: p·x^(p−1) to x, y·log x to p
    const ir::Formula *base = y->child(0), *p = y->child(1);
    if (k == 0)
      return {b.mul(a, b.mul(p, b.op(K::Powf, {base, b.sub(p, b.integer(1))})))};
    return {b.mul(a, b.mul(y, b.op(K::Log, {base})))};
  }
  case K::Sqrt: // ½·Rsqrt(x): 0 at x = 0 (SPEC.md §6's √′(0) = 0, as Rsqrt(0) = 0)
    return {b.mul(b.rational(1, 2), b.mul(a, b.op(K::Rsqrt, {x})))};
  case K::Rsqrt: // −½·y³ (0 at x = 0, where y = 0)
    return {b.mul(b.rational(-1, 2), b.mul(a, b.op(K::Pow, {y}, {3})))};
  default: // Rules.cpp dispatches only this family's ops here
    return missingRule();
  }
}

} // namespace keopsc::passes::differentiation
