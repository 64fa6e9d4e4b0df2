// The sharding entry points of an entry point (hasPartials, PartialState.h), on the CPU:
// <module>_<name>_partial reduces (on the GPU too, for the cuda backend: GpuPartialEmitter.h) a
// part of the reduced axis, whose rows carry their indices in the whole axis, into one stored state
// per output row; _merge joins two parts' states; and _finalize writes what the one-call entry
// point writes. Each checks its arguments as the one-call entry point does (SPEC.md §7.3).
#pragma once

#include "ir/Module.h"
#include "support/IndentedWriter.h"

namespace keopsc::codegen {

/// Defines the three C functions (nothing for an entry point without partials); `withCuda`:
/// the library has CUDA code, whose `_partial_cuda_run` the cuda backend calls.
void emitPartialEntryPoints(const ir::Module &module, const ir::EntryPoint &entry, bool withCuda,
                            IndentedWriter &out);

} // namespace keopsc::codegen
