// Exact evaluation of static integer arguments; see StaticInt.h.
#include "sema/StaticInt.h"

#include <cstdlib>

namespace keopsc::sema {
namespace {

enum class EvalError { None, NotConstant, Overflow };

std::optional<int64_t> parseDecimal(const std::string &digits) {
  int64_t value = 0;
  for (char c : digits) {
    if (c < '0' || c > '9')
      return std::nullopt;
    if (__builtin_mul_overflow(value, 10, &value) || __builtin_add_overflow(value, c - '0', &value))
      return std::nullopt;
  }
  return value;
}

std::optional<int64_t> eval(const ast::Expr &expr, EvalError &error, int depth) {
  if (depth > 200) {
    error = EvalError::NotConstant;
    return std::nullopt;
  }
  using ast::ExprKind;
  switch (expr.kind) {
  case ExprKind::Integer: {
    auto value = parseDecimal(expr.text);
    if (!value)
      error = EvalError::Overflow;
    return value;
  }
  case ExprKind::Unary: {
    auto v = eval(*expr.operands[0], error, depth + 1);
    if (!v)
      return std::nullopt;
    if (expr.unaryOp == ast::UnaryOp::Plus)
      return v;
    int64_t negated;
    if (__builtin_sub_overflow(int64_t{0}, *v, &negated)) {
      error = EvalError::Overflow;
      return std::nullopt;
    }
    return negated;
  }
  case ExprKind::Binary: {
    if (expr.binaryOp != ast::BinaryOp::Add && expr.binaryOp != ast::BinaryOp::Sub &&
        expr.binaryOp != ast::BinaryOp::Mul) {
      error = EvalError::NotConstant;
      return std::nullopt;
    }
    auto a = eval(*expr.operands[0], error, depth + 1);
    if (!a)
      return std::nullopt;
    auto b = eval(*expr.operands[1], error, depth + 1);
    if (!b)
      return std::nullopt;
    int64_t r;
    bool overflow = expr.binaryOp == ast::BinaryOp::Add   ? __builtin_add_overflow(*a, *b, &r)
                    : expr.binaryOp == ast::BinaryOp::Sub ? __builtin_sub_overflow(*a, *b, &r)
                                                          : __builtin_mul_overflow(*a, *b, &r);
    if (overflow) {
      error = EvalError::Overflow;
      return std::nullopt;
    }
    return r;
  }
  case ExprKind::Float: {
    // An integral float literal (`2.`) is accepted where an integer is expected.
    double value = std::strtod(expr.text.c_str(), nullptr);
    if (value == static_cast<double>(static_cast<int64_t>(value)) && value > -9e18 && value < 9e18)
      return static_cast<int64_t>(value);
    error = EvalError::NotConstant;
    return std::nullopt;
  }
  default:
    error = EvalError::NotConstant;
    return std::nullopt;
  }
}

} // namespace

std::optional<int64_t> tryStaticInt(const ast::Expr &expr) {
  EvalError error = EvalError::None;
  return eval(expr, error, 0);
}

std::optional<int64_t> evalStaticInt(const ast::Expr &expr, const std::string &what,
                                     DiagnosticEngine &diags) {
  EvalError error = EvalError::None;
  auto value = eval(expr, error, 0);
  if (value)
    return value;
  if (error == EvalError::Overflow)
    diags.report(DiagId::IntegerOverflow, expr.range);
  else
    diags.report(DiagId::ExpectedInteger, expr.range, {what});
  return std::nullopt;
}

std::optional<std::vector<int64_t>>
evalStaticIntList(const ast::Expr &expr, const std::string &what, DiagnosticEngine &diags) {
  if (expr.kind != ast::ExprKind::List) {
    diags.report(DiagId::ExpectedIntegerList, expr.range, {what});
    return std::nullopt;
  }
  std::vector<int64_t> values;
  for (size_t k = 0; k < expr.operands.size(); ++k) {
    auto value =
        evalStaticInt(*expr.operands[k], "element " + std::to_string(k + 1) + " of " + what, diags);
    if (!value)
      return std::nullopt;
    values.push_back(*value);
  }
  return values;
}

} // namespace keopsc::sema
