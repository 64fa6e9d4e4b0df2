// Reduction-level derivatives (SPEC.md §6): `reduction g = Grad(r, x);`, `Diff(r, x)`, nested
// inline (`Grad(Grad(r, x), y)`) or through named reductions, with the derived reduction's own
// options. The stages themselves come from EntryDerivatives; this file reads the declaration.
// Part of ReductionLowering (see its header).
#include "ir/ReductionInfo.h"
#include "sema/EntryDerivatives.h"
#include "sema/ReductionLowering.h"

namespace keopsc::sema {
namespace {

ir::Dtype workspaceDtype(ir::Dtype dtype) {
  return dtype == ir::Dtype::Float16 ? ir::Dtype::Float32 : dtype;
}

/// `entry` computed in `dtype`: its C arrays in that type, its internal values in the
/// working precision, float64 data accumulating in float64 (SPEC.md §7.1).
void retype(ir::EntryPoint &entry, ir::Dtype dtype) {
  entry.dtype = dtype;
  for (ir::Input &in : entry.inputs)
    if (in.dtype != ir::Dtype::Int64)
      in.dtype = ir::isCArgument(in) ? dtype : workspaceDtype(dtype);
  for (ir::Output &o : entry.outputs)
    if (o.dtype != ir::Dtype::Int64)
      o.dtype = ir::isCArgument(o) ? dtype : workspaceDtype(dtype);
  if (dtype == ir::Dtype::Float64)
    for (ir::Stage &stage : entry.stages)
      stage.numerics.accDtype = ir::Dtype::Float64;
}

} // namespace

const ir::EntryPoint *ReductionLowering::findEntry(const std::string &name) const {
  for (const ir::EntryPoint &entry : entries_)
    if (entry.name == name)
      return &entry;
  return nullptr;
}

std::optional<ir::EntryPoint> ReductionLowering::lowerGradient(const ast::ReductionDecl &decl) {
  if (decl.params) {
    diags_.report(DiagId::NotSupportedYet, decl.nameRange,
                  {"an argument list on a derived reduction (its inputs are its base's, then e)"});
    return std::nullopt;
  }
  std::optional<ir::EntryPoint> out = lowerDerivative(*decl.body);
  if (!out || !applyDerivedOptions(decl, *out))
    return std::nullopt;
  out->name = decl.name;
  out->loc = decl.nameRange;
  const ast::Expr &body = *decl.body;
  if (body.text == "Grad" && body.operands[0]->kind == ast::ExprKind::Name)
    if (const ir::EntryPoint *base = findEntry(body.operands[0]->text))
      for (size_t k = 0; k < base->inputs.size(); ++k)
        if (base->inputs[k].name == body.operands[1]->text && ir::isCArgument(base->inputs[k]))
          out->gradientOf = ir::GradientOf{base->name, static_cast<int>(k)};
  out->sourceText = quoteSource(decl);
  return out;
}

std::optional<ir::EntryPoint> ReductionLowering::lowerDerivative(const ast::Expr &body) {
  const bool grad = body.text == "Grad";
  if (body.operands.size() != 2 || !body.keywords.empty()) {
    diags_.report(
        DiagId::WrongArgCount, body.opRange,
        {body.text, "2 (a reduction and one of its inputs)", std::to_string(body.operands.size())});
    return std::nullopt;
  }
  const ast::Expr &baseExpr = *body.operands[0], &varExpr = *body.operands[1];
  // The base: a reduction declared earlier, or a derivative written inline.
  std::optional<ir::EntryPoint> inlineBase;
  const ir::EntryPoint *base = nullptr;
  if (baseExpr.kind == ast::ExprKind::Call &&
      (baseExpr.text == "Grad" || baseExpr.text == "Diff")) {
    inlineBase = lowerDerivative(baseExpr);
    if (!inlineBase)
      return std::nullopt;
    inlineBase->name = "the inner " + baseExpr.text;
    base = &*inlineBase;
  } else if (baseExpr.kind == ast::ExprKind::Name) {
    base = findEntry(baseExpr.text);
  }
  if (!base) {
    diags_.report(DiagId::GradientOfUnknown, baseExpr.range, {baseExpr.text});
    return std::nullopt;
  }
  int pos = -1;
  for (size_t k = 0; k < base->inputs.size(); ++k)
    if (varExpr.kind == ast::ExprKind::Name && base->inputs[k].name == varExpr.text &&
        ir::isCArgument(base->inputs[k]) && base->inputs[k].origin == ir::InputOrigin::Alias)
      pos = static_cast<int>(k);
  if (pos < 0) {
    diags_.report(DiagId::GradientVariable, varExpr.range, {base->name});
    return std::nullopt;
  }
  auto result = differentiateEntry(context_, *base, pos,
                                   grad ? DerivativeKind::Gradient : DerivativeKind::Directional,
                                   unusedInputName(*base, grad ? "e" : "u"));
  if (auto *error = std::get_if<DerivativeError>(&result)) {
    if (error->noGradient)
      diags_.report(DiagId::NoGradient, baseExpr.range, {base->name, error->what});
    else
      diags_.report(DiagId::NotSupportedYet, body.opRange, {error->what});
    return std::nullopt;
  }
  return std::get<ir::EntryPoint>(std::move(result));
}

bool ReductionLowering::applyDerivedOptions(const ast::ReductionDecl &decl, ir::EntryPoint &out) {
  OptionSet own;
  std::vector<const ast::OptionEntry *> entries;
  for (const ast::OptionEntry &entry : decl.options)
    entries.push_back(&entry);
  if (!readOptionList(entries, own, diags_))
    return false;
  if (own.K) {
    diags_.report(DiagId::UnexpectedK, own.K.range, {decl.body->text});
    return false;
  }
  if (own.dtype && *own.dtype != out.dtype)
    retype(out, *own.dtype);
  if (own.dtypeAcc && own.useDoubleAcc) {
    diags_.report(DiagId::ConflictingOptions, own.useDoubleAcc.range,
                  {"use_double_acc and dtype_acc cannot both be set"});
    return false;
  }
  std::optional<ir::Dtype> acc;
  SourceRange accRange = own.dtypeAcc ? own.dtypeAcc.range : own.useDoubleAcc.range;
  if (own.dtypeAcc && *own.dtypeAcc != "auto")
    acc = *own.dtypeAcc == "float64" ? ir::Dtype::Float64 : ir::Dtype::Float32;
  else if (own.dtypeAcc || own.useDoubleAcc)
    acc = (own.useDoubleAcc && *own.useDoubleAcc) || out.dtype == ir::Dtype::Float64
              ? ir::Dtype::Float64
              : ir::Dtype::Float32;
  if (acc == ir::Dtype::Float32 && out.dtype == ir::Dtype::Float64) {
    diags_.report(DiagId::BadOptionValue, accRange,
                  {"dtype_acc", "float64 data cannot accumulate in float32"});
    return false;
  }
  // A derived reduction's stages are sums and the base's forward: the numerics options
  // apply to those that sum (SPEC.md §6 and §7.2).
  for (ir::Stage &stage : out.stages) {
    if (!ir::isSumming(stage.kind))
      continue;
    if (acc)
      stage.numerics.accDtype = *acc;
    if (own.sumScheme)
      stage.numerics.sumScheme =
          *own.sumScheme == ir::SumScheme::Auto ? ir::SumScheme::Block : *own.sumScheme;
  }
  if (own.fastMath)
    out.fastMath = *own.fastMath;
  if (own.enableChunks)
    out.enableChunks = *own.enableChunks;
  if (own.cpuBackend)
    out.cpuBackend = *own.cpuBackend;
  if (own.cudaBackend)
    out.cudaBackend = *own.cudaBackend;
  return true;
}

} // namespace keopsc::sema
