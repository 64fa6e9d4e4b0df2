// The float64 meaning of every ready operation; see Evaluate.h.
#include "ir/Evaluate.h"

#include "ir/EvaluateRound.h"
#include "ir/EvaluateRules.h"
#include "support/Assert.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace keopsc::ir {
namespace {

constexpr double kNan = std::numeric_limits<double>::quiet_NaN();

double powi(double x, int64_t n) {
  double result = 1;
  uint64_t e = n < 0 ? uint64_t(0) - uint64_t(n) : uint64_t(n);
  for (double base = x; e; e >>= 1, base *= base)
    if (e & 1)
      result *= base;
  return n < 0 ? 1 / result : result;
}

/// Clamp(f, a, b) of SPEC.md §3: a below a, else b above b, else f; NaN if anything is NaN.
double clamp(double f, double a, double b) {
  if (std::isnan(f) || std::isnan(a) || std::isnan(b))
    return kNan;
  return f < a ? a : f > b ? b : f;
}

} // namespace

Evaluator::Evaluator(const std::vector<const Formula *> &roots) : order_(postOrder(roots)) {
  values_.resize(order_.size());
  for (size_t k = 0; k < order_.size(); ++k) {
    slotOf_[order_[k]] = k;
    values_[k].assign(static_cast<size_t>(order_[k]->dim()), 0.0);
  }
  // Operands resolved to slots once, so evaluation does no lookups per component.
  operands_.resize(order_.size());
  for (size_t k = 0; k < order_.size(); ++k)
    for (const Formula *c : order_[k]->children())
      operands_[k].push_back(slotOf_.at(c));
  repeatedOperands_.resize(order_.size());
  for (size_t k = 0; k < order_.size(); ++k)
    repeatedOperands_[k].resize(operands_[k].size());
}

const std::vector<double> &Evaluator::value(const Formula *f) const {
  return values_[slotOf_.at(f)];
}

void Evaluator::run(const std::function<const double *(int)> &row) {
  hasPair_ = false;
  for (size_t k = 0; k < order_.size(); ++k) {
    perturbRepeatedOperands(k);
    evalNode(k, row);
    perturbSlot(k);
  }
}

void Evaluator::perturbSlot(size_t slot) {
  const OpKind kind = order_[slot]->kind();
  if (perturb_ && kind != OpKind::Var && kind != OpKind::Const)
    perturb_(*order_[slot], values_[slot]);
}

void Evaluator::setPerturbation(
    std::function<void(const Formula &, std::vector<double> &)> perturb) {
  perturb_ = std::move(perturb);
  for (std::vector<std::vector<double>> &copies : repeatedOperands_)
    for (std::vector<double> &copy : copies)
      copy.clear(); // read the operands' own values until perturbed again
}

void Evaluator::perturbRepeatedOperands(size_t slot) {
  if (!perturb_)
    return;
  const std::vector<size_t> &slots = operands_[slot];
  for (size_t c = 1; c < slots.size(); ++c) {
    std::vector<double> &copy = repeatedOperands_[slot][c];
    copy.clear();
    const bool repeats =
        std::find(slots.begin(), slots.begin() + long(c), slots[c]) != slots.begin() + long(c);
    if (!repeats || order_[slots[c]]->kind() == OpKind::Const)
      continue;
    copy = values_[slots[c]];
    perturb_(*order_[slots[c]], copy);
  }
}

const std::vector<double> &Evaluator::operand(size_t slot, size_t c) const {
  const std::vector<double> &copy = repeatedOperands_[slot][c];
  return copy.empty() ? values_[operands_[slot][c]] : copy;
}

void Evaluator::run(const std::function<const double *(int)> &row, int64_t i, int64_t j) {
  hasPair_ = true;
  pair_[0] = i;
  pair_[1] = j;
  for (size_t k = 0; k < order_.size(); ++k) {
    perturbRepeatedOperands(k);
    evalNode(k, row);
    perturbSlot(k);
  }
}

int64_t Evaluator::pairIndex(int64_t cat) const {
  KEOPSC_ASSERT(hasPair_, "comparing with the pair's indices needs Evaluator::run(row, i, j)");
  KEOPSC_ASSERT(cat == 0 || cat == 1, "a pair index of a category other than i or j");
  return pair_[cat];
}

void Evaluator::evalNode(size_t slot, const std::function<const double *(int)> &row) {
  const Formula *f = order_[slot];
  std::vector<double> &out = values_[slot];
  /// Component k of operand c, broadcasting dimension-1 operands.
  auto at = [&](size_t c, int k) {
    const std::vector<double> &v = operand(slot, c);
    return v[v.size() == 1 ? 0 : static_cast<size_t>(k)];
  };
  int d = f->dim();
  int width = 1;
  for (const Formula *c : f->children())
    width = std::max(width, c->dim());
  auto reduce = [&](auto term) {
    double s = 0;
    for (int k = 0; k < width; ++k)
      s += term(k);
    out[0] = s;
  };
  auto map1 = [&](auto fn) {
    for (int k = 0; k < d; ++k)
      out[static_cast<size_t>(k)] = fn(at(0, k));
  };
  /// Operand c's values as they are (the vector and linear-algebra rules broadcast themselves).
  auto arg = [&](size_t c) -> const std::vector<double> & { return operand(slot, c); };
  auto map2 = [&](auto fn) {
    for (int k = 0; k < d; ++k)
      out[static_cast<size_t>(k)] = fn(at(0, k), at(1, k));
  };
  auto map3 = [&](auto fn) {
    for (int k = 0; k < d; ++k)
      out[static_cast<size_t>(k)] = fn(at(0, k), at(1, k), at(2, k));
  };
  auto indicator = [](bool b) { return b ? 1.0 : 0.0; };
  switch (f->kind()) {
  case OpKind::Var: {
    const double *values = row(f->varPos());
    for (int k = 0; k < d; ++k)
      out[static_cast<size_t>(k)] = values[k];
    return;
  }
  case OpKind::Const:
    for (double &v : out)
      v = f->constant().value();
    return;
  case OpKind::Add:
    return map2([](double a, double b) { return a + b; });
  case OpKind::Subtract:
    return map2([](double a, double b) { return a - b; });
  case OpKind::Mult:
    return map2([](double a, double b) { return a * b; });
  case OpKind::Divide:
    return map2([](double a, double b) { return a / b; });
  case OpKind::Minus:
    return map1([](double a) { return -a; });
  case OpKind::Inv:
    return map1([](double a) { return 1 / a; });
  case OpKind::Square:
    return map1([](double a) { return a * a; });
  case OpKind::Pow:
    return map1([n = f->ints()[0]](double a) { return powi(a, n); });
  case OpKind::Sqrt:
    return map1([](double a) { return std::sqrt(a); });
  case OpKind::Rsqrt:
    return map1([](double a) { return a == 0 ? 0 : 1 / std::sqrt(a); });
  case OpKind::Exp:
    return map1([](double a) { return std::exp(a); });
  case OpKind::ExpOfProduct:
    return map2([](double a, double b) { return std::exp(a * b); });
  case OpKind::Log:
    return map1([](double a) { return std::log(a); });
  case OpKind::Abs:
    return map1([](double a) { return std::fabs(a); });
  case OpKind::Powf:
    return map2([](double a, double b) { return std::pow(a, b); });
  case OpKind::Equal:
    return map2([&](double a, double b) { return indicator(a == b); });
  case OpKind::NotEqual:
    return map2([&](double a, double b) { return indicator(!(a == b)); });
  case OpKind::LessThan:
    return map2([&](double a, double b) { return indicator(a < b); });
  case OpKind::LessOrEqual:
    return map2([&](double a, double b) { return indicator(a <= b); });
  case OpKind::XLogX:
    return map1([](double a) { return a == 0 ? 0 : a * std::log(a); });
  case OpKind::Sin:
    return map1([](double a) { return std::sin(a); });
  case OpKind::Cos:
    return map1([](double a) { return std::cos(a); });
  case OpKind::SinXDivX:
    return map1([](double a) { return a == 0 ? 1 : std::sin(a) / a; });
  case OpKind::Asin:
    return map1([](double a) { return std::asin(a); });
  case OpKind::Acos:
    return map1([](double a) { return std::acos(a); });
  case OpKind::Atan:
    return map1([](double a) { return std::atan(a); });
  case OpKind::Atan2: // in (−π, π], of the real values: −0 counts as +0
    return map2([](double a, double b) { return std::atan2(a == 0 ? 0.0 : a, b == 0 ? 0.0 : b); });
  case OpKind::Sign:
    return map1([](double a) { return std::isnan(a) ? kNan : a > 0 ? 1 : a < 0 ? -1 : 0; });
  case OpKind::Step:
    return map1([](double a) { return std::isnan(a) ? kNan : a < 0 ? 0 : 1; });
  case OpKind::ReLU:
    return map1([](double a) { return std::isnan(a) ? a : std::max(a, 0.0); });
  case OpKind::Floor:
    return map1([](double a) { return std::floor(a); });
  case OpKind::Round:
    return map1([n = f->ints()[0]](double a) { return roundDecimal(a, n); });
  case OpKind::Mod:
    return map3([](double a, double n, double o) { return a - n * std::floor((a - o) / n); });
  case OpKind::Clamp:
    return map3([](double a, double lo, double hi) { return clamp(a, lo, hi); });
  case OpKind::ClampInt:
    return map1([&](double a) { return clamp(a, double(f->ints()[0]), double(f->ints()[1])); });
  case OpKind::DiffClampInt:
    return map1([&](double a) {
      return std::isnan(a) ? kNan
                           : indicator(double(f->ints()[0]) <= a && a <= double(f->ints()[1]));
    });
  case OpKind::IfElse:
    return map3([](double c, double a, double b) { return std::isnan(c) ? kNan : c >= 0 ? a : b; });
  case OpKind::Sum:
    return reduce([&](int k) { return at(0, k); });
  case OpKind::SqNorm2:
    return reduce([&](int k) { return at(0, k) * at(0, k); });
  case OpKind::Scalprod:
    return reduce([&](int k) { return at(0, k) * at(1, k); });
  case OpKind::SqDist:
    return reduce([&](int k) {
      double diff = at(0, k) - at(1, k);
      return diff * diff;
    });
  case OpKind::Elem:
    out[0] = at(0, static_cast<int>(f->ints()[0]));
    return;
  case OpKind::Concat: {
    int left = f->child(0)->dim();
    for (int k = 0; k < d; ++k)
      out[static_cast<size_t>(k)] = k < left ? at(0, k) : at(1, k - left);
    return;
  }
  case OpKind::SumT:
    return evalrules::sumT(arg(0), out);
  case OpKind::Max:
    return evalrules::extremum(arg(0), evalrules::Extremum::Max, out);
  case OpKind::Min:
    return evalrules::extremum(arg(0), evalrules::Extremum::Min, out);
  case OpKind::ArgMax:
    return evalrules::extremum(arg(0), evalrules::Extremum::ArgMax, out);
  case OpKind::ArgMin:
    return evalrules::extremum(arg(0), evalrules::Extremum::ArgMin, out);
  case OpKind::Norm2:
    return evalrules::norm2(arg(0), out);
  case OpKind::Normalize:
    return evalrules::normalize(arg(0), out);
  case OpKind::WeightedSqNorm:
  case OpKind::SqNormIso:
  case OpKind::SqNormDiag:
  case OpKind::SymSqNorm:
    return evalrules::weightedSqNorm(arg(0), arg(1), out);
  case OpKind::WeightedSqDist:
    return evalrules::weightedSqDist(arg(0), arg(1), arg(2), out);
  case OpKind::ElemT:
    return evalrules::elemT(arg(0), f->ints()[1], out);
  case OpKind::Extract:
    return evalrules::extract(arg(0), f->ints()[0], out);
  case OpKind::ExtractT:
    return evalrules::extractT(arg(0), f->ints()[0], out);
  case OpKind::OneHot:
    return evalrules::oneHot(arg(0), out);
  case OpKind::MatVecMult:
    return evalrules::matVecMult(arg(0), arg(1), out);
  case OpKind::VecMatMult:
    return evalrules::vecMatMult(arg(0), arg(1), out);
  case OpKind::TensorProd:
    return evalrules::tensorProd(arg(0), arg(1), out);
  case OpKind::TensorDot:
    return evalrules::tensorDot(tensorDotArgs(f), arg(0), arg(1), out);
  case OpKind::Kron: {
    const std::vector<IntList> lists = decodeLists(f->ints());
    return evalrules::kron(lists[0], lists[1], arg(0), arg(1), out);
  }
  case OpKind::BSpline:
    return evalrules::bspline(arg(0), arg(1)[0], f->ints()[0], out);
  case OpKind::SoftDTW_SqDist:
    out[0] = evalrules::softDtwSqDist(arg(0), arg(1), arg(2)[0]);
    return;
  case OpKind::ComplexReal:
  case OpKind::ComplexImag:
  case OpKind::Real2Complex:
  case OpKind::Imag2Complex:
  case OpKind::Conj:
  case OpKind::ComplexExp:
  case OpKind::ComplexExp1j:
  case OpKind::ComplexSquareAbs:
  case OpKind::ComplexAbs:
  case OpKind::ComplexAngle:
  case OpKind::ComplexSum:
  case OpKind::ComplexSumT:
    return evalrules::complexOp(f->kind(), f->ints(), arg(0), arg(0), out);
  case OpKind::ComplexAdd:
  case OpKind::ComplexSubtract:
  case OpKind::ComplexMult:
  case OpKind::ComplexDivide:
  case OpKind::ComplexRealScal:
    return evalrules::complexOp(f->kind(), f->ints(), arg(0), arg(1), out);
  case OpKind::SelectByIndex:
    return evalrules::selectByIndex(arg(0), arg(1), f->ints()[0], pairIndex(f->ints()[1]), out);
  case OpKind::GatherByIndex:
    return evalrules::gatherByIndex(arg(0), arg(1), f->ints()[0], pairIndex(f->ints()[1]), out);
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
  KEOPSC_UNREACHABLE("evaluating an operation that is not ready or never in the IR");
}

} // namespace keopsc::ir
