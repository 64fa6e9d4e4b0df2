// How a library gets its CUDA code: not at all (--backends=cpu, or no nvcc found), from nvcc, or
// as the CPU emulation of the GPU schedules (--cuda-emulate, for tests). Chosen once per run from
// the command line and the toolkit found.
#pragma once

#include "driver/CommandLine.h"

#include <optional>
#include <string>
#include <vector>

namespace keopsc::driver {

enum class CudaMode { None, Nvcc, Emulated };

struct CudaBuild {
  CudaMode mode = CudaMode::None;
  std::string nvcc; ///< Nvcc only
};

/// The build --backends and --cuda-emulate ask for. Asking for cuda explicitly without an nvcc
/// is an error (printed, nullopt); by default a missing nvcc means a CPU-only library.
std::optional<CudaBuild> chooseCudaBuild(const CommandLine &cl);

/// The command compiling the CUDA source `source` into `object`.
std::vector<std::string> cudaCompileCommand(const CudaBuild &build, const CommandLine &cl,
                                            const std::string &source, const std::string &object);

/// How many files the CUDA source of `cudaEntries` entry points is split into when `jobs`
/// compilers may run at once: one per kEntriesPerCudaPart entries, at most `jobs`. (Each file
/// parses the whole runtime again, so small modules stay in one.)
constexpr size_t kEntriesPerCudaPart = 16;
size_t cudaSourceParts(size_t cudaEntries, int jobs);

/// "nvcc" or "the host compiler", for diagnostics about that command.
const char *cudaToolName(const CudaBuild &build);

} // namespace keopsc::driver
