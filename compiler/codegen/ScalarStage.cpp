// The scalar stage emitters' shared pieces; see ScalarStage.h.
#include "codegen/ScalarStage.h"

#include "codegen/Signature.h"
#include "codegen/StageAccess.h"
#include "support/Assert.h"

#include <unordered_set>
#include <utility>

namespace keopsc::codegen {

ir::Dtype computeDtype(ir::Dtype storage) {
  return storage == ir::Dtype::Float16 ? ir::Dtype::Float32 : storage;
}

bool convertsOnLoad(const ir::Input &in) {
  return in.dtype == ir::Dtype::Float16 && in.dim > kMaxWidenedRow;
}

std::string stateType(const ir::Stage &stage, ir::Dtype dtype) {
  std::string scalar = ir::dtypeCType(dtype);
  std::string acc = ir::dtypeCType(stage.numerics.accDtype);
  std::string policy = stage.numerics.sumScheme == ir::SumScheme::Kahan
                           ? "keops_rt::KahanAcc<" + acc + ">"
                           : "keops_rt::DirectAcc<" + acc + ">";
  std::string d = std::to_string(stage.formula->dim());
  std::string k = std::to_string(stage.K);
  std::string e = std::to_string(stage.weight ? stage.weight->dim() : 1); // E, the weight's dim
  std::string inner;
  switch (stage.kind) {
  case ir::ReductionKind::Sum:
    inner = "keops_rt::SumState<" + scalar + ", " + policy + ", " + d + ">";
    break;
  case ir::ReductionKind::LogSumExp:
    inner = stage.weight
                ? "keops_rt::LogSumExpWeightState<" + scalar + ", " + policy + ", " + e + ">"
                : "keops_rt::LogSumExpState<" + scalar + ", " + policy + ">";
    break;
  case ir::ReductionKind::LogSumExpWeight:
    inner = "keops_rt::LogSumExpWeightState<" + scalar + ", " + policy + ", " + e + ">";
    break;
  case ir::ReductionKind::SumSoftMaxWeight:
    inner = "keops_rt::SoftMaxState<" + scalar + ", " + policy + ", " + e + ">";
    break;
  case ir::ReductionKind::Max_SumShiftExp:
  case ir::ReductionKind::Max_SumShiftExpWeight:
    inner = "keops_rt::MaxSumShiftExpState<" + scalar + ", " + policy + ", " + e + ">";
    break;
  case ir::ReductionKind::KMin:
  case ir::ReductionKind::ArgKMin:
  case ir::ReductionKind::KMin_ArgKMin:
    return "keops_rt::KMinState<" + scalar + ", " + k + ", " + d + ">";
  case ir::ReductionKind::Min:
  case ir::ReductionKind::ArgMin:
  case ir::ReductionKind::Min_ArgMin:
    return "keops_rt::MinMaxState<" + scalar + ", " + d + ", false>";
  case ir::ReductionKind::Max:
  case ir::ReductionKind::ArgMax:
  case ir::ReductionKind::Max_ArgMax:
    return "keops_rt::MinMaxState<" + scalar + ", " + d + ", true>";
#include "ir/ReductionsNotReady.inc"
    KEOPSC_UNREACHABLE("codegen for a reduction that is not ready");
  }
  // Block summation wraps summing states; direct and Kahan accumulate term by term.
  return stage.numerics.sumScheme == ir::SumScheme::Block ? "keops_rt::BlockState<" + inner + ">"
                                                          : inner;
}

std::string ScalarHooks::load(const ir::Formula *var, const std::string &k) const {
  const size_t pos = static_cast<size_t>(var->varPos());
  std::string element = inputName(pos) + "[" + k + "]";
  return convertsOnLoad(entry_.inputs[pos]) ? "keops_rt::halfToFloat(" + element + ")" : element;
}

std::string ScalarHooks::pairIndex(ir::Category cat) const {
  KEOPSC_ASSERT(cat != ir::Category::Param, "a parameter has no pair index");
  return cat == stage_.outputCat() ? "r" : "t";
}

ScalarStageBody::ScalarStageBody(const ir::EntryPoint &entry, size_t index, IndentedWriter &out)
    : entry_(entry), stage_(entry.stages[index]), index_(index), out_(out), plan_(*stage_.plan),
      scalar_(ir::dtypeCType(computeDtype(entry.dtype))), hooks_(scalar_, entry, stage_),
      exprs_(plan_, computeDtype(entry.dtype), hooks_) {}

std::vector<const ir::Formula *>
ScalarStageBody::nodesAt(std::initializer_list<ir::Level> levels) const {
  return plannedNodesAt(plan_, levels);
}

void ScalarStageBody::emitConstantsAndParameters() {
  declareInputs(ir::Category::Param, "");
  exprs_.emit(nodesAt({ir::Level::Constant, ir::Level::Parameter}), out_);
  if (plan_.termNeedsBuffer) {
    const ir::Formula *f = stage_.formula;
    out_.line(scalar_ + " term[" + std::to_string(f->dim()) + "];");
    out_.line("for (int64_t k = 0; k < " + std::to_string(f->dim()) + "; ++k)");
    out_.line("  term[k] = " + exprs_.element(f, "k") + ";");
  }
  if (weightNeedsBuffer()) {
    const ir::Formula *g = stage_.weight;
    out_.line(scalar_ + " weightTerm[" + std::to_string(g->dim()) + "];");
    out_.line("for (int64_t k = 0; k < " + std::to_string(g->dim()) + "; ++k)");
    out_.line("  weightTerm[k] = " + exprs_.element(g, "k") + ";");
  }
}

void ScalarStageBody::emitRowValues() {
  declareInputs(stage_.outputCat(), "r");
  exprs_.emit(nodesAt({ir::Level::OutputRow}), out_);
}

void ScalarStageBody::emitTermAdd() {
  exprs_.emit(nodesAt({ir::Level::ReducedRow, ir::Level::Pair}), out_);
  emitWidenedInputs();
  if (stage_.weight)
    out_.line("state.add(" + termPointer() + ", " + weightPointer() + ", t);");
  else
    out_.line("state.add(" + termPointer() + ", t);");
}

void ScalarStageBody::emitPairValuesOf(const ir::Formula *f) {
  const std::vector<const ir::Formula *> below = ir::postOrder(f);
  const std::unordered_set<const ir::Formula *> wanted(below.begin(), below.end());
  std::vector<const ir::Formula *> nodes;
  for (const ir::Formula *node : nodesAt({ir::Level::ReducedRow, ir::Level::Pair}))
    if (wanted.count(node))
      nodes.push_back(node);
  exprs_.emit(nodes, out_);
}

/// Row pointers of the inputs of `cat` this stage reads.
void ScalarStageBody::declareInputs(ir::Category cat, const std::string &index) {
  declareInputsBut(cat, index, entry_.inputs.size());
}

void ScalarStageBody::declareInputsBut(ir::Category cat, const std::string &index, size_t skipped) {
  for (size_t k : inputsRead(entry_, plan_, cat)) {
    if (k == skipped)
      continue;
    const ir::Input &in = entry_.inputs[k];
    std::string row = "a." + inputName(k);
    if (cat != ir::Category::Param)
      row += " + " + index + " * " + std::to_string(in.dim);
    if (in.dtype != ir::Dtype::Float16 || convertsOnLoad(in)) {
      out_.line("const " + std::string(ir::dtypeCType(in.dtype)) + " *" + inputName(k) + " = " +
                row + ";");
      continue;
    }
    // A float16 row is widened once, then read as float.
    out_.line(scalar_ + " " + inputName(k) + "[" + std::to_string(in.dim) + "];");
    out_.line(loopOver(in.dim));
    out_.line("  " + inputName(k) + "[k] = keops_rt::halfToFloat((" + row + ")[k]);");
  }
}

/// Whether F or G is a uint16_t row read as it is, which must be widened for the state.
bool ScalarStageBody::widens(const ir::Formula *f) const {
  return f && f->kind() == ir::OpKind::Var &&
         convertsOnLoad(entry_.inputs[static_cast<size_t>(f->varPos())]);
}

/// Float copies of an input F or G of float16 storage (termInput, weightInput).
void ScalarStageBody::emitWidenedInputs() {
  const std::pair<const ir::Formula *, const char *> inputs[] = {{stage_.formula, "termInput"},
                                                                 {stage_.weight, "weightInput"}};
  for (const auto &[f, name] : inputs) {
    if (!widens(f))
      continue;
    out_.line(scalar_ + " " + name + "[" + std::to_string(f->dim()) + "];");
    out_.line(loopOver(f->dim()));
    out_.line(std::string("  ") + name + "[k] = " + exprs_.element(f, "k") + ";");
  }
}

/// The row of F handed to the state.
std::string ScalarStageBody::termPointer() const {
  const ir::Formula *f = stage_.formula;
  if (plan_.termNeedsBuffer)
    return "term";
  if (widens(f))
    return "termInput";
  if (f->kind() == ir::OpKind::Var)
    return inputName(static_cast<size_t>(f->varPos()));
  return exprs_.arrayName(f);
}

/// A constant weight has no storage of its own to hand to the reduction state.
bool ScalarStageBody::weightNeedsBuffer() const {
  const ir::Formula *g = stage_.weight;
  return g && g->isLeaf() && g->kind() != ir::OpKind::Var;
}

/// The row of G handed to a weighted state.
std::string ScalarStageBody::weightPointer() const {
  const ir::Formula *g = stage_.weight;
  if (weightNeedsBuffer())
    return "weightTerm";
  if (widens(g))
    return "weightInput";
  if (g->kind() == ir::OpKind::Var)
    return inputName(static_cast<size_t>(g->varPos()));
  return exprs_.arrayName(g);
}

std::string ScalarStageBody::outputRow(ir::OutputRole role) const {
  return stageOutputRow(entry_, index_, role, "r");
}

void ScalarStageBody::emitFinish() {
  // Values kept for a later stage, or for the row sum of a Pm gradient, go to a workspace.
  std::string values = stageValuesRow(entry_, index_, "r");
  switch (ir::reductionInfo(stage_.kind).outputs) {
  case ir::OutputShape::Values:
    if (ir::reductionInfo(stage_.kind).takesK)
      out_.line("state.finish(" + values + ", nullptr);");
    else
      out_.line("state.finish(" + values + ");");
    return;
  case ir::OutputShape::Indices:
  case ir::OutputShape::ValuesAndIndices: {
    std::string indices = outputRow(ir::OutputRole::Indices);
    if (indices == "nullptr") // indices kept for a later stage
      indices = outputRow(ir::OutputRole::IndexWorkspace);
    out_.line("state.finish(" + values + ", " + indices + ");");
    return;
  }
  case ir::OutputShape::Pair:
    out_.line("state.finish(" + outputRow(ir::OutputRole::MaxShift) + ", " +
              outputRow(ir::OutputRole::ShiftedSum) + ");");
    return;
  }
  KEOPSC_UNREACHABLE("bad output shape");
}

} // namespace keopsc::codegen
