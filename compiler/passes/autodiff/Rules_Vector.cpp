// Derivative rules of the vector, norm and shape operations (SPEC.md §3 "Vector"); see Rules.h.
#include "passes/autodiff/Rules.h"

namespace keopsc::passes::differentiation {
namespace {

/// The adjoint of Σ-weighted squared norms N(s, f) for a scalar adjoint a: to s (k = 0) or to
/// f (k = 1); the form follows d_s as WeightedSqNorm's does (1: s·Σf², d: Σ sₖfₖ², d²: fᵀSf).
const ir::Formula *weightedNormAdjoint(Builder &b, const ir::Formula *s, const ir::Formula *f,
                                       size_t k, const ir::Formula *a) {
  using K = ir::OpKind;
  const int64_t ds = s->dim(), d = f->dim();
  if (ds == d * d && d > 1) { // fᵀSf: f⊗f to S, (S + Sᵀ)f to f
    if (k == 0)
      return b.mul(a, b.op(K::TensorProd, {f, f}));
    return b.mul(a, b.add(b.op(K::MatVecMult, {s, f}), b.op(K::VecMatMult, {f, s})));
  }
  if (k == 0) // Σf² (d_s = 1; the differentiator keeps it a scalar) or f² component-wise
    return b.mul(a, ds == 1 ? b.op(K::SqNorm2, {f}) : b.square(f));
  return b.mul(b.integer(2), b.mul(a, b.mul(s, f)));
}

} // namespace

Contribution vectorAdjoint(Builder &b, const ir::Formula *y, size_t k, const ir::Formula *a) {
  using K = ir::OpKind;
  const ir::Formula *x = y->child(k);
  const int64_t d = x->dim();
  switch (y->kind()) {
  case K::Sum: // a (scalar) to every component; the differentiator repeats it
    return {a};
  case K::SumT:
    return {b.sum(a)};
  case K::Max: // the whole adjoint to the reported index (SPEC.md §6)
    return {b.mul(a, b.op(K::OneHot, {b.op(K::ArgMax, {x})}, {d}))};
  case K::Min:
    return {b.mul(a, b.op(K::OneHot, {b.op(K::ArgMin, {x})}, {d}))};
  case K::Scalprod: // a·x_other (a dimension-1 side is summed or repeated by the differentiator)
    return {b.mul(a, y->child(1 - k))};
  case K::SqNorm2:
    return {b.mul(b.integer(2), b.mul(a, x))};
  case K::Norm2: // Normalize(0) = 0: Norm2′(0) = 0
    return {b.mul(a, b.op(K::Normalize, {x}))};
  case K::Normalize: { // y = x/|x|: (a − y⟨y, a⟩)/|x|, 0 at x = 0 (Rsqrt(0) = 0)
    const ir::Formula *projected = b.sub(a, b.mul(y, b.dot(y, a)));
    return {b.mul(projected, b.op(K::Rsqrt, {b.op(K::SqNorm2, {x})}))};
  }
  case K::WeightedSqNorm:
  case K::SqNormIso:
  case K::SqNormDiag:
  case K::SymSqNorm:
    return {weightedNormAdjoint(b, y->child(0), y->child(1), k, a)};
  case K::WeightedSqDist: { // WeightedSqNorm(s, f − g): f gets the difference's adjoint, g minus it
    const ir::Formula *difference = b.sub(y->child(1), y->child(2));
    const ir::Formula *c = weightedNormAdjoint(b, y->child(0), difference, k == 0 ? 0 : 1, a);
    return {k == 2 ? b.neg(c) : c};
  }
  case K::SqDist: { // Σ (x0 − x1)²
    const ir::Formula *twice = b.mul(b.integer(2), b.mul(a, b.sub(y->child(0), y->child(1))));
    return {k == 0 ? twice : b.neg(twice)};
  }
  case K::Elem:
    return {b.placeAt(a, y->ints()[0], d)};
  case K::ElemT: // ints (n, m): f at m
    return {b.elem(a, y->ints()[1])};
  case K::Extract: // ints (s, d)
    return {b.placeAt(a, y->ints()[0], d)};
  case K::ExtractT: // ints (s, n)
    return {b.extract(a, y->ints()[0], d)};
  case K::Concat:
    return {b.extract(a, k == 0 ? 0 : y->child(0)->dim(), d)};
  default: // Rules.cpp dispatches only this family's ops here
    return missingRule();
  }
}

} // namespace keopsc::passes::differentiation
