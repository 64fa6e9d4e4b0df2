// The library source; see SourceEmitter.h.
#include "codegen/SourceEmitter.h"

#include "codegen/Banner.h"
#include "codegen/EntryEmitter.h"
#include "codegen/RuntimeSources.h"
#include "codegen/Signature.h"
#include "codegen/cpu/CpuKernelEmitter.h"
#include "codegen/cpu/PartialEmitter.h"
#include "codegen/cpu/SimdCoverage.h"
#include "codegen/cpu/SimdStageEmitter.h"
#include "codegen/cpu/SimdStageRun.h"
#include "codegen/cuda/CudaKernelEmitter.h"
#include "support/IndentedWriter.h"

namespace keopsc::codegen {

namespace {

/// `<module>_ranges_from_blocks`, the ranges helper of SPEC.md §5.3 (keops_rt::rangesFromBlocks).
void emitRangesFromBlocks(const ir::Module &module, IndentedWriter &out) {
  auto fn = out.block("extern \"C\" keops_status " + module.name + "_ranges_from_blocks(" +
                      rangesFromBlocksParameters() + ")");
  out.line("const keops_rt::ErrorSink err{lastError, sizeof lastError};");
  out.line("err.clear();");
  out.line("return keops_rt::rangesFromBlocks(nclusters_i, clusters_i, nclusters_j, clusters_j, "
           "mask, storage, storage_size, out, err);");
}

/// The macros of the per-ISA builds. A plain compile of the source is a whole library whose
/// SIMD kernels use the compiler's flags (suffix `base`). keopsc's default x86-64 build adds
/// -DKEOPS_DISPATCH to that compile (baseline flags) and compiles the source twice more with
/// -DKEOPS_ISA_PASS=avx2 -march=x86-64-v3 and =avx512 -march=x86-64-v4: those compiles keep
/// only the SIMD kernels, suffixed by level, and the dispatching compile picks one per call.
void emitIsaMacros(IndentedWriter &out) {
  out.line("#if defined(KEOPS_ISA_PASS)");
  out.line("#define KEOPS_ISA_NAME(f) KEOPS_ISA_PASTE(f, KEOPS_ISA_PASS)");
  out.line("#else");
  out.line("#define KEOPS_ISA_NAME(f) KEOPS_ISA_PASTE(f, base)");
  out.line("#endif");
  out.line("#define KEOPS_ISA_PASTE(f, isa) KEOPS_ISA_PASTE2(f, isa)");
  out.line("#define KEOPS_ISA_PASTE2(f, isa) f##isa");
}

/// `<module>_cpu_isa`: the ISA path the CPU kernels take in this process.
void emitCpuIsa(const ir::Module &module, IndentedWriter &out) {
  auto fn = out.block("extern \"C\" const char *" + module.name + "_cpu_isa(void)");
  out.line("#if defined(KEOPS_DISPATCH)");
  out.line("return keops_rt::isaName(keops_rt::isaLevel());");
  out.line("#else");
  out.line("return \"single\";");
  out.line("#endif");
}

void emitEntry(const ir::Module &module, const ir::EntryPoint &entry, bool withCuda,
               IndentedWriter &out) {
  out.line("// ---- " + entry.name + ": " + describeEntry(entry));
  out.line("//      " + commentSafe(entry.sourceText));
  out.line("namespace {");
  emitArgsStruct(entry, out);
  out.line("} // namespace");
  for (size_t k = 0; k < entry.stages.size(); ++k)
    if (simdEligible(entry, entry.stages[k]))
      emitSimdStage(module, entry, k, out);
  out.line("#if !defined(KEOPS_ISA_PASS)");
  out.line("#if defined(KEOPS_DISPATCH)");
  emitSimdKernelDeclarations(module, entry, out);
  out.line("#endif");
  out.line("namespace {");
  emitBatchArgs(entry, out);
  emitCpuKernels(module, entry, out);
  out.line("} // namespace");
  emitEntryFunctions(module, entry, withCuda, out);
  emitPartialEntryPoints(module, entry, withCuda, out);
  out.line("#endif");
  out.line();
}

} // namespace

std::string emitSource(const ir::Module &module, bool withCuda) {
  IndentedWriter out;
  for (const std::string &line : bannerLines(module))
    out.line("// " + line);
  out.raw(runtimeApiText());
  out.line("#include <memory>");
  out.raw(runtimePreludeText());
  out.line();
  emitIsaMacros(out);
  out.line();
  out.line("#if !defined(KEOPS_ISA_PASS)");
  out.line("namespace {");
  out.line("// The message of this thread's last failed call (DESIGN.md §4).");
  out.line("thread_local char lastError[512];");
  out.line("} // namespace");
  out.line();
  out.line("extern \"C\" const char *" + module.name + "_last_error(void) { return lastError; }");
  out.line();
  emitCpuIsa(module, out);
  out.line();
  emitRangesFromBlocks(module, out);
  if (withCuda)
    out.line(gpuMemoryDeclaration(module) + ";");
  out.line(gpuCountDeclaration(module) + ";");
  out.line("#endif");
  out.line();
  for (const ir::EntryPoint &entry : module.entryPoints)
    emitEntry(module, entry, withCuda, out);
  return out.str();
}

} // namespace keopsc::codegen
