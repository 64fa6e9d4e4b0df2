// The CUDA half of an entry point's `_partial` (README, "Sharding"): the part runs through the
// stage's GPU schedule and kernels (GPU_1D or GPU_2D, as the one-call `_cuda` entry point runs
// them), with the states set in its arguments (gpuArgsType, GpuStageEmitter.h): where the
// one-call would finish an output row, the row's reduction state is stored, its indices moved by
// the part's offset. The same bytes as a CPU part's, so the host's _merge and _finalize take
// parts of either backend.
#pragma once

#include "ir/Module.h"
#include "support/IndentedWriter.h"

#include <string>

namespace keopsc::codegen {

/// The `extern "C"` declaration of `<module>_<entry>_partial_cuda_run(args, offset, opts,
/// arrays, count, mode, error, errorSize)`: `args` the entry's argument struct (outputs null),
/// `arrays` the _partial's ArrayArg table (the inputs, then the states), `mode` as for
/// cudaRunDeclaration. Both sources use it.
std::string gpuPartialRunDeclaration(const ir::Module &module, const ir::EntryPoint &entry);
std::string gpuPartialRunSymbol(const ir::Module &module, const ir::EntryPoint &entry);

/// Defines `<module>_<entry>_partial_cuda_run` (for entry points with hasGpuPartial).
void emitGpuPartialRun(const ir::Module &module, const ir::EntryPoint &entry, IndentedWriter &out);

} // namespace keopsc::codegen
