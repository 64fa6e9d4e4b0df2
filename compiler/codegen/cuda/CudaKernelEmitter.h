// Emits the CUDA side of an entry point from its stages' kernel plans. Until the CUDA backend
// lands it is a stub: `<entry>_cuda_run` reports KEOPS_ERROR_BACKEND_UNAVAILABLE, and the
// library references no CUDA symbol. The real emitter replaces this file's body, not its shape.
#pragma once

#include "ir/Module.h"
#include "support/IndentedWriter.h"

namespace keopsc::codegen {

/// Whether this build of keopsc emits device code (EntryEmitter checks it before validating).
bool cudaBackendAvailable();

/// Defines `keops_status <entry>_cuda_run(const <entry>_args &a, const keops_options &o,
/// const keops_rt::ErrorSink &err)`.
void emitCudaKernels(const ir::Module &module, const ir::EntryPoint &entry, IndentedWriter &out);

} // namespace keopsc::codegen
