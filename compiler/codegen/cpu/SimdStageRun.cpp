// SIMD stage runs; see SimdStageRun.h.
#include "codegen/cpu/SimdStageRun.h"

#include "codegen/PartialState.h"
#include "codegen/Signature.h"
#include "codegen/cpu/SimdCoverage.h"
#include "codegen/cpu/SimdStageEmitter.h"
#include "codegen/cpu/StageAccess.h"
#include "support/Assert.h"

#include <string>
#include <vector>

namespace keopsc::codegen {
namespace {

/// The local variable and function-pointer type of each SIMD function, for entries of `scalar`.
struct SimdPointer {
  const char *variable;
  std::string type;
};
SimdPointer simdPointer(SimdFunction function, const std::string &scalar) {
  switch (function) {
  case SimdFunction::Kernel:
    return {"kernel", "void (*kernel)(const void *, const " + scalar +
                          " *const *, int64_t, int64_t, int64_t, int64_t, int64_t, void *)"};
  case SimdFunction::Merge:
    return {"merge", "void (*merge)(const void *, void *, int64_t, int64_t, int64_t, int64_t)"};
  case SimdFunction::StateBytes:
    return {"stateBytes", "int64_t (*stateBytes)()"};
  case SimdFunction::Store:
    return {"store", "void (*store)(const void *, int64_t, int64_t, int64_t, void *)"};
  }
  KEOPSC_UNREACHABLE("bad SIMD function");
}

} // namespace

void emitSimdFunctionPick(const ir::Module &module, const ir::EntryPoint &entry, size_t k,
                          std::initializer_list<SimdFunction> functions, IndentedWriter &out) {
  const std::string scalar = ir::dtypeCType(entry.dtype);
  for (SimdFunction f : functions)
    out.line(simdPointer(f, scalar).type + " = " + simdKernelName(module, entry, k, f) + "base;");
  auto pick = [&](const std::string &isa) {
    std::string text;
    for (SimdFunction f : functions)
      text += std::string(text.empty() ? "  " : ", ") + simdPointer(f, scalar).variable + " = " +
              simdKernelName(module, entry, k, f) + isa;
    return text + ";";
  };
  out.line("#if defined(KEOPS_DISPATCH)");
  out.line("if (keops_rt::isaLevel() == keops_rt::kIsaAvx512)");
  out.line(pick("avx512"));
  out.line("else if (keops_rt::isaLevel() == keops_rt::kIsaAvx2)");
  out.line(pick("avx2"));
  out.line("#endif");
}

namespace {

/// Output rows in groups of kSimdRowGroup (the kernels' super-rows) over the threads,
/// consecutive groups of a batch in one kernel call.
void emitRowGroups(const ir::Stage &stage, const std::string &batchArgs, const std::string &rows,
                   const std::string &reduced, IndentedWriter &out) {
  out.line("const int64_t groups = (" + rows + " + keops_rt::kSimdRowGroup - 1) / " +
           "keops_rt::kSimdRowGroup;");
  auto call = out.block(
      std::string("keops_rt::parallelRows(B * groups, double(keops_rt::kSimdRowGroup) * ") +
          "double(" + reduced + ") * " + std::to_string(stage.formula->dim() + 1) +
          ", o.num_threads, [&](int64_t begin, int64_t end)",
      ");");
  auto units = out.block("for (int64_t u = begin; u < end;)");
  out.line("const int64_t b = u / groups, last = end < (b + 1) * groups ? end : (b + 1) * groups;");
  out.line(batchArgs);
  out.line("const int64_t lo = (u - b * groups) * keops_rt::kSimdRowGroup;");
  out.line("const int64_t hi = (last - b * groups) * keops_rt::kSimdRowGroup;");
  out.line("kernel(&ab, soa.of(b), soa.npad(), lo, hi < " + rows + " ? hi : " + rows + ", 0, " +
           reduced + ", nullptr);");
  out.line("u = last;");
}

/// The reduced index in `split.parts` parts over the threads (every row of a batch per part),
/// the parts' states stored, then merged and finished row by row over the threads.
void emitReducedParts(const ir::Stage &stage, const std::string &batchArgs, const std::string &rows,
                      const std::string &reduced, IndentedWriter &out) {
  out.line("keops_rt::PartStates parts(split.parts, B * " + rows + ", stateBytes());");
  {
    auto call =
        out.block("keops_rt::parallelRows(split.parts * B, double(" + rows +
                      ") * double(split.length) * " + std::to_string(stage.formula->dim() + 1) +
                      ", o.num_threads, [&](int64_t begin, int64_t end)",
                  ");");
    auto units = out.block("for (int64_t u = begin; u < end; ++u)");
    out.line("const int64_t p = u / B, b = u % B;");
    out.line(batchArgs);
    out.line("const int64_t red0 = p * split.length;");
    out.line("const int64_t red1 = " + reduced + " - red0 < split.length ? " + reduced +
             " : red0 + split.length;");
    out.line("kernel(&ab, soa.of(b), soa.npad(), 0, " + rows + ", red0, red1, parts.at(p, b * " +
             rows + "));");
  }
  emitParallelRows(stage,
                   {batchArgs, "merge(&ab, parts.at(0, b * " + rows +
                                   "), split.parts, parts.stride(), lo, hi);"},
                   out);
}

} // namespace

/// Stage `k` through its SIMD kernel when the call has no ranges: the reduced inputs of every
/// batch transposed once, then the output rows split over the threads, or, with few output rows,
/// the reduced index in parts (keops/host/reduced_parts.h) that the threads share, whose states
/// are then merged row by row.
void emitSimdStageRun(const ir::Module &module, const ir::EntryPoint &entry, size_t k,
                      IndentedWriter &out) {
  const ir::Stage &stage = entry.stages[k];
  const std::string rows = stage.axis == 1 ? "a.M" : "a.N",
                    reduced = stage.axis == 1 ? "a.N" : "a.M";
  const std::string batchArgs =
      "const " + entry.name + "_args ab = " + entry.name + "_batch(a, o, b);";
  out.line("keops_rt::SoaInputs<" + std::string(ir::dtypeCType(entry.dtype)) + "> soa(B, " +
           std::to_string(entry.inputs.size()) + ", " + reduced + ");");
  std::vector<std::string> transposes;
  for (size_t i : inputsRead(entry, *stage.plan, stage.reducedCat()))
    transposes.push_back("soa.add(b, " + std::to_string(i) + ", ab." + inputName(i) + ", " +
                         reduced + ", " + std::to_string(entry.inputs[i].dim) +
                         ", o.num_threads);");
  if (!transposes.empty()) {
    auto batches = out.block("for (int64_t b = 0; b < B; ++b)");
    out.line(batchArgs);
    for (const std::string &line : transposes)
      out.line(line);
  }
  emitSimdFunctionPick(module, entry, k,
                       {SimdFunction::Kernel, SimdFunction::Merge, SimdFunction::StateBytes}, out);
  out.line("const keops_rt::ReducedSplit split = keops_rt::reducedSplit(B * " + rows + ", " +
           reduced + ");");
  {
    auto whole = out.block("if (split.parts == 1)");
    emitRowGroups(stage, batchArgs, rows, reduced, out);
  }
  auto parted = out.block("else");
  emitReducedParts(stage, batchArgs, rows, reduced, out);
}

void emitSimdKernelDeclarations(const ir::Module &module, const ir::EntryPoint &entry,
                                IndentedWriter &out) {
  for (size_t k = 0; k < entry.stages.size(); ++k) {
    if (!simdEligible(entry, entry.stages[k]))
      continue;
    std::string scalar = ir::dtypeCType(entry.dtype);
    for (const char *isa : {"avx2", "avx512"}) {
      out.line("extern \"C\" void " + simdKernelName(module, entry, k) + isa +
               "(const void *, const " + scalar +
               " *const *, int64_t, int64_t, int64_t, int64_t, int64_t, void *);");
      out.line("extern \"C\" void " + simdKernelName(module, entry, k, SimdFunction::Merge) + isa +
               "(const void *, void *, int64_t, int64_t, int64_t, int64_t);");
      out.line("extern \"C\" int64_t " +
               simdKernelName(module, entry, k, SimdFunction::StateBytes) + isa + "();");
      if (hasPartials(entry))
        out.line("extern \"C\" void " + simdKernelName(module, entry, k, SimdFunction::Store) +
                 isa + "(const void *, int64_t, int64_t, int64_t, void *);");
    }
  }
}

} // namespace keopsc::codegen
