// The CUDA source; see CudaSourceEmitter.h.
#include "codegen/cuda/CudaSourceEmitter.h"

#include "codegen/Banner.h"
#include "codegen/EntryEmitter.h"
#include "codegen/RuntimeSources.h"
#include "codegen/cuda/CudaKernelEmitter.h"
#include "codegen/cuda/GpuStageEmitter.h"
#include "support/IndentedWriter.h"

namespace keopsc::codegen {

bool hasCudaEntries(const ir::Module &module) {
  for (const ir::EntryPoint &entry : module.entryPoints)
    if (entry.cudaBackend)
      return true;
  return false;
}

std::string emitCudaSource(const ir::Module &module) {
  IndentedWriter out;
  for (const std::string &line : bannerLines(module))
    out.line("// " + line);
  out.line("// The CUDA half of the library: nvcc compiles it (keops/cuda/device.h); with");
  out.line("// -DKEOPS_GPU_EMULATE a C++ compiler runs its schedules on the CPU (tests).");
  out.raw(runtimeApiText());
  out.raw(runtimeGpuPreludeText());
  out.line();
  {
    auto fn = out.block(gpuMemoryDeclaration(module));
    out.line("return keops_rt::gpuMemoryKind(static_cast<const keops_rt::ArrayArg *>(arrays), "
             "arrayCount);");
  }
  {
    auto fn = out.block(gpuCountDeclaration(module));
    out.line("return keops_rt::gpuDeviceCount();");
  }
  out.line();
  for (const ir::EntryPoint &entry : module.entryPoints) {
    if (!entry.cudaBackend)
      continue;
    out.line("// ---- " + entry.name + ": " + describeEntry(entry));
    out.line("namespace {");
    emitArgsStruct(entry, out);
    emitBatchArgs(entry, out);
    for (size_t k = 0; k < entry.stages.size(); ++k)
      emitGpuStage(entry, k, out);
    out.line("} // namespace");
    emitCudaRun(module, entry, out);
    out.line();
  }
  return out.str();
}

} // namespace keopsc::codegen
