// Dimension rules of every operation (SPEC.md §1 rules B, C; §3 dims), for FormulaContext::make.
// It creates nothing and reports nothing: an error is a value the caller turns into a message.
#include "ir/DimRulesDetail.h"
#include "ir/Formula.h"
#include "ir/ListArgs.h"
#include "support/Assert.h"

#include <algorithm>

namespace keopsc::ir {
namespace dimrules {

int checkedWidth(int64_t width, const char *what, DimError &error) {
  if (width <= kMaxDim)
    return static_cast<int>(width);
  error = {DimErrorKind::TooWide, std::string(what) + " result is wider than 2^20"};
  return 0;
}

std::string str(int64_t value) { return std::to_string(value); }

int outOfRange(std::string detail, DimError &error) {
  error = {DimErrorKind::IndexOutOfRange, std::move(detail)};
  return 0;
}

} // namespace dimrules

namespace {

using dimrules::checkedWidth;
using dimrules::outOfRange;
using dimrules::str;

std::string describeDims(const std::vector<const Formula *> &children) {
  static const char *names2[] = {"left", "right"};
  std::string text;
  for (size_t k = 0; k < children.size(); ++k) {
    if (k)
      text += ", ";
    text += children.size() == 2 ? names2[k] : "operand " + std::to_string(k + 1);
    text += " has " + std::to_string(children[k]->dim());
  }
  return text;
}

int mismatch(const std::vector<const Formula *> &children, DimError &error) {
  error = {DimErrorKind::Mismatch, describeDims(children)};
  return 0;
}

int broadcastDim(const std::vector<const Formula *> &children, DimError &error) {
  int result = 1;
  for (const Formula *c : children) {
    if (c->dim() == 1 || c->dim() == result || result == 1) {
      result = std::max(result, c->dim());
      continue;
    }
    return mismatch(children, error);
  }
  return result;
}

/// SumT, ElemT and OneHot take a scalar operand (SPEC.md §3: "f: 1").
bool scalarOperand(const char *op, const Formula *f, DimError &error) {
  if (f->dim() == 1)
    return true;
  error = {DimErrorKind::Mismatch,
           "the operand has dimension " + str(f->dim()) + ", " + op + " needs 1"};
  return false;
}

/// A static result size (SumT's D, ElemT's n, ExtractT's n, OneHot's D): 1 to 2^20.
int sizeArgument(const char *op, const char *name, int64_t size, DimError &error) {
  if (size < 1)
    return outOfRange(std::string(op) + " size " + name + " = " + str(size) + " must be at least 1",
                      error);
  return checkedWidth(size, op, error);
}

int elemTDim(const Formula *f, int64_t n, int64_t m, DimError &error) {
  if (!scalarOperand("ElemT", f, error) || !sizeArgument("ElemT", "n", n, error))
    return 0;
  if (m < 0 || m >= n)
    return outOfRange("ElemT index m = " + str(m) + " is out of range for size n = " + str(n),
                      error);
  return static_cast<int>(n);
}

int extractDim(const Formula *f, int64_t start, int64_t n, DimError &error) {
  if (start < 0)
    return outOfRange("Extract start s = " + str(start) + " is negative", error);
  if (n < 1)
    return outOfRange("Extract length n = " + str(n) + " must be at least 1", error);
  if (start > f->dim() || n > f->dim() - start)
    return outOfRange("Extract of n = " + str(n) + " components from s = " + str(start) +
                          " runs past the end of dimension " + str(f->dim()),
                      error);
  return static_cast<int>(n);
}

int extractTDim(const Formula *f, int64_t start, int64_t n, DimError &error) {
  if (start < 0)
    return outOfRange("ExtractT start s = " + str(start) + " is negative", error);
  if (!sizeArgument("ExtractT", "n", n, error))
    return 0;
  if (start > n || f->dim() > n - start)
    return outOfRange("ExtractT of dimension " + str(f->dim()) + " at s = " + str(start) +
                          " runs past the end of size n = " + str(n),
                      error);
  return static_cast<int>(n);
}

/// The weight dimensions SPEC.md §3 allows for a vector of dimension d: WeightedSqNorm and
/// WeightedSqDist pick SqNormIso, SqNormDiag or SymSqNorm by d_s in {1, d, d^2}.
int weightedNormDim(OpKind kind, int weightDim, int d, DimError &error) {
  const int64_t ds = weightDim, square = int64_t{d} * d;
  // The generic forms accept any of the three; the specific ones exactly theirs.
  int64_t required = kind == OpKind::SqNormIso    ? 1
                     : kind == OpKind::SqNormDiag ? d
                     : kind == OpKind::SymSqNorm  ? square
                                                  : 0;
  bool ok = required ? ds == required : ds == 1 || ds == d || ds == square;
  std::string allowed = required ? str(required)
                        : d == 1 ? "1"
                                 : "1, " + str(d) + " or " + str(square);
  if (ok)
    return 1;
  error = {DimErrorKind::Mismatch, "the weight s has dimension " + str(ds) +
                                       "; for a vector of dimension " + str(d) + " it needs " +
                                       allowed};
  return 0;
}

/// MatVecMult(A, b) and VecMatMult(b, A): d_A = n * d_b, result n.
int matrixVectorDim(const Formula *matrix, const Formula *vector, DimError &error) {
  if (matrix->dim() % vector->dim() == 0)
    return matrix->dim() / vector->dim();
  error = {DimErrorKind::Mismatch, "the matrix A has dimension " + str(matrix->dim()) +
                                       ", not a multiple of the vector's dimension " +
                                       str(vector->dim())};
  return 0;
}

// Complex numbers (SPEC.md §3): interleaved (re, im) pairs, so complex vectors have even
// dimensions.

/// Rule C (SPEC.md §1): even dimensions, all equal or exactly {2, D}; a single complex number
/// (dimension 2) is repeated against a complex vector of dimension D.
int complexBroadcastDim(const std::vector<const Formula *> &children, DimError &error) {
  int result = 2;
  for (const Formula *c : children) {
    if (c->dim() % 2 != 0) {
      error = {DimErrorKind::Mismatch,
               describeDims(children) + "; complex operands need even dimensions"};
      return 0;
    }
    if (c->dim() == 2 || c->dim() == result || result == 2) {
      result = std::max(result, c->dim());
      continue;
    }
    error = {DimErrorKind::Mismatch,
             describeDims(children) +
                 "; complex operands need equal dimensions, or one of them 2 (a single complex "
                 "number)"};
    return 0;
  }
  return result;
}

/// The operand of a complex-only operation must be a complex vector (even dimension).
bool isComplexOperand(const Formula *f, DimError &error) {
  if (f->dim() % 2 == 0)
    return true;
  error = {DimErrorKind::Mismatch, "operand has " + std::to_string(f->dim()) +
                                       "; a complex vector needs an even dimension"};
  return false;
}

/// ComplexSumT(f, D): f is one complex number, D an even dimension (f repeated D/2 times).
int complexSumTDim(const Formula *f, int64_t D, DimError &error) {
  if (f->dim() != 2) {
    error = {DimErrorKind::Mismatch, "operand has " + std::to_string(f->dim()) +
                                         "; ComplexSumT repeats a single complex number "
                                         "(dimension 2)"};
    return 0;
  }
  if (D < 2 || D % 2 != 0) {
    error = {DimErrorKind::IndexOutOfRange,
             "ComplexSumT needs an even dimension of at least 2, got " + std::to_string(D)};
    return 0;
  }
  return checkedWidth(D, "ComplexSumT", error);
}

/// ComplexRealScal(f, g): a real scalar and a complex vector, in either order.
int complexRealScalDim(const std::vector<const Formula *> &children, DimError &error) {
  int a = children[0]->dim(), b = children[1]->dim();
  if (a == 1 && b % 2 == 0)
    return b;
  if (b == 1 && a % 2 == 0)
    return a;
  error = {DimErrorKind::Mismatch,
           describeDims(children) +
               "; ComplexRealScal needs a real scalar (dimension 1) and a complex vector (even "
               "dimension), in either order"};
  return 0;
}

// Special functions (SPEC.md §3).

/// BSpline(t, x, p): the d_t - p - 1 basis functions of degree p >= 0 at the scalar x.
int bsplineDim(const std::vector<const Formula *> &children, int64_t p, DimError &error) {
  int knots = children[0]->dim();
  if (children[1]->dim() != 1) {
    error = {DimErrorKind::Mismatch, "x has " + std::to_string(children[1]->dim()) +
                                         "; BSpline evaluates its basis at a scalar x "
                                         "(dimension 1)"};
    return 0;
  }
  if (p < 0) {
    error = {DimErrorKind::IndexOutOfRange, "BSpline degree " + std::to_string(p) + " is negative"};
    return 0;
  }
  if (p > int64_t{knots} - 2) {
    error = {DimErrorKind::IndexOutOfRange,
             "BSpline of degree " + std::to_string(p) + " needs at least " +
                 std::to_string(uint64_t(p) + 2) + " knots, but the knot vector has dimension " +
                 std::to_string(knots)};
    return 0;
  }
  return knots - static_cast<int>(p) - 1;
}

/// SoftDTW_SqDist(x, y, gamma): sequences x and y of any lengths, a scalar gamma.
int softDtwDim(const std::vector<const Formula *> &children, DimError &error) {
  if (children[2]->dim() == 1)
    return 1;
  error = {DimErrorKind::Mismatch, "gamma has " + std::to_string(children[2]->dim()) +
                                       "; SoftDTW_SqDist needs a scalar gamma (dimension 1)"};
  return 0;
}

int customDim(OpKind kind, const std::vector<const Formula *> &children,
              const std::vector<int64_t> &ints, DimError &error) {
  switch (kind) {
  case OpKind::Scalprod:
    if (children[0]->dim() != children[1]->dim() && children[0]->dim() != 1 &&
        children[1]->dim() != 1)
      return mismatch(children, error);
    return 1;
  case OpKind::SqDist:
    return broadcastDim(children, error) ? 1 : 0;
  case OpKind::Elem:
    if (ints[0] < 0 || ints[0] >= children[0]->dim()) {
      error = {DimErrorKind::IndexOutOfRange, "Elem index " + std::to_string(ints[0]) +
                                                  " is out of range for dimension " +
                                                  std::to_string(children[0]->dim())};
      return 0;
    }
    return 1;
  case OpKind::Concat:
    return checkedWidth(int64_t{children[0]->dim()} + children[1]->dim(), "Concat", error);
  case OpKind::SumT:
    return scalarOperand("SumT", children[0], error) ? sizeArgument("SumT", "D", ints[0], error)
                                                     : 0;
  case OpKind::OneHot:
    return scalarOperand("OneHot", children[0], error) ? sizeArgument("OneHot", "D", ints[0], error)
                                                       : 0;
  case OpKind::ElemT:
    return elemTDim(children[0], ints[0], ints[1], error);
  case OpKind::Extract:
    return extractDim(children[0], ints[0], ints[1], error);
  case OpKind::ExtractT:
    return extractTDim(children[0], ints[0], ints[1], error);
  case OpKind::WeightedSqNorm:
  case OpKind::SqNormIso:
  case OpKind::SqNormDiag:
  case OpKind::SymSqNorm:
    return weightedNormDim(kind, children[0]->dim(), children[1]->dim(), error);
  case OpKind::WeightedSqDist: {
    if (children[1]->dim() != children[2]->dim() && children[1]->dim() != 1 &&
        children[2]->dim() != 1) {
      error = {DimErrorKind::Mismatch,
               "f has " + str(children[1]->dim()) + ", g has " + str(children[2]->dim())};
      return 0;
    }
    return weightedNormDim(kind, children[0]->dim(),
                           std::max(children[1]->dim(), children[2]->dim()), error);
  }
  case OpKind::MatVecMult:
    return matrixVectorDim(children[0], children[1], error);
  case OpKind::VecMatMult:
    return matrixVectorDim(children[1], children[0], error);
  case OpKind::TensorProd:
    return checkedWidth(int64_t{children[0]->dim()} * children[1]->dim(), "TensorProd", error);
  case OpKind::TensorDot:
  case OpKind::Kron: {
    TensorDotArgs args;
    return tensorDotDim(kind, ints, children[0]->dim(), children[1]->dim(), args, error);
  }
  case OpKind::BSpline:
    return bsplineDim(children, ints[0], error);
  case OpKind::SoftDTW_SqDist:
    return softDtwDim(children, error);
  case OpKind::ComplexReal:
  case OpKind::ComplexImag:
  case OpKind::ComplexSquareAbs:
  case OpKind::ComplexAbs:
  case OpKind::ComplexAngle:
    return isComplexOperand(children[0], error) ? children[0]->dim() / 2 : 0;
  case OpKind::Conj:
  case OpKind::ComplexExp:
    return isComplexOperand(children[0], error) ? children[0]->dim() : 0;
  case OpKind::ComplexSum:
    return isComplexOperand(children[0], error) ? 2 : 0;
  case OpKind::Real2Complex:
  case OpKind::Imag2Complex:
  case OpKind::ComplexExp1j:
    return checkedWidth(2 * int64_t{children[0]->dim()}, opInfo(kind).name, error);
  case OpKind::ComplexSumT:
    return complexSumTDim(children[0], ints[0], error);
  case OpKind::ComplexRealScal:
    return complexRealScalDim(children, error);
  case OpKind::SelectByIndex:
  case OpKind::GatherByIndex:
    return dimrules::pickDim(kind, children, ints, error);
  case OpKind::Grad:
  case OpKind::Diff:
  case OpKind::GradMatrix:
  case OpKind::Divergence:
  case OpKind::Laplacian:
  case OpKind::AdjointOperator:
  case OpKind::TraceOperator:
  case OpKind::SumLinOperator:
    return dimrules::calculusDim(kind, children, error);
#define KEOPSC_OP(Name, Operands, Ints, Dims, Grad, Flags, Math, Lists, Ready)                     \
  KEOPSC_CUSTOM_DIM_##Dims##_##Ready(Name)
#define KEOPSC_CUSTOM_DIM_Custom_No(Name) case OpKind::Name:
#define KEOPSC_CUSTOM_DIM_Custom_Yes(Name)
#define KEOPSC_CUSTOM_DIM_Leaf_Yes(Name)
#define KEOPSC_CUSTOM_DIM_Leaf_No(Name)
#define KEOPSC_CUSTOM_DIM_Broadcast_Yes(Name) case OpKind::Name:
#define KEOPSC_CUSTOM_DIM_Broadcast_No(Name) case OpKind::Name:
#define KEOPSC_CUSTOM_DIM_Complex_Yes(Name) case OpKind::Name:
#define KEOPSC_CUSTOM_DIM_Complex_No(Name) case OpKind::Name:
#define KEOPSC_CUSTOM_DIM_Same_Yes(Name) case OpKind::Name:
#define KEOPSC_CUSTOM_DIM_Same_No(Name) case OpKind::Name:
#define KEOPSC_CUSTOM_DIM_Scalar_Yes(Name) case OpKind::Name:
#define KEOPSC_CUSTOM_DIM_Scalar_No(Name) case OpKind::Name:
#include "ir/Ops.def"
    // Operations with another rule, and custom rules of operations not ready yet (sema
    // refuses those before building a node).
    break;
  case OpKind::Var:
  case OpKind::IntCst:
  case OpKind::RatCst:
  case OpKind::IntInv:
  case OpKind::Zero:
  case OpKind::Const:
  case OpKind::Factorize:     // a spelling sema lowers to its operand F
  case OpKind::AutoFactorize: // likewise
    break;
  }
  KEOPSC_UNREACHABLE("no custom dimension rule for this operation");
}

/// Static integers constrained beyond what a dimension rule checks (SPEC.md §3): ClampInt's
/// bounds a ≤ b. False with `error` set when they are not.
bool staticIntsValid(OpKind kind, const std::vector<int64_t> &ints, DimError &error) {
  if (kind == OpKind::ClampInt && ints[0] > ints[1]) {
    error = {DimErrorKind::IndexOutOfRange,
             "ClampInt needs bounds a <= b, got a = " + std::to_string(ints[0]) +
                 " and b = " + std::to_string(ints[1])};
    return false;
  }
  return true;
}

} // namespace

int inferDim(OpKind kind, const std::vector<const Formula *> &children,
             const std::vector<int64_t> &ints, DimError &error) {
  if (!staticIntsValid(kind, ints, error))
    return 0;
  switch (opInfo(kind).dims) {
  case DimRule::Leaf:
    KEOPSC_UNREACHABLE("leaves get their dimension when created");
  case DimRule::Broadcast:
    return broadcastDim(children, error);
  case DimRule::Complex:
    return complexBroadcastDim(children, error);
  case DimRule::Same:
    return children[0]->dim();
  case DimRule::Scalar:
    return 1;
  case DimRule::Custom:
    return customDim(kind, children, ints, error);
  }
  KEOPSC_UNREACHABLE("bad dimension rule");
}

} // namespace keopsc::ir
