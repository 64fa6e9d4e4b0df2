// Constants in formulas: float and integer literals, exact integer arithmetic, `**` with a
// constant exponent, and the spellings IntCst, RatCst, IntInv, Zero. Part of ExprLowering.
#include "sema/ExprLowering.h"
#include "sema/StaticInt.h"
#include "support/Assert.h"

#include <cmath>
#include <cstdlib>

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

// `f**e` per SPEC.md §2: 2 → Square, integer n → Pow (1 → f), 0.5 → Sqrt, -0.5 → Rsqrt.
const ir::Formula *ExprLowering::lowerPower(const ast::Expr &expr) {
  const ast::Expr &exponent = *expr.operands[1];
  std::optional<double> constant;
  if (auto n = tryStaticInt(exponent))
    constant = static_cast<double>(*n);
  else if (exponent.kind == ast::ExprKind::Float)
    constant = std::strtod(exponent.text.c_str(), nullptr);
  else if (exponent.kind == ast::ExprKind::Unary &&
           exponent.operands[0]->kind == ast::ExprKind::Float)
    constant = (exponent.unaryOp == ast::UnaryOp::Minus ? -1 : 1) *
               std::strtod(exponent.operands[0]->text.c_str(), nullptr);
  bool integral = constant && std::abs(*constant) < 1e9 && *constant == std::floor(*constant);
  if (!constant || (!integral && *constant != 0.5 && *constant != -0.5)) {
    diags_.report(DiagId::NotSupportedYet, expr.opRange,
                  {"'**' with a non-integer exponent (Powf)"});
    return nullptr;
  }
  const ir::Formula *base = lowerExpr(*expr.operands[0]);
  if (!base)
    return nullptr;
  if (*constant == 0.5)
    return make(ir::OpKind::Sqrt, {base}, {}, expr, "**", expr.opRange);
  if (*constant == -0.5)
    return make(ir::OpKind::Rsqrt, {base}, {}, expr, "**", expr.opRange);
  auto n = static_cast<int64_t>(*constant);
  if (n == 1)
    return base;
  if (n == 2)
    return make(ir::OpKind::Square, {base}, {}, expr, "**", expr.opRange);
  return make(ir::OpKind::Pow, {base}, {n}, expr, "**", expr.opRange);
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
