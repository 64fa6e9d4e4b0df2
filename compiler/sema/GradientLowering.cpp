// Reduction-level derivatives (SPEC.md §6): `reduction r_dx = Grad(r, x);` becomes an entry point
// whose stages recompute what r's gradient needs (LogSumExp's forward values) and reduce the
// formula-level derivative Grad(F, x, e) over the right axis. The Grad nodes it builds are
// expanded by the autodiff pass like any other. Part of ReductionLowering (see its header).
#include "ir/ReductionInfo.h"
#include "sema/ReductionLowering.h"

namespace keopsc::sema {
namespace {

/// A C parameter name for the appended e (or u) that no input of `entry` uses.
std::string freshInputName(const ir::EntryPoint &entry, std::string name) {
  for (bool taken = true; taken;) {
    taken = false;
    for (const ir::Input &in : entry.inputs)
      if (in.name == name) {
        name += '_';
        taken = true;
      }
  }
  return name;
}

/// SPEC.md §6: index outputs and the raw (m, s) pair have no gradient (differs from KeOps:
/// zeros or a pseudo-gradient).
bool hasGradient(ir::ReductionKind kind) {
  switch (kind) {
  case ir::ReductionKind::ArgMin:
  case ir::ReductionKind::ArgMax:
  case ir::ReductionKind::ArgKMin:
  case ir::ReductionKind::Max_SumShiftExp:
  case ir::ReductionKind::Max_SumShiftExpWeight:
    return false;
  default: // every value reduction
    return true;
  }
}

/// A gradient with respect to the Pm input at `xPos` (SPEC.md §6): `stage`, the entry point's
/// stage number `stageIndex` being built, still reduces per output row, but into a workspace; the
/// C output, of x's shape, sums those rows: one block per batch, or one for all batches when x
/// is batch_shared.
void makeParamGradient(ir::Stage &stage, int stageIndex, int xPos, ir::Dtype dtype,
                       std::vector<ir::Output> &outputs) {
  stage.sumRows = true;
  std::vector<ir::Output> added =
      ir::rowSumOutputsOf(stage, dtype, stageIndex, static_cast<int>(outputs.size()), xPos);
  outputs.insert(outputs.end(), added.begin(), added.end());
}

} // namespace

const ir::EntryPoint *ReductionLowering::findEntry(const std::string &name) const {
  for (const ir::EntryPoint &entry : entries_)
    if (entry.name == name)
      return &entry;
  return nullptr;
}

std::optional<ir::EntryPoint> ReductionLowering::lowerGradient(const ast::ReductionDecl &decl) {
  const ast::Expr &body = *decl.body;
  auto notYet = [&](SourceRange at, const std::string &what) -> std::optional<ir::EntryPoint> {
    diags_.report(DiagId::NotSupportedYet, at, {what});
    return std::nullopt;
  };
  if (body.text == "Diff")
    return notYet(body.opRange, "reduction-level 'Diff'");
  if (body.operands.size() != 2 || !body.keywords.empty()) {
    diags_.report(
        DiagId::WrongArgCount, body.opRange,
        {"Grad", "2 (a reduction and one of its inputs)", std::to_string(body.operands.size())});
    return std::nullopt;
  }
  const ast::Expr &baseExpr = *body.operands[0], &varExpr = *body.operands[1];
  if (baseExpr.kind != ast::ExprKind::Name)
    return notYet(baseExpr.range, "a nested reduction-level 'Grad'");
  const ir::EntryPoint *base = findEntry(baseExpr.text);
  if (!base) {
    diags_.report(DiagId::GradientOfUnknown, baseExpr.range, {baseExpr.text});
    return std::nullopt;
  }
  if (base->stages.size() != 1)
    return notYet(baseExpr.range, "a gradient of a derived reduction");
  const ir::Stage &forward = base->mainStage();
  int pos = -1;
  for (size_t k = 0; k < base->inputs.size(); ++k)
    if (varExpr.kind == ast::ExprKind::Name && base->inputs[k].name == varExpr.text &&
        base->inputs[k].origin == ir::InputOrigin::Alias)
      pos = static_cast<int>(k);
  if (pos < 0) {
    diags_.report(DiagId::GradientVariable, varExpr.range, {base->name});
    return std::nullopt;
  }
  const ir::Input &x = base->inputs[static_cast<size_t>(pos)];
  const ir::ReductionInfo &info = ir::reductionInfo(forward.kind);
  const bool lse = forward.kind == ir::ReductionKind::LogSumExp && !forward.weight;
  if (!hasGradient(forward.kind)) {
    diags_.report(DiagId::NoGradient, baseExpr.range, {base->name, info.name});
    return std::nullopt;
  }
  if (forward.kind != ir::ReductionKind::Sum && !lse)
    return notYet(body.opRange, "the gradient of a '" + std::string(info.name) + "' reduction");
  if (!decl.options.empty() || decl.params)
    return notYet(decl.nameRange, "options or an argument list on a derived reduction");

  ir::EntryPoint out;
  out.name = decl.name;
  out.loc = decl.nameRange;
  out.sourceText = quoteSource(decl);
  out.dtype = base->dtype;
  out.fastMath = base->fastMath;
  out.enableChunks = base->enableChunks;
  out.cpuBackend = base->cpuBackend;
  out.cudaBackend = base->cudaBackend;
  out.inputs = base->inputs;
  // e: the adjoint of r's values, one row per output row of r.
  const int ePos = static_cast<int>(out.inputs.size());
  ir::Input e;
  e.name = freshInputName(out, "e");
  e.cat = forward.outputCat();
  e.dim = forward.valuesPerRow();
  e.dtype = out.dtype;
  out.inputs.push_back(e);
  const ir::Formula *eVar = context_.var(ePos, e.dim, e.cat);
  const ir::Formula *xVar = context_.var(pos, x.dim, x.cat);
  const ir::Formula *grad = context_.get(ir::OpKind::Grad, {forward.formula, xVar, eVar});

  ir::Stage stage;
  stage.kind = ir::ReductionKind::Sum;
  stage.numerics = forward.numerics;
  // With respect to the output category (or a Pm): r's axis; the reduced one: the other axis.
  stage.axis = x.cat == forward.reducedCat() ? 1 - forward.axis : forward.axis;
  if (lse) {
    // Stage 0 recomputes r's values into a workspace; stage 1 weighs each term's gradient by
    // p = e^(F − out), the softmax weight of the pair (SPEC.md §6).
    ir::Stage values = forward;
    values.plan.reset();
    const ir::Dtype workspaceDtype =
        out.dtype == ir::Dtype::Float16 ? ir::Dtype::Float32 : out.dtype;
    out.outputs = ir::outputsOf(values, workspaceDtype, 0);
    out.outputs[0].role = ir::OutputRole::Workspace;
    out.outputs[0].name = "forward";
    out.stages.push_back(values);
    ir::Input workspace;
    workspace.origin = ir::InputOrigin::Workspace;
    workspace.cat = forward.outputCat();
    workspace.dim = 1;
    workspace.dtype = workspaceDtype;
    workspace.producer = 0;
    const int wPos = static_cast<int>(out.inputs.size());
    out.inputs.push_back(workspace);
    const ir::Formula *p =
        context_.get(ir::OpKind::Exp,
                     {context_.get(ir::OpKind::Subtract,
                                   {forward.formula, context_.var(wPos, 1, forward.outputCat())})});
    grad = context_.get(ir::OpKind::Mult, {p, grad});
    stage.reads = {0};
  }
  stage.formula = grad;
  const int stageIndex = static_cast<int>(out.stages.size());
  if (x.cat == ir::Category::Param) {
    makeParamGradient(stage, stageIndex, pos, out.dtype, out.outputs);
  } else {
    std::vector<ir::Output> outputs = ir::outputsOf(stage, out.dtype, stageIndex);
    out.outputs.insert(out.outputs.end(), outputs.begin(), outputs.end());
  }
  out.stages.push_back(stage);
  return out;
}

} // namespace keopsc::sema
