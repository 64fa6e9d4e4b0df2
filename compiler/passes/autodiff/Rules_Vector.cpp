// Derivative rules of the vector, norm and shape operations (SPEC.md §3 "Vector"); see Rules.h.
#include "passes/autodiff/Rules.h"

namespace keopsc::passes::differentiation {

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
