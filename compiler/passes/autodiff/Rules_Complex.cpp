// Derivative rules of the Complex operations (SPEC.md §3); see Rules.h. Complex vectors are
// interleaved (re, im) pairs and the gradients are those of the real maps on the pairs: for a
// holomorphic map with derivative f′, the adjoint is conj(f′)·a, a product of complex numbers.
#include "passes/autodiff/Rules.h"

namespace keopsc::passes::differentiation {
namespace {

/// Rule C: a single complex number (dimension 2) used against a wider operand receives the sum
/// of its copies' adjoints (the differentiator only sums dimension-1 operands).
const ir::Formula *fitComplex(Builder &b, const ir::Formula *c, const ir::Formula *operand) {
  return operand->dim() == 2 && c->dim() > 2 ? b.op(ir::OpKind::ComplexSum, {c}) : c;
}

} // namespace

Contribution complexAdjoint(Builder &b, const ir::Formula *y, size_t k, const ir::Formula *a) {
  using K = ir::OpKind;
  const ir::Formula *x = y->child(k);
  auto cmul = [&](const ir::Formula *u, const ir::Formula *v) {
    return b.op(K::ComplexMult, {u, v});
  };
  auto conj = [&](const ir::Formula *u) { return b.op(K::Conj, {u}); };
  switch (y->kind()) {
  case K::ComplexReal: // a at the real parts
    return {b.op(K::Real2Complex, {a})};
  case K::ComplexImag:
    return {b.op(K::Imag2Complex, {a})};
  case K::Real2Complex:
    return {b.op(K::ComplexReal, {a})};
  case K::Imag2Complex:
    return {b.op(K::ComplexImag, {a})};
  case K::Conj:
    return {conj(a)};
  case K::ComplexAdd:
    return {fitComplex(b, a, x)};
  case K::ComplexSubtract:
    return {fitComplex(b, k == 0 ? a : b.neg(a), x)};
  case K::ComplexMult: // f·g: conj(g)·a to f, conj(f)·a to g
    return {fitComplex(b, cmul(conj(y->child(1 - k)), a), x)};
  case K::ComplexDivide: { // f/g: a/conj(g) to f; −conj(y/g)·a to g
    const ir::Formula *g = y->child(1);
    if (k == 0)
      return {fitComplex(b, b.op(K::ComplexDivide, {a, conj(g)}), x)};
    return {fitComplex(b, b.neg(cmul(conj(b.op(K::ComplexDivide, {y, g})), a)), x)};
  }
  case K::ComplexExp: // exp′ = exp
    return {cmul(conj(y), a)};
  case K::ComplexExp1j: // (cos x, sin x): −sin x·a_re + cos x·a_im = Im(conj(y)·a)
    return {b.op(K::ComplexImag, {cmul(conj(y), a)})};
  case K::ComplexSquareAbs: // 2·a·(re, im)
    return {b.mul(b.integer(2), cmul(b.op(K::Real2Complex, {a}), x))};
  case K::ComplexAbs: // a·(re, im)/|x|, 0 at x = 0 (Rsqrt(0) = 0, as Norm2′(0) = 0)
    return {cmul(
        b.op(K::Real2Complex, {b.mul(a, b.op(K::Rsqrt, {b.op(K::ComplexSquareAbs, {x})}))}), x)};
  case K::ComplexAngle: // atan2(im, re): a·(−im, re)/|x|² = i·a·x/|x|²
    return {cmul(b.op(K::Imag2Complex, {b.div(a, b.op(K::ComplexSquareAbs, {x}))}), x)};
  case K::ComplexSum: // a to every complex entry
    return {b.op(K::ComplexSumT, {a}, {x->dim()})};
  case K::ComplexSumT:
    return {b.op(K::ComplexSum, {a})};
  case K::ComplexRealScal: { // s·z: ⟨a, z⟩ to the real scalar s, s·a to z
    const ir::Formula *other = y->child(1 - k);
    return {x->dim() == 1 ? b.dot(a, other) : b.mul(a, other)};
  }
  default: // Rules.cpp dispatches only this family's ops here
    return missingRule();
  }
}

} // namespace keopsc::passes::differentiation
