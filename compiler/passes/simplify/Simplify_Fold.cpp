// Constant folding (SPEC.md §2): arithmetic on exact rationals folds exactly (1/2·x is
// Const(1/2)·x, IntInv(2) and RatCst(1, 2) are one constant), 64-bit overflow leaves the node
// for float64 folding; any other operation on constants folds through the float64 evaluator
// when its result is finite and the same in every component.
#include "ir/Evaluate.h"
#include "passes/simplify/Match.h"
#include "passes/simplify/Simplifier.h"

#include <cmath>
#include <optional>

namespace keopsc::passes::simplifier {
namespace {

using ir::Constant;

std::optional<Constant> powInt(const Constant &base, int64_t n) {
  if (n < 0) {
    auto positive = n == INT64_MIN ? std::nullopt : powInt(base, -n);
    return positive ? ir::div(Constant::integer(1), *positive) : std::nullopt;
  }
  std::optional<Constant> result = Constant::integer(1);
  for (int64_t k = 0; k < n && result; ++k) // exact powers overflow long before n is large
    result = ir::mul(*result, base);
  return result;
}

std::optional<Constant> times(int64_t n, const Constant &c) {
  return ir::mul(Constant::integer(n), c);
}

/// The exact value of `node` on exact constant operands `a`, if there is one.
std::optional<Constant> foldExactly(const Formula *node, const std::vector<Constant> &a) {
  int width = 1;
  for (const Formula *c : node->children())
    width = std::max(width, c->dim());
  const OpKind kind = node->kind();
  if (kind == OpKind::Add)
    return ir::add(a[0], a[1]);
  if (kind == OpKind::Subtract) {
    auto negated = ir::neg(a[1]);
    return negated ? ir::add(a[0], *negated) : std::nullopt;
  }
  if (kind == OpKind::Mult)
    return ir::mul(a[0], a[1]);
  if (kind == OpKind::Divide)
    return ir::div(a[0], a[1]);
  if (kind == OpKind::Minus)
    return ir::neg(a[0]);
  if (kind == OpKind::Inv)
    return ir::div(Constant::integer(1), a[0]);
  if (kind == OpKind::Square)
    return ir::mul(a[0], a[0]);
  if (kind == OpKind::Pow)
    return node->ints()[0] > 64 ? std::nullopt : powInt(a[0], node->ints()[0]);
  if (kind == OpKind::Sum)
    return times(width, a[0]);
  if (kind == OpKind::Elem)
    return a[0];
  if (kind == OpKind::SqNorm2) {
    auto square = ir::mul(a[0], a[0]);
    return square ? times(width, *square) : std::nullopt;
  }
  if (kind == OpKind::Scalprod) {
    auto product = ir::mul(a[0], a[1]);
    return product ? times(width, *product) : std::nullopt;
  }
  return std::nullopt; // every other operation folds through float64, if at all
}

/// The value of `node` on constant operands through the float64 evaluator, when it is finite
/// and uniform (a Const node holds one value for all its components). A result equal to an
/// exact operand or its negation (Abs, ReLU, Clamp, Max pick one) is that exact value, not its
/// float64 rounding: Abs(−3/7) − 3/7 must fold to exactly 0.
std::optional<Constant> foldInFloat64(const Formula *node) {
  ir::Evaluator evaluator({node});
  evaluator.run([](int) -> const double * { return nullptr; }); // no variables below
  const std::vector<double> &value = evaluator.value(node);
  for (double v : value)
    if (!std::isfinite(v) || v != value[0])
      return std::nullopt;
  for (const Formula *operand : node->children()) {
    const Constant &c = operand->constant();
    if (!c.exact())
      continue;
    if (c.value() == value[0])
      return c;
    if (-c.value() == value[0])
      return ir::neg(c);
  }
  return Constant::real(value[0]);
}

} // namespace

const Formula *foldConstants(Simplifier &s, const Formula *node) {
  std::vector<Constant> operands;
  bool allExact = true;
  for (const Formula *c : node->children()) {
    if (!isConst(c))
      return nullptr;
    operands.push_back(c->constant());
    allExact = allExact && c->constant().exact();
  }
  std::optional<Constant> value = allExact ? foldExactly(node, operands) : std::nullopt;
  if (!value)
    value = foldInFloat64(node);
  return value ? s.constant(*value, node->dim()) : nullptr;
}

} // namespace keopsc::passes::simplifier
