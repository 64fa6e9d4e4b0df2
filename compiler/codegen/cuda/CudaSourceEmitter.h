// The library's CUDA source: for every entry point with the cuda backend, its argument struct,
// its stages' GPU structs and its run function, over the GPU runtime (RuntimeSources.h). nvcc
// compiles it beside the main source; compiled as C++ with -DKEOPS_GPU_EMULATE it runs the same
// schedules on the CPU (keopsc --cuda-emulate, for tests).
#pragma once

#include "ir/Module.h"

#include <string>

namespace keopsc::codegen {

/// Whether any entry point asks for the cuda backend (else there is no CUDA source).
bool hasCudaEntries(const ir::Module &module);

std::string emitCudaSource(const ir::Module &module);

} // namespace keopsc::codegen
