// Emits the C++ source of a module's library: banner, the embedded runtime, the thread-local
// error sink, then per entry point its argument struct, CPU and CUDA kernels (from the kernel
// plans) and C entry points. It only sequences the emitters of each part.
#pragma once

#include "ir/Module.h"

#include <string>

namespace keopsc::codegen {

/// `withCuda`: the library also holds the module's CUDA source (cuda/CudaSourceEmitter.h),
/// whose run functions the `_cuda` entry points call.
std::string emitSource(const ir::Module &module, bool withCuda);

} // namespace keopsc::codegen
