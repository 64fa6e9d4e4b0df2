// Emits an entry point's C face once, for every backend: its argument struct, the validation
// every call goes through (options, availability, sizes, arrays, K, ranges) before anything is
// written, and the extern "C" `<module>_<entry>`, `_cpu` and `_cuda` functions. Kernels come
// from cpu/ and cuda/.
#pragma once

#include "ir/Module.h"
#include "support/IndentedWriter.h"

namespace keopsc::codegen {

/// The `<entry>_args` struct the kernels read (inside the caller's anonymous namespace).
void emitArgsStruct(const ir::EntryPoint &entry, IndentedWriter &out);
/// The arguments of batch b (SPEC.md §5.4), every array offset to its b-th block but shared
/// inputs: `<entry>_steps` (each array's elements per batch, 0 when shared) from
/// `<entry>_batch_steps(a, o)`, `<entry>_at_batch(a, steps, b)` (host and device), and
/// `<entry>_batch(a, o, b)`.
void emitBatchArgs(const ir::EntryPoint &entry, IndentedWriter &out);
/// The validating call and the extern "C" functions (after the kernels). `withCuda`: the library
/// has a CUDA source whose `<module>_<entry>_cuda_run` the `_cuda` calls reach (else they
/// return KEOPS_ERROR_BACKEND_UNAVAILABLE).
void emitEntryFunctions(const ir::Module &module, const ir::EntryPoint &entry, bool withCuda,
                        IndentedWriter &out);

} // namespace keopsc::codegen
