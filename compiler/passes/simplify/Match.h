// Small predicates the rule files read like patterns: `isZero(b)`, `is(a, OpKind::Minus)`,
// `constOf(a)`. Constants are Const nodes (every component holds the same value).
#pragma once

#include "ir/Formula.h"

#include <optional>

namespace keopsc::passes::simplifier {

inline bool is(const ir::Formula *f, ir::OpKind kind) { return f->kind() == kind; }
inline bool isConst(const ir::Formula *f) { return is(f, ir::OpKind::Const); }

/// The value of a constant node, if `f` is one.
inline std::optional<ir::Constant> constOf(const ir::Formula *f) {
  if (!isConst(f))
    return std::nullopt;
  return f->constant();
}

/// Whether `f` is the constant n (exactly).
inline bool isInt(const ir::Formula *f, int64_t n) {
  return isConst(f) && f->constant() == ir::Constant::integer(n);
}
inline bool isZero(const ir::Formula *f) { return isConst(f) && f->constant().isZero(); }
inline bool isOne(const ir::Formula *f) { return isInt(f, 1); }

/// Whether `f` is a scalar broadcast against a wider `g` (rule B's dimension-1 operand).
inline bool isScalarAgainst(const ir::Formula *f, const ir::Formula *g) {
  return f->dim() == 1 && g->dim() > 1;
}

} // namespace keopsc::passes::simplifier
