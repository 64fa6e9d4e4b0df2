// Straight-line C++ for formulas from a kernel plan; see ExprEmitter.h.
#include "codegen/ExprEmitter.h"

#include "support/Assert.h"

#include <algorithm>
#include <cstdint>
#include <utility>

namespace keopsc::codegen {
namespace {

/// An int64_t literal valid for every value (the minimum has no literal of its own).
std::string int64Literal(int64_t value) {
  if (value == INT64_MIN)
    return "(-INT64_C(9223372036854775807) - 1)";
  return "INT64_C(" + std::to_string(value) + ")";
}

} // namespace

std::string loopOver(int64_t count, const std::string &var) {
  return "for (int64_t " + var + " = 0; " + var + " < " + std::to_string(count) + "; ++" + var +
         ")";
}

std::string scaled(const std::string &var, int64_t stride) {
  return stride == 1 ? var : var + " * " + std::to_string(stride);
}

ValueKind kindOf(ir::Level level) {
  switch (level) {
  case ir::Level::Constant:
  case ir::Level::Parameter:
  case ir::Level::OutputRow:
    return ValueKind::Uniform;
  case ir::Level::ReducedRow:
  case ir::Level::Pair:
    return ValueKind::Varying;
  }
  KEOPSC_UNREACHABLE("bad level");
}

ExprEmitter::ExprEmitter(const ir::KernelPlan &plan, ir::Dtype dtype, const Hooks &hooks,
                         std::string prefix)
    : plan_(plan), dtype_(dtype), hooks_(hooks), prefix_(std::move(prefix)) {}

ExprEmitter ExprEmitter::derive(const Hooks &hooks, std::string prefix) const {
  ExprEmitter copy(plan_, dtype_, hooks, std::move(prefix));
  copy.names_ = names_;
  return copy;
}

void ExprEmitter::adoptNames(const ExprEmitter &other) {
  for (const auto &[node, name] : other.names_)
    names_.emplace(node, name);
}

ValueKind ExprEmitter::kindOf(const ir::Formula *f) const {
  return codegen::kindOf(plan_.of(f).level);
}

std::string ExprEmitter::literal(const ir::Formula *f) const {
  return f->constant().cppLiteral(dtype_ == ir::Dtype::Float32);
}

std::string ExprEmitter::element(const ir::Formula *f, const std::string &k) const {
  std::string index = f->dim() == 1 ? "0" : k;
  if (f->kind() == ir::OpKind::Const)
    return literal(f);
  if (f->kind() == ir::OpKind::Var)
    return hooks_.load(f, index);
  return names_.at(f) + "[" + index + "]";
}

void ExprEmitter::emit(const std::vector<const ir::Formula *> &nodes, IndentedWriter &out) {
  for (const ir::Formula *f : nodes)
    if (!f->isLeaf() && !names_.count(f))
      emitNode(f, out);
}

void ExprEmitter::declare(const ir::Formula *f, IndentedWriter &out) {
  std::string name = prefix_ + std::to_string(names_.size());
  names_[f] = name;
  const ir::PlannedNode &planned = plan_.of(f);
  std::string type = hooks_.valueType(kindOf(f));
  if (planned.storage == ir::Storage::Scratch)
    out.line(type + " *" + name + " = " + hooks_.scratch(planned.scratchOffset) + ";");
  else
    out.line(type + " " + name + "[" + std::to_string(f->dim()) + "];");
}

// Every element-wise operation goes through its one runtime implementation (op table: Math).
void ExprEmitter::emitElementwise(const ir::Formula *f, IndentedWriter &out) {
  const ir::OpInfo &info = ir::opInfo(f->kind());
  KEOPSC_ASSERT(info.math != nullptr, "an element-wise operation without a runtime function");
  std::string call = std::string("keops_rt::op_") + info.math + "(";
  const bool varying = kindOf(f) == ValueKind::Varying;
  for (size_t c = 0; c < f->children().size(); ++c) {
    std::string operand = element(f->child(c), "k");
    if (varying && kindOf(f->child(c)) == ValueKind::Uniform)
      operand = hooks_.broadcast(operand);
    call += (c ? ", " : "") + operand;
  }
  for (int64_t n : f->ints())
    call += ", " + int64Literal(n);
  call += ")";
  const std::string &name = names_.at(f);
  if (f->dim() == 1) {
    out.line(name + "[0] = " + call + ";");
    return;
  }
  out.line(loopOver(f->dim()));
  out.line("  " + name + "[k] = " + call + ";");
}

void ExprEmitter::emitComponentSum(const ir::Formula *f,
                                   const std::function<std::string(const std::string &)> &term,
                                   IndentedWriter &out) {
  int width = 1;
  for (const ir::Formula *c : f->children())
    width = std::max(width, c->dim());
  std::string type = hooks_.valueType(kindOf(f));
  auto scope = out.block("");
  // The first term starts the sum (0 + t would keep a register of zeros in vector code, and a
  // multiply-add where a multiply does).
  out.line(type + " s = " + term("0") + ";");
  if (width > 1) {
    out.line("for (int64_t k = 1; k < " + std::to_string(width) + "; ++k)");
    out.line("  s += " + term("k") + ";");
  }
  out.line(names_.at(f) + "[0] = s;");
}

void ExprEmitter::emitConcat(const ir::Formula *f, IndentedWriter &out) {
  const std::string &name = names_.at(f);
  int left = f->child(0)->dim();
  out.line(loopOver(left));
  out.line("  " + name + "[k] = " + element(f->child(0), "k") + ";");
  out.line(loopOver(f->child(1)->dim()));
  out.line("  " + name + "[" + std::to_string(left) + " + k] = " + element(f->child(1), "k") + ";");
}

void ExprEmitter::emitNode(const ir::Formula *f, IndentedWriter &out) {
  declare(f, out);
  auto at = [&](size_t c, const std::string &k) { return element(f->child(c), k); };
  using ir::OpKind;
  switch (f->kind()) {
  case OpKind::Add:
  case OpKind::Subtract:
  case OpKind::Minus:
  case OpKind::Mult:
  case OpKind::Divide:
  case OpKind::Inv:
  case OpKind::Square:
  case OpKind::Pow:
  case OpKind::Sqrt:
  case OpKind::Rsqrt:
  case OpKind::Exp:
  case OpKind::ExpOfProduct:
  case OpKind::Log:
  case OpKind::Abs:
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
  case OpKind::IfElse:
    return emitElementwise(f, out);
  case OpKind::Sum:
    return emitComponentSum(
        f, [&](const std::string &k) { return at(0, k); }, out);
  case OpKind::SqNorm2:
    return emitComponentSum(
        f, [&](const std::string &k) { return at(0, k) + " * " + at(0, k); }, out);
  case OpKind::Scalprod:
    return emitComponentSum(
        f, [&](const std::string &k) { return at(0, k) + " * " + at(1, k); }, out);
  case OpKind::SqDist:
    return emitComponentSum(
        f,
        [&](const std::string &k) {
          const std::string d = "(" + at(0, k) + " - " + at(1, k) + ")";
          return d + " * " + d;
        },
        out);
  case OpKind::Elem:
    out.line(names_.at(f) + "[0] = " + element(f->child(0), std::to_string(f->ints()[0])) + ";");
    return;
  case OpKind::Concat:
    return emitConcat(f, out);
  case OpKind::SumT:
    return emitSumT(f, out);
  case OpKind::Max:
  case OpKind::Min:
  case OpKind::ArgMax:
  case OpKind::ArgMin:
    return emitExtremum(f, out);
  case OpKind::Norm2:
    return emitNorm2(f, out);
  case OpKind::Normalize:
    return emitNormalize(f, out);
  case OpKind::WeightedSqNorm:
  case OpKind::WeightedSqDist:
  case OpKind::SqNormIso:
  case OpKind::SqNormDiag:
  case OpKind::SymSqNorm:
    return emitWeightedSqNorm(f, out);
  case OpKind::ElemT:
    return emitElemT(f, out);
  case OpKind::Extract:
    return emitExtract(f, out);
  case OpKind::ExtractT:
    return emitExtractT(f, out);
  case OpKind::OneHot:
    return emitOneHot(f, out);
  case OpKind::MatVecMult:
    return emitMatVecMult(f, out);
  case OpKind::VecMatMult:
    return emitVecMatMult(f, out);
  case OpKind::TensorProd:
    return emitTensorProd(f, out);
  case OpKind::TensorDot:
  case OpKind::Kron:
    return emitTensorDot(f, out);
  case OpKind::BSpline:
    return emitBSpline(f, out);
  case OpKind::SoftDTW_SqDist:
    return emitSoftDtw(f, out);
  case OpKind::ComplexReal:
  case OpKind::ComplexImag:
  case OpKind::Real2Complex:
  case OpKind::Imag2Complex:
  case OpKind::Conj:
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
    return emitComplex(f, out);
  case OpKind::SelectByIndex:
    return emitSelectByIndex(f, out);
  case OpKind::GatherByIndex:
    return emitGatherByIndex(f, out);
  case OpKind::Var:
  case OpKind::Const:
  case OpKind::IntCst:
  case OpKind::RatCst:
  case OpKind::IntInv:
  case OpKind::Zero:
  case OpKind::Factorize:
  case OpKind::AutoFactorize:
#include "ir/CalculusOps.inc"
#include "ir/OpsNotReady.inc"
    break;
  }
  KEOPSC_UNREACHABLE("codegen for a leaf, a spelling, or an operation that is not ready");
}

} // namespace keopsc::codegen
