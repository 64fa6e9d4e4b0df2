// Emits the CPU kernels of an entry point from its stages' kernel plans: one row function per
// stage (parameter-level values once per thread, output-row values once per row, the rest in
// the reduced loop) and `<entry>_cpu_run`, which spreads output rows over threads and runs each
// stage through its SIMD kernels (SimdStageRun.h) when it has them and the call no ranges.
// Argument validation and the C entry points come from EntryEmitter.
#pragma once

#include "codegen/ScalarStage.h"
#include "ir/Module.h"
#include "support/IndentedWriter.h"

namespace keopsc::codegen {

/// Defines `keops_status <entry>_cpu_run(const <entry>_args &a, const keops_options &o)`.
void emitCpuKernels(const ir::Module &module, const ir::EntryPoint &entry, IndentedWriter &out);

/// A scalar row function's per-thread setup: scratch, the state `state` (on the heap: K-min and
/// wide states are large), the parameters and everything that depends on nothing else.
void emitScalarThreadSetup(const ir::EntryPoint &entry, const ir::Stage &stage,
                           ScalarStageBody &body, IndentedWriter &out);

} // namespace keopsc::codegen
