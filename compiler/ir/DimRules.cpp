// Dimension rules of every operation (SPEC.md §1 rules B, C; §3 dims), for FormulaContext::make.
// It creates nothing and reports nothing: an error is a value the caller turns into a message.
#include "ir/Formula.h"
#include "support/Assert.h"

#include <algorithm>

namespace keopsc::ir {
namespace {

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

int checkedWidth(int64_t width, const char *what, DimError &error) {
  if (width <= kMaxDim)
    return static_cast<int>(width);
  error = {DimErrorKind::TooWide, std::string(what) + " result is wider than 2^20"};
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
    KEOPSC_UNREACHABLE("complex operations are not ready yet");
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
