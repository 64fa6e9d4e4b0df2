// The library's CUDA source: for every entry point with the cuda backend, its argument struct,
// its stages' GPU structs and its run function, over the GPU runtime (RuntimeSources.h). nvcc
// compiles it beside the main source; compiled as C++ with -DKEOPS_GPU_EMULATE it runs the same
// schedules on the CPU (keopsc --cuda-emulate, for tests).
#pragma once

#include "ir/Module.h"

#include <string>
#include <vector>

namespace keopsc::codegen {

/// Whether any entry point asks for the cuda backend (else there is no CUDA source).
bool hasCudaEntries(const ir::Module &module);

/// The whole CUDA source in one file (--emit=cu).
std::string emitCudaSource(const ir::Module &module);

/// The CUDA source split into at most `parts` files (at least one), so that several nvcc
/// processes compile a large module side by side: each file holds the runtime and a contiguous
/// run of the entry points, the runs about equal in size; the first also the module's device
/// queries. Every definition outside the runtime's internal namespace is in exactly one file.
std::vector<std::string> emitCudaSources(const ir::Module &module, size_t parts);

} // namespace keopsc::codegen
