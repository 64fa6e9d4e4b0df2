// Emits the C++ source of a module's library: banner, the embedded runtime, the thread-local
// error sink, then per entry point its argument struct, CPU and CUDA kernels (from the kernel
// plans) and C entry points. It only sequences the emitters of each part.
#pragma once

#include "ir/Module.h"

#include <string>

namespace keopsc::codegen {

std::string emitSource(const ir::Module &module);

} // namespace keopsc::codegen
