// CPU row kernels from kernel plans; see CpuKernelEmitter.h.
#include "codegen/cpu/CpuKernelEmitter.h"

#include "codegen/ExprEmitter.h"
#include "codegen/ScalarStage.h"
#include "codegen/Signature.h"
#include "codegen/cpu/RowSumEmitter.h"
#include "codegen/cpu/SimdCoverage.h"
#include "codegen/cpu/SimdStageRun.h"
#include "codegen/cpu/StageAccess.h"
#include "support/Assert.h"

#include <utility>

namespace keopsc::codegen {
namespace {

/// Stage `index`'s scalar row function `<entry>_s<index>_rows(a, spans, begin, end)`: rows
/// [begin, end), each over its reduced spans, one term at a time.
class StageEmitter {
public:
  StageEmitter(const ir::EntryPoint &entry, size_t index, IndentedWriter &out)
      : entry_(entry), stage_(entry.stages[index]), index_(index), out_(out),
        body_(entry, index, out) {}

  std::string functionName() const { return entry_.name + "_s" + std::to_string(index_) + "_rows"; }

  void emit() {
    auto fn = out_.block("void " + functionName() + "(const " + entry_.name +
                         "_args &a, const keops_rt::RowSpans &spans, int64_t begin, int64_t end)");
    emitThreadSetup();
    out_.line("keops_rt::SpanWalker walker(spans, begin);");
    auto rowLoop = out_.block("for (int64_t r = begin; r < end; ++r)");
    body_.emitRowValues();
    out_.line("state.init();");
    // The row's reduced spans: [0, N) without ranges, none for a row no range covers.
    out_.line("const keops_rt::Span *span = nullptr;");
    out_.line("int64_t spanCount = 0;");
    out_.line("walker.spansOf(r, span, spanCount);");
    {
      auto spanLoop = out_.block("for (int64_t q = 0; q < spanCount; ++q)");
      auto termLoop = out_.block("for (int64_t t = span[q].begin; t < span[q].end; ++t)");
      body_.declareInputs(stage_.reducedCat(), "t");
      body_.emitTermAdd();
    }
    body_.emitFinish();
  }

private:
  void emitThreadSetup() { emitScalarThreadSetup(entry_, stage_, body_, out_); }

  const ir::EntryPoint &entry_;
  const ir::Stage &stage_;
  size_t index_;
  IndentedWriter &out_;
  ScalarStageBody body_;
};

} // namespace

void emitScalarThreadSetup(const ir::EntryPoint &entry, const ir::Stage &stage,
                           ScalarStageBody &body, IndentedWriter &out) {
  const std::string &scalar = body.scalar();
  if (const int64_t n = stage.plan->scratchElements; n > 0) {
    out.line("std::unique_ptr<" + scalar + "[]> scratchBuffer(new " + scalar + "[" +
             std::to_string(n) + "]);");
    out.line(scalar + " *scratch = scratchBuffer.get();");
  }
  std::string state = stateType(stage, computeDtype(entry.dtype));
  out.line("std::unique_ptr<" + state + "> statePointer(new " + state + ");");
  out.line(state + " &state = *statePointer;");
  body.emitConstantsAndParameters();
}

namespace {

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
