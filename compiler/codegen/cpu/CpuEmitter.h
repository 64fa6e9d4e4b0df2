// Emits the C++ source of a module's library: the embedded runtime, one row kernel per
// reduction (hoisting output-row-only subterms out of the reduced loop), validated `_cpu`
// entry points and the dispatching entry points. CUDA entry points come from cuda/.
#pragma once

#include "ir/Module.h"

#include <string>

namespace keopsc::codegen {

std::string emitCpuSource(const ir::Module &module);

} // namespace keopsc::codegen
