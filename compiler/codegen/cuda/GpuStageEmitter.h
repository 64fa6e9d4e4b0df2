// The per-stage half of the CUDA source: for stage k of an entry point, the struct
// `<entry>_s<k>_gpu` that the GPU schedules of keops/portable/gpu_schedule.h run (its Thread
// state, the staging of a reduced row into shared memory, the terms of a tile, the finish). Its
// statements come from the same kernel plan and scalar stage body as the CPU's row loop.
#pragma once

#include "ir/EntryPoint.h"
#include "support/IndentedWriter.h"

#include <string>

namespace keopsc::codegen {

/// `<entry>_s<index>_gpu`.
std::string gpuStageName(const ir::EntryPoint &entry, size_t index);

/// Defines the struct of stage `index` (inside the CUDA source's anonymous namespace, after the
/// entry's argument struct).
void emitGpuStage(const ir::EntryPoint &entry, size_t index, IndentedWriter &out);

/// The GPU stages' argument type: the entry's `_args`, or for an entry with a GPU partial
/// (hasGpuPartial) `<entry>_gpu_args`, which adds the part's offset and states: where states is
/// set, the stage's end() stores each row's state there instead of finishing it. One kernel
/// serves both calls (a second stage type would double nvcc's work for every entry point).
std::string gpuArgsType(const ir::EntryPoint &entry);

/// Defines `<entry>_gpu_args` where gpuArgsType needs it (internal; before the stages).
void emitGpuArgs(const ir::EntryPoint &entry, IndentedWriter &out);

} // namespace keopsc::codegen
