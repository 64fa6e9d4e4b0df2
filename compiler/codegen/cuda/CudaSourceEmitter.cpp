// The CUDA source; see CudaSourceEmitter.h.
#include "codegen/cuda/CudaSourceEmitter.h"

#include "codegen/Banner.h"
#include "codegen/EntryEmitter.h"
#include "codegen/PartialState.h"
#include "codegen/RuntimeSources.h"
#include "codegen/cuda/CudaKernelEmitter.h"
#include "codegen/cuda/GpuPartialEmitter.h"
#include "codegen/cuda/GpuStageEmitter.h"
#include "support/IndentedWriter.h"

#include <algorithm>

namespace keopsc::codegen {

bool hasCudaEntries(const ir::Module &module) {
  for (const ir::EntryPoint &entry : module.entryPoints)
    if (entry.cudaBackend)
      return true;
  return false;
}

namespace {

/// The text every part starts with: the banner and the runtime.
std::string partPrologue(const ir::Module &module) {
  IndentedWriter out;
  for (const std::string &line : bannerLines(module))
    out.line("// " + line);
  out.line("// The CUDA half of the library: nvcc compiles it (keops/cuda/device.h); with");
  out.line("// -DKEOPS_GPU_EMULATE a C++ compiler runs its schedules on the CPU (tests).");
  out.raw(runtimeApiText());
  out.raw(runtimeGpuPreludeText());
  out.line();
  return out.str();
}

/// The module's device queries, which the main source calls (one definition in the library).
std::string deviceQueries(const ir::Module &module) {
  IndentedWriter out;
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
  return out.str();
}

/// One entry point's CUDA code: its structs and stages (internal) and its run function.
std::string entryCode(const ir::Module &module, const ir::EntryPoint &entry) {
  IndentedWriter out;
  out.line("// ---- " + entry.name + ": " + describeEntry(entry));
  out.line("namespace {");
  emitArgsStruct(entry, out);
  emitBatchArgs(entry, out);
  emitGpuArgs(entry, out);
  for (size_t k = 0; k < entry.stages.size(); ++k)
    emitGpuStage(entry, k, out);
  out.line("} // namespace");
  emitCudaRun(module, entry, out);
  if (hasGpuPartial(entry))
    emitGpuPartialRun(module, entry, out);
  out.line();
  return out.str();
}

} // namespace

std::string emitCudaSource(const ir::Module &module) { return emitCudaSources(module, 1)[0]; }

std::vector<std::string> emitCudaSources(const ir::Module &module, size_t parts) {
  std::vector<std::string> entries;
  size_t total = 0;
  for (const ir::EntryPoint &entry : module.entryPoints)
    if (entry.cudaBackend) {
      entries.push_back(entryCode(module, entry));
      total += entries.back().size();
    }
  parts = std::max<size_t>(1, std::min(parts, entries.size()));
  const std::string prologue = partPrologue(module);
  std::vector<std::string> sources(1, prologue + deviceQueries(module));
  // Greedy, in order: a part is closed once it holds its share of what is left.
  size_t done = 0, inPart = 0;
  for (const std::string &code : entries) {
    const size_t share = (total - done + inPart) / (parts - sources.size() + 1);
    if (inPart > 0 && inPart + code.size() / 2 > share && sources.size() < parts) {
      sources.push_back(prologue);
      inPart = 0;
    }
    sources.back() += code;
    inPart += code.size();
    done += code.size();
  }
  return sources;
}

} // namespace keopsc::codegen
