// The simplifier's engine; see Simplifier.h.
#include "passes/simplify/Simplifier.h"

#include "ir/Rewrite.h"
#include "support/Assert.h"

namespace keopsc::passes::simplifier {
namespace {

/// Rules that build nodes simplify them in turn; past this depth a new node is kept as built
/// (correct, merely less simplified), so no rule set can recurse without bound.
constexpr int kMaxDepth = 64;
/// Rewrite steps on one node before it is kept as it stands (rules shrink or reorder terms, so
/// real formulas need a handful).
constexpr int kMaxSteps = 32;

} // namespace

Simplifier::Simplifier(ir::FormulaContext &context)
    : context_(context),
      rewriter_(context, [this](const Formula *node, std::vector<const Formula *> children) {
        return simplifyNode(ir::rebuild(context_, node, std::move(children)));
      }) {}

const Formula *Simplifier::simplify(const Formula *root) { return rewriter_.rewrite(root); }

const Formula *Simplifier::make(OpKind kind, std::vector<const Formula *> children,
                                std::vector<int64_t> ints) {
  return simplifyNode(context_.get(kind, std::move(children), std::move(ints)));
}

const Formula *Simplifier::simplifyNode(const Formula *node) {
  if (auto found = done_.find(node); found != done_.end())
    return found->second;
  const Formula *current = node;
  if (depth_ < kMaxDepth) {
    ++depth_;
    for (int step = 0; step < kMaxSteps; ++step) {
      const Formula *next = applyRules(current);
      if (!next || next == current)
        break;
      KEOPSC_ASSERT(next->dim() == current->dim(), "a simplify rule changed a dimension");
      current = next;
    }
    --depth_;
  }
  done_[node] = current;
  done_.emplace(current, current);
  return current;
}

const Formula *Simplifier::applyRules(const Formula *node) {
  if (node->isLeaf())
    return nullptr;
  if (const Formula *folded = foldConstants(*this, node))
    return folded;
  if (const Formula *zero = propagateZeros(*this, node))
    return zero;
  switch (node->kind()) {
  case OpKind::Add:
    return simplifyAdd(*this, node);
  case OpKind::Subtract:
    return simplifySubtract(*this, node);
  case OpKind::Minus:
    return simplifyMinus(*this, node);
  case OpKind::Mult:
    return simplifyMult(*this, node);
  case OpKind::Divide:
    return simplifyDivide(*this, node);
  case OpKind::Inv:
    return simplifyInv(*this, node);
  case OpKind::Square:
    return simplifySquare(*this, node);
  case OpKind::Pow:
    return simplifyPow(*this, node);
  case OpKind::Abs:
    return simplifyAbs(*this, node);
  case OpKind::Sum:
    return simplifySum(*this, node);
  case OpKind::SqNorm2:
    return simplifySqNorm2(*this, node);
  case OpKind::Scalprod:
    return simplifyScalprod(*this, node);
  case OpKind::SqDist:
    return simplifySqDist(*this, node);
  case OpKind::Elem:
    return simplifyElem(*this, node);
  case OpKind::Max:
  case OpKind::Min:
  case OpKind::ArgMax:
  case OpKind::ArgMin:
    return simplifyExtremum(*this, node);
  case OpKind::Norm2:
    return simplifyNorm2(*this, node);
  case OpKind::Extract:
    return simplifyExtract(*this, node);
  case OpKind::ElemT:
  case OpKind::ExtractT:
  case OpKind::SumT:
    return simplifyEmbedding(*this, node);
  case OpKind::IfElse:
    return simplifyIfElse(*this, node);
  case OpKind::Conj:
    return simplifyConj(*this, node);
  case OpKind::ComplexReal:
  case OpKind::ComplexImag:
    return simplifyComplexPart(*this, node);
  // Operations with no rules of their own beyond folding and zeros.
  case OpKind::Sqrt:
  case OpKind::Rsqrt:
  case OpKind::Exp:
  case OpKind::ExpOfProduct:
  case OpKind::Log:
  case OpKind::Concat:
  // The vector and linear-algebra operations: folding and zeros (linearity flags) only.
  case OpKind::Normalize:
  case OpKind::WeightedSqNorm:
  case OpKind::WeightedSqDist:
  case OpKind::SqNormIso:
  case OpKind::SqNormDiag:
  case OpKind::SymSqNorm:
  case OpKind::OneHot:
  case OpKind::MatVecMult:
  case OpKind::VecMatMult:
  case OpKind::TensorProd:
  case OpKind::TensorDot:
  case OpKind::Kron:
  // Comparisons and the element-wise functions: folding only (float64, then exact operands).
  case OpKind::Powf:
  case OpKind::Equal:
  case OpKind::NotEqual:
  case OpKind::LessThan:
  case OpKind::LessOrEqual:
  case OpKind::XLogX:
  case OpKind::Sin:
  case OpKind::Cos:
  case OpKind::SinXDivX:
  case OpKind::Asin:
  case OpKind::Acos:
  case OpKind::Atan:
  case OpKind::Atan2:
  case OpKind::Sign:
  case OpKind::Step:
  case OpKind::ReLU:
  case OpKind::Floor:
  case OpKind::Round:
  case OpKind::Mod:
  case OpKind::Clamp:
  case OpKind::ClampInt:
  case OpKind::DiffClampInt:
  // The complex and special operations: folding and zeros (linearity flags) only.
  case OpKind::Real2Complex:
  case OpKind::Imag2Complex:
  case OpKind::ComplexAdd:
  case OpKind::ComplexSubtract:
  case OpKind::ComplexMult:
  case OpKind::ComplexDivide:
  case OpKind::ComplexExp:
  case OpKind::ComplexExp1j:
  case OpKind::ComplexSquareAbs:
  case OpKind::ComplexAbs:
  case OpKind::ComplexAngle:
  case OpKind::ComplexSum:
  case OpKind::ComplexSumT:
  case OpKind::ComplexRealScal:
  case OpKind::BSpline:
  case OpKind::SoftDTW_SqDist:
  // The picks through reported indices: zeros only (a zero F or e, flag L1). Their indices are a
  // variable, so folding never applies.
  case OpKind::SelectByIndex:
  case OpKind::GatherByIndex:
    return nullptr;
  case OpKind::Var:
  case OpKind::Const:
  case OpKind::IntCst:
  case OpKind::RatCst:
  case OpKind::IntInv:
  case OpKind::Zero:
  case OpKind::Factorize:     // a spelling of its operand F
  case OpKind::AutoFactorize: // likewise
#include "ir/CalculusOps.inc"
#include "ir/OpsNotReady.inc"
    break;
  }
  KEOPSC_UNREACHABLE("simplifying a leaf, a spelling, or an operation that is not ready");
}

} // namespace keopsc::passes::simplifier
