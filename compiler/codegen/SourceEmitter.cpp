// The library source; see SourceEmitter.h.
#include "codegen/SourceEmitter.h"

#include "codegen/Banner.h"
#include "codegen/EntryEmitter.h"
#include "codegen/RuntimeSources.h"
#include "codegen/Signature.h"
#include "codegen/cpu/CpuKernelEmitter.h"
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

} // namespace

std::string emitSource(const ir::Module &module) {
  IndentedWriter out;
  for (const std::string &line : bannerLines(module))
    out.line("// " + line);
  out.raw(runtimeApiText());
  out.line("#include <memory>");
  out.raw(runtimePreludeText());
  out.line();
  out.line("namespace {");
  out.line("// The message of this thread's last failed call (DESIGN.md §4).");
  out.line("thread_local char lastError[512];");
  out.line("} // namespace");
  out.line();
  out.line("extern \"C\" const char *" + module.name + "_last_error(void) { return lastError; }");
  out.line();
  emitRangesFromBlocks(module, out);
  out.line();
  for (const ir::EntryPoint &entry : module.entryPoints) {
    out.line("// ---- " + entry.name + ": " + describeEntry(entry));
    out.line("//      " + commentSafe(entry.sourceText));
    out.line("namespace {");
    emitArgsStruct(entry, out);
    emitBatchArgs(entry, out);
    emitCpuKernels(entry, out);
    emitCudaKernels(module, entry, out);
    out.line("} // namespace");
    emitEntryFunctions(module, entry, out);
    out.line();
  }
  return out.str();
}

} // namespace keopsc::codegen
