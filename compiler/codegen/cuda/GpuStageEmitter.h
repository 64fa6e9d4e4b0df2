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

} // namespace keopsc::codegen
