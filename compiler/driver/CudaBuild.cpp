// The CUDA side of a library build; see CudaBuild.h.
#include "driver/CudaBuild.h"

#include "driver/Toolchain.h"

#include <algorithm>
#include <cstdio>

namespace keopsc::driver {

std::optional<CudaBuild> chooseCudaBuild(const CommandLine &cl) {
  const bool given = !cl.backends.empty();
  const bool wanted =
      !given || std::find(cl.backends.begin(), cl.backends.end(), "cuda") != cl.backends.end();
  CudaBuild build;
  if (!wanted) {
    if (cl.cudaEmulate) {
      std::fprintf(stderr, "keopsc: error: --cuda-emulate needs the cuda backend, but "
                           "--backends leaves it out\n");
      return std::nullopt;
    }
    return build;
  }
  if (cl.cudaEmulate) {
    build.mode = CudaMode::Emulated;
    return build;
  }
  build.nvcc = cudaCompiler();
  if (!build.nvcc.empty()) {
    build.mode = CudaMode::Nvcc;
    return build;
  }
  if (given) {
    std::fprintf(stderr, "keopsc: error: --backends asks for cuda, but no nvcc was found (set "
                         "NVCC, or install the CUDA Toolkit in /usr/local/cuda)\n");
    return std::nullopt;
  }
  return build;
}

std::vector<std::string> cudaCompileCommand(const CudaBuild &build, const CommandLine &cl,
                                            const std::string &source, const std::string &object) {
  std::vector<std::string> command;
  if (build.mode == CudaMode::Emulated) {
    command.push_back(hostCompiler());
    for (const std::string &flag : compileFlags())
      command.push_back(flag);
    command.insert(command.end(), {"-DKEOPS_GPU_EMULATE", "-x", "c++"});
  } else {
    // nvcc's defaults keep IEEE division and square roots and denormals (no fast-math,
    // SPEC.md §7.1); FMA contraction is allowed. --threads=0: the GPU architectures compile in
    // parallel, one thread each up to the CPU count (nvcc otherwise takes them one by one).
    // Diagnostic 177: unused runtime functions (internal linkage).
    command = {build.nvcc, "-ccbin",           hostCompiler(),       "-std=c++17",
               "-O3",      "-Xcompiler=-fPIC", "-diag-suppress=177", "--threads=0"};
    for (const std::string &flag :
         cudaCompileFlags(cl.cudaArchs.empty() ? defaultCudaArchs() : cl.cudaArchs))
      command.push_back(flag);
  }
  command.insert(command.end(), {"-c", source, "-o", object});
  return command;
}

size_t cudaSourceParts(size_t cudaEntries, int jobs) {
  const size_t wanted = (cudaEntries + kEntriesPerCudaPart - 1) / kEntriesPerCudaPart;
  return std::max<size_t>(1, std::min(wanted, static_cast<size_t>(std::max(1, jobs))));
}

const char *cudaToolName(const CudaBuild &build) {
  return build.mode == CudaMode::Nvcc ? "nvcc" : "the host compiler";
}

} // namespace keopsc::driver
