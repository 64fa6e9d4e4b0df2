// Emits the `_cuda` entry points of a module built without a CUDA backend: they validate the
// options and return KEOPS_ERROR_BACKEND_UNAVAILABLE (DESIGN.md §4). The CUDA backend replaces
// this emitter with real device code.
#pragma once

#include "ir/Module.h"
#include "support/IndentedWriter.h"

namespace keopsc::codegen {

void emitCudaStub(const ir::Module &module, const ir::Reduction &reduction, IndentedWriter &out);

} // namespace keopsc::codegen
