// CPU row kernels from kernel plans; see CpuKernelEmitter.h.
#include "codegen/cpu/CpuKernelEmitter.h"

#include "codegen/ExprEmitter.h"
#include "codegen/Signature.h"
#include "codegen/cpu/RowSumEmitter.h"
#include "codegen/cpu/SimdCoverage.h"
#include "codegen/cpu/SimdStageRun.h"
#include "codegen/cpu/StageAccess.h"
#include "support/Assert.h"

#include <utility>

namespace keopsc::codegen {
namespace {

/// The type formulas and reduction states compute in: float16 data (uint16_t binary16 storage)
/// is widened to float when read and rounded once when a result is stored (SPEC.md §7.1).
ir::Dtype computeDtype(ir::Dtype storage) {
  return storage == ir::Dtype::Float16 ? ir::Dtype::Float32 : storage;
}

/// float16 rows up to this many elements are widened once into a local float array where they
/// are declared; wider ones (rare, and too large for the stack) convert at every load.
constexpr int kMaxWidenedRow = 1024;

bool convertsOnLoad(const ir::Input &in) {
  return in.dtype == ir::Dtype::Float16 && in.dim > kMaxWidenedRow;
}

/// The C++ type of a stage's reduction state (keops/portable/reductions.h).
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

/// Loads and scratch of the scalar CPU loop: inputs are rows named in<pos> (float copies of
/// float16 rows, or uint16_t pointers converted at each load when convertsOnLoad); the pair's
/// indices are the row loop's `r` (output category) and the term loop's `t` (reduced one).
class CpuHooks final : public ExprEmitter::Hooks {
public:
  CpuHooks(std::string scalar, const ir::EntryPoint &entry, const ir::Stage &stage)
      : scalar_(std::move(scalar)), entry_(entry), stage_(stage) {}
  std::string load(const ir::Formula *var, const std::string &k) const override {
    const size_t pos = static_cast<size_t>(var->varPos());
    std::string element = inputName(pos) + "[" + k + "]";
    return convertsOnLoad(entry_.inputs[pos]) ? "keops_rt::halfToFloat(" + element + ")" : element;
  }
  std::string valueType(ValueKind) const override { return scalar_; }
  std::string scratch(int64_t offset) const override {
    return "scratch + " + std::to_string(offset);
  }
  std::string pairIndex(ir::Category cat) const override {
    KEOPSC_ASSERT(cat != ir::Category::Param, "a parameter has no pair index");
    return cat == stage_.outputCat() ? "r" : "t";
  }

private:
  std::string scalar_;
  const ir::EntryPoint &entry_;
  const ir::Stage &stage_;
};

class StageEmitter {
public:
  StageEmitter(const ir::EntryPoint &entry, size_t index, IndentedWriter &out)
      : entry_(entry), stage_(entry.stages[index]), index_(index), out_(out), plan_(*stage_.plan),
        scalar_(ir::dtypeCType(computeDtype(entry.dtype))), hooks_(scalar_, entry, stage_),
        exprs_(plan_, computeDtype(entry.dtype), hooks_) {}

  std::string functionName() const { return entry_.name + "_s" + std::to_string(index_) + "_rows"; }

  void emit() {
    auto fn = out_.block("void " + functionName() + "(const " + entry_.name +
                         "_args &a, const keops_rt::RowSpans &spans, int64_t begin, int64_t end)");
    emitThreadSetup();
    out_.line("keops_rt::SpanWalker walker(spans, begin);");
    auto rowLoop = out_.block("for (int64_t r = begin; r < end; ++r)");
    declareInputs(stage_.outputCat(), "r");
    exprs_.emit(nodesAt({ir::Level::OutputRow}), out_);
    out_.line("state.init();");
    // The row's reduced spans: [0, N) without ranges, none for a row no range covers.
    out_.line("const keops_rt::Span *span = nullptr;");
    out_.line("int64_t spanCount = 0;");
    out_.line("walker.spansOf(r, span, spanCount);");
    {
      auto spanLoop = out_.block("for (int64_t q = 0; q < spanCount; ++q)");
      auto termLoop = out_.block("for (int64_t t = span[q].begin; t < span[q].end; ++t)");
      declareInputs(stage_.reducedCat(), "t");
      exprs_.emit(nodesAt({ir::Level::ReducedRow, ir::Level::Pair}), out_);
      emitWidenedInputs();
      if (stage_.weight)
        out_.line("state.add(" + termPointer() + ", " + weightPointer() + ", t);");
      else
        out_.line("state.add(" + termPointer() + ", t);");
    }
    emitFinish();
  }

private:
  std::vector<const ir::Formula *> nodesAt(std::initializer_list<ir::Level> levels) const {
    return plannedNodesAt(plan_, levels);
  }

  /// Per thread: scratch, the state (on the heap: K-min and wide states are large), the
  /// parameters and everything that depends on nothing else.
  void emitThreadSetup() {
    if (plan_.scratchElements > 0) {
      out_.line("std::unique_ptr<" + scalar_ + "[]> scratchBuffer(new " + scalar_ + "[" +
                std::to_string(plan_.scratchElements) + "]);");
      out_.line(scalar_ + " *scratch = scratchBuffer.get();");
    }
    std::string state = stateType(stage_, computeDtype(entry_.dtype));
    out_.line("std::unique_ptr<" + state + "> statePointer(new " + state + ");");
    out_.line(state + " &state = *statePointer;");
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

  /// Row pointers of the inputs of `cat` this stage reads.
  void declareInputs(ir::Category cat, const std::string &index) {
    for (size_t k : inputsRead(entry_, plan_, cat)) {
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
  bool widens(const ir::Formula *f) const {
    return f && f->kind() == ir::OpKind::Var &&
           convertsOnLoad(entry_.inputs[static_cast<size_t>(f->varPos())]);
  }

  /// Float copies of an input F or G of float16 storage (termInput, weightInput).
  void emitWidenedInputs() {
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
  std::string termPointer() const {
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
  bool weightNeedsBuffer() const {
    const ir::Formula *g = stage_.weight;
    return g && g->isLeaf() && g->kind() != ir::OpKind::Var;
  }

  /// The row of G handed to a weighted state.
  std::string weightPointer() const {
    const ir::Formula *g = stage_.weight;
    if (weightNeedsBuffer())
      return "weightTerm";
    if (widens(g))
      return "weightInput";
    if (g->kind() == ir::OpKind::Var)
      return inputName(static_cast<size_t>(g->varPos()));
    return exprs_.arrayName(g);
  }

  std::string outputRow(ir::OutputRole role) const {
    return stageOutputRow(entry_, index_, role, "r");
  }

  void emitFinish() {
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

  const ir::EntryPoint &entry_;
  const ir::Stage &stage_;
  size_t index_;
  IndentedWriter &out_;
  const ir::KernelPlan &plan_;
  std::string scalar_; ///< the compute type: float for float16 data (uint16_t arrays)
  CpuHooks hooks_;
  ExprEmitter exprs_;
};

/// Runs stage `k`'s scalar row function over every batch's output rows, split over threads.
void emitScalarStageRun(const ir::EntryPoint &entry, size_t k, IndentedWriter &out) {
  const ir::Stage &stage = entry.stages[k];
  std::string spans = stage.axis == 1 ? "ranges.overJ" : "ranges.overI";
  emitParallelRows(stage,
                   {entry.name + "_s" + std::to_string(k) + "_rows(" + entry.name +
                    "_batch(a, o, b), " + spans + ", lo, hi);"},
                   out);
}

} // namespace

void emitCpuKernels(const ir::Module &module, const ir::EntryPoint &entry, IndentedWriter &out) {
  for (size_t k = 0; k < entry.stages.size(); ++k) {
    KEOPSC_ASSERT(entry.stages[k].plan.has_value(), "codegen needs the plan-kernels pass");
    StageEmitter(entry, k, out).emit();
  }
  auto fn = out.block("keops_status " + entry.name + "_cpu_run(const " + entry.name +
                      "_args &a, const keops_options &o, const keops_rt::CallRanges &ranges)");
  out.line("const int64_t B = keops_rt::batchCount(o);");
  // Stages run one after the other; each splits the output rows of every batch over the threads.
  for (size_t k = 0; k < entry.stages.size(); ++k) {
    const ir::Stage &stage = entry.stages[k];
    if (!simdEligible(entry, stage)) {
      emitScalarStageRun(entry, k, out);
      continue;
    }
    std::string condition =
        std::string(stage.axis == 1 ? "ranges.overJ" : "ranges.overI") + ".dense";
    if (const int64_t least = simdMinReduced(stage, entry.dtype))
      condition +=
          std::string(" && a.") + (stage.axis == 1 ? "N" : "M") + " >= " + std::to_string(least);
    {
      auto dense = out.block("if (" + condition + ")");
      emitSimdStageRun(module, entry, k, out);
    }
    auto ranged = out.block("else");
    emitScalarStageRun(entry, k, out);
  }
  emitRowSums(entry, out);
  out.line("return KEOPS_OK;");
}

} // namespace keopsc::codegen
