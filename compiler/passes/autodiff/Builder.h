// The node-building vocabulary of the derivative rules: short names for the operations rules
// combine, over one FormulaContext. Every call builds a valid node (dimensions are the rule's
// responsibility; a broken one is a compiler bug). No simplification here: the simplify pass
// runs after autodiff and removes the zeros and ones rules leave.
#pragma once

#include "ir/Formula.h"

#include <cstdint>

namespace keopsc::passes::differentiation {

class Builder {
public:
  explicit Builder(ir::FormulaContext &context) : ctx_(context) {}
  ir::FormulaContext &context() { return ctx_; }

  const ir::Formula *integer(int64_t n, int dim = 1) {
    return ctx_.constant(ir::Constant::integer(n), dim);
  }
  const ir::Formula *rational(int64_t p, int64_t q) {
    return ctx_.constant(*ir::Constant::rational(p, q), 1);
  }
  const ir::Formula *zero(int dim) { return ctx_.zero(dim); }

  const ir::Formula *op(ir::OpKind kind, std::vector<const ir::Formula *> children,
                        std::vector<int64_t> ints = {}) {
    return ctx_.get(kind, std::move(children), std::move(ints));
  }
  const ir::Formula *add(const ir::Formula *a, const ir::Formula *b) {
    return op(ir::OpKind::Add, {a, b});
  }
  const ir::Formula *sub(const ir::Formula *a, const ir::Formula *b) {
    return op(ir::OpKind::Subtract, {a, b});
  }
  const ir::Formula *mul(const ir::Formula *a, const ir::Formula *b) {
    return op(ir::OpKind::Mult, {a, b});
  }
  const ir::Formula *div(const ir::Formula *a, const ir::Formula *b) {
    return op(ir::OpKind::Divide, {a, b});
  }
  const ir::Formula *neg(const ir::Formula *a) { return op(ir::OpKind::Minus, {a}); }
  const ir::Formula *square(const ir::Formula *a) { return op(ir::OpKind::Square, {a}); }
  const ir::Formula *sum(const ir::Formula *a) { return op(ir::OpKind::Sum, {a}); }
  /// ⟨a, b⟩ (Scalprod; one side may be a scalar).
  const ir::Formula *dot(const ir::Formula *a, const ir::Formula *b) {
    return op(ir::OpKind::Scalprod, {a, b});
  }
  /// Component k of a (Elem).
  const ir::Formula *elem(const ir::Formula *a, int64_t k) {
    return op(ir::OpKind::Elem, {a}, {k});
  }
  /// The d-vector holding a (of dimension d_a) at components [k, k + d_a), zeros elsewhere.
  const ir::Formula *placeAt(const ir::Formula *a, int64_t k, int64_t d) {
    return op(ir::OpKind::ExtractT, {a}, {k, d});
  }
  /// Components [k, k + d) of a.
  const ir::Formula *extract(const ir::Formula *a, int64_t k, int64_t d) {
    return op(ir::OpKind::Extract, {a}, {k, d});
  }
  const ir::Formula *concat(const ir::Formula *a, const ir::Formula *b) {
    return op(ir::OpKind::Concat, {a, b});
  }
  /// The i-th unit vector of dimension d.
  const ir::Formula *unit(int64_t i, int64_t d) { return placeAt(integer(1), i, d); }
  /// Indicator a > b, a < b (comparisons are 0/1 numbers).
  const ir::Formula *less(const ir::Formula *a, const ir::Formula *b) {
    return op(ir::OpKind::LessThan, {a, b});
  }
  const ir::Formula *lessOrEqual(const ir::Formula *a, const ir::Formula *b) {
    return op(ir::OpKind::LessOrEqual, {a, b});
  }

private:
  ir::FormulaContext &ctx_;
};

} // namespace keopsc::passes::differentiation
