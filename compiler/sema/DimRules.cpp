// Dimension inference and checks of every ready operation (SPEC.md §1 rules B, C; §3 dims).
// Lowering calls it before creating a node; it creates nothing itself.
#include "sema/ExprLowering.h"
#include "support/Assert.h"

namespace keopsc::sema {
namespace {

constexpr int64_t kMaxDim = 1 << 20;

std::string describeDims(const std::vector<const ir::Formula *> &children) {
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

int broadcastDim(const std::vector<const ir::Formula *> &children, const std::string &spelling,
                 SourceRange at, DiagnosticEngine &diags) {
  int result = 1;
  for (const ir::Formula *c : children) {
    if (c->dim() == 1 || c->dim() == result || result == 1) {
      result = std::max(result, c->dim());
      continue;
    }
    diags.report(DiagId::DimMismatch, at, {spelling, describeDims(children)});
    return 0;
  }
  return result;
}

int customDim(ir::OpKind kind, const std::vector<const ir::Formula *> &children,
              const std::vector<int64_t> &ints, const std::string &spelling, SourceRange at,
              DiagnosticEngine &diags) {
  using ir::OpKind;
  switch (kind) {
  case OpKind::Scalprod:
    if (children[0]->dim() != children[1]->dim() && children[0]->dim() != 1 &&
        children[1]->dim() != 1) {
      diags.report(DiagId::DimMismatch, at, {spelling, describeDims(children)});
      return 0;
    }
    return 1;
  case OpKind::SqDist:
    return broadcastDim(children, spelling, at, diags) ? 1 : 0;
  case OpKind::Elem:
    if (ints[0] < 0 || ints[0] >= children[0]->dim()) {
      diags.report(DiagId::IndexOutOfRange, at,
                   {"Elem index " + std::to_string(ints[0]) + " is out of range for dimension " +
                    std::to_string(children[0]->dim())});
      return 0;
    }
    return 1;
  case OpKind::Concat: {
    int64_t total = int64_t{children[0]->dim()} + children[1]->dim();
    if (total > kMaxDim) {
      diags.report(DiagId::BadDimension, at, {"Concat result is wider than 2^20"});
      return 0;
    }
    return static_cast<int>(total);
  }
  default:
    KEOPSC_UNREACHABLE("custom dimension rule missing for a ready operation");
  }
}

} // namespace

int inferDim(ir::OpKind kind, const std::vector<const ir::Formula *> &children,
             const std::vector<int64_t> &ints, const std::string &spelling, SourceRange at,
             DiagnosticEngine &diags) {
  switch (ir::opInfo(kind).dims) {
  case ir::DimRule::Leaf:
    KEOPSC_UNREACHABLE("leaves get their dimension when created");
  case ir::DimRule::Broadcast:
    return broadcastDim(children, spelling, at, diags);
  case ir::DimRule::Complex:
    KEOPSC_UNREACHABLE("complex operations are not ready yet");
  case ir::DimRule::Same:
    return children[0]->dim();
  case ir::DimRule::Scalar:
    return 1;
  case ir::DimRule::Custom:
    return customDim(kind, children, ints, spelling, at, diags);
  }
  KEOPSC_UNREACHABLE("bad dimension rule");
}

} // namespace keopsc::sema
