// Constants in formulas: float and integer literals, exact integer arithmetic, `**` (special
// cases for constant exponents, else Powf), and the spellings IntCst, RatCst, IntInv, Zero.
// Part of ExprLowering.
#include "sema/ExprLowering.h"
#include "sema/StaticInt.h"
#include "support/Assert.h"

#include <optional>
#include <vector>

namespace keopsc::sema {

const ir::Formula *ExprLowering::lowerFloat(const ast::Expr &expr, bool negate) {
  auto value = ir::Constant::parseDecimal((negate ? "-" : "") + expr.text);
  if (!value) {
    diags_.report(DiagId::BadDimension, expr.range, {"float literal is out of range"});
    return nullptr;
  }
  return record(context_.constant(*value), expr.range);
}

/// True for expressions made only of integer literals and unary/binary + - *: SPEC.md §2 folds
/// them exactly (with overflow errors), so `2 * 3 * x` is `6 * x`.
bool ExprLowering::isIntegerArithmetic(const ast::Expr &expr, int depth) {
  if (depth > 200)
    return false;
  switch (expr.kind) {
  case ast::ExprKind::Integer:
    return true;
  case ast::ExprKind::Unary:
    return isIntegerArithmetic(*expr.operands[0], depth + 1);
  case ast::ExprKind::Binary:
    return (expr.binaryOp == ast::BinaryOp::Add || expr.binaryOp == ast::BinaryOp::Sub ||
            expr.binaryOp == ast::BinaryOp::Mul) &&
           isIntegerArithmetic(*expr.operands[0], depth + 1) &&
           isIntegerArithmetic(*expr.operands[1], depth + 1);
  default:
    return false;
  }
}

const ir::Formula *ExprLowering::lowerIntegerArithmetic(const ast::Expr &expr) {
  auto value = evalStaticInt(expr, "an integer constant", diags_);
  if (!value)
    return nullptr;
  return record(context_.constant(ir::Constant::integer(*value)), expr.range);
}

namespace {

/// The exact value of a dimension-1 exponent built from constants by + - * / and negation (what
/// sema makes of `2`, `-0.5`, `1/2`, `2.0`), so that `0.5`, `.5` and `1/2` mean the same; nullopt
/// for anything else, and for values only known as float64.
std::optional<ir::Constant> exactExponent(const ir::Formula *f, int depth = 0) {
  if (f->dim() != 1 || depth > 200)
    return std::nullopt;
  if (f->kind() == ir::OpKind::Const)
    return f->constant().exact() ? std::optional<ir::Constant>(f->constant()) : std::nullopt;
  std::vector<ir::Constant> a;
  for (const ir::Formula *c : f->children()) {
    auto value = exactExponent(c, depth + 1);
    if (!value)
      return std::nullopt;
    a.push_back(*value);
  }
  using ir::OpKind;
  if (f->kind() == OpKind::Minus)
    return ir::neg(a[0]);
  if (f->kind() == OpKind::Add)
    return ir::add(a[0], a[1]);
  if (f->kind() == OpKind::Subtract) {
    auto negated = ir::neg(a[1]);
    return negated ? ir::add(a[0], *negated) : std::nullopt;
  }
  if (f->kind() == OpKind::Mult)
    return ir::mul(a[0], a[1]);
  if (f->kind() == OpKind::Divide)
    return ir::div(a[0], a[1]);
  return std::nullopt;
}

} // namespace

// `f**e` per SPEC.md §2: an exact constant e = 2 → Square, another integer n → Pow (1 → f),
// 0.5 → Sqrt, -0.5 → Rsqrt; any other exponent (constant or formula, `c**g` too) → Powf.
const ir::Formula *ExprLowering::lowerPower(const ast::Expr &expr) {
  const ir::Formula *base = lowerExpr(*expr.operands[0]);
  const ir::Formula *exponent = lowerExpr(*expr.operands[1]);
  if (!base || !exponent)
    return nullptr;
  std::optional<ir::Constant> e = exactExponent(exponent);
  const auto half = *ir::Constant::rational(1, 2);
  if (e && *e == half)
    return make(ir::OpKind::Sqrt, {base}, {}, expr, "**", expr.opRange);
  if (e && ir::neg(*e) == half)
    return make(ir::OpKind::Rsqrt, {base}, {}, expr, "**", expr.opRange);
  if (e && e->isInteger()) {
    if (e->num() == 1)
      return base;
    if (e->num() == 2)
      return make(ir::OpKind::Square, {base}, {}, expr, "**", expr.opRange);
    return make(ir::OpKind::Pow, {base}, {e->num()}, expr, "**", expr.opRange);
  }
  return make(ir::OpKind::Powf, {base, exponent}, {}, expr, "**", expr.opRange);
}

const ir::Formula *ExprLowering::makeConstant(ir::OpKind kind, const std::vector<int64_t> &ints,
                                              SourceRange at) {
  std::optional<ir::Constant> value;
  int dim = 1;
  if (kind == ir::OpKind::IntCst) {
    value = ir::Constant::integer(ints[0]);
  } else if (kind == ir::OpKind::RatCst || kind == ir::OpKind::IntInv) {
    int64_t p = kind == ir::OpKind::RatCst ? ints[0] : 1;
    if (ints.back() == 0) {
      diags_.report(DiagId::DivisionByZero, at);
      return nullptr;
    }
    value = ir::Constant::rational(p, ints.back());
    if (!value) {
      diags_.report(DiagId::IntegerOverflow, at);
      return nullptr;
    }
  } else {
    KEOPSC_ASSERT(kind == ir::OpKind::Zero, "an unknown constant spelling");
    if (ints[0] < 1 || ints[0] > ir::kMaxDim) {
      diags_.report(DiagId::BadDimension, at,
                    {"Zero needs a dimension between 1 and 2^20, got " + std::to_string(ints[0])});
      return nullptr;
    }
    value = ir::Constant::integer(0);
    dim = static_cast<int>(ints[0]);
  }
  return record(context_.constant(*value, dim), at);
}

} // namespace keopsc::sema
