// The dispatch of derivative rules to their family; see Rules.h. Ops whose derivative class is
// not Yes (leaves, step-like ops, spellings, calculus) never reach a rule: the differentiator
// handles them from the op table.
#include "passes/autodiff/Rules.h"

#include "support/Assert.h"

namespace keopsc::passes::differentiation {

Contribution adjointOf(Builder &b, const ir::Formula *node, size_t operand, const ir::Formula *a) {
  using K = ir::OpKind;
  switch (node->kind()) {
  case K::Add:
  case K::Subtract:
  case K::Minus:
  case K::Mult:
  case K::Divide:
  case K::Inv:
  case K::Square:
  case K::Pow:
  case K::Powf:
  case K::Sqrt:
  case K::Rsqrt:
    return arithmeticAdjoint(b, node, operand, a);
  case K::Exp:
  case K::Log:
  case K::XLogX:
  case K::Sin:
  case K::Cos:
  case K::SinXDivX:
  case K::Asin:
  case K::Acos:
  case K::Atan:
  case K::Atan2:
  case K::Abs:
  case K::ReLU:
  case K::Mod:
  case K::Clamp:
  case K::ClampInt:
  case K::IfElse:
    return elementwiseAdjoint(b, node, operand, a);
  case K::Sum:
  case K::SumT:
  case K::Max:
  case K::Min:
  case K::Scalprod:
  case K::SqNorm2:
  case K::Norm2:
  case K::Normalize:
  case K::SqDist:
  case K::WeightedSqNorm:
  case K::WeightedSqDist:
  case K::SqNormIso:
  case K::SqNormDiag:
  case K::SymSqNorm:
  case K::Elem:
  case K::ElemT:
  case K::Extract:
  case K::ExtractT:
  case K::Concat:
    return vectorAdjoint(b, node, operand, a);
  case K::MatVecMult:
  case K::VecMatMult:
  case K::TensorProd:
  case K::TensorDot:
  case K::Kron:
    return linAlgAdjoint(b, node, operand, a);
  case K::SoftDTW_SqDist:
    return specialAdjoint(b, node, operand, a);
  case K::ComplexReal:
  case K::ComplexImag:
  case K::Real2Complex:
  case K::Imag2Complex:
  case K::Conj:
  case K::ComplexAdd:
  case K::ComplexSubtract:
  case K::ComplexMult:
  case K::ComplexDivide:
  case K::ComplexExp:
  case K::ComplexExp1j:
  case K::ComplexSquareAbs:
  case K::ComplexAbs:
  case K::ComplexAngle:
  case K::ComplexSum:
  case K::ComplexSumT:
  case K::ComplexRealScal:
    return complexAdjoint(b, node, operand, a);
  case K::SelectByIndex:
  case K::GatherByIndex:
    return indexAdjoint(b, node, operand, a);
  case K::Var:
  case K::IntCst:
  case K::RatCst:
  case K::IntInv:
  case K::Zero:
  case K::Const:
  case K::Equal:
  case K::NotEqual:
  case K::LessThan:
  case K::LessOrEqual:
  case K::Sign:
  case K::Step:
  case K::Floor:
  case K::Round:
  case K::DiffClampInt:
  case K::ArgMax:
  case K::ArgMin:
  case K::OneHot:
  case K::BSpline:
  case K::Factorize:
  case K::AutoFactorize:
  case K::ExpOfProduct: // made after autodiff
#include "ir/CalculusOps.inc"
#include "ir/OpsNotReady.inc"
    break;
  }
  KEOPSC_UNREACHABLE("a derivative rule for a node whose derivative class is not Yes");
}

} // namespace keopsc::passes::differentiation
