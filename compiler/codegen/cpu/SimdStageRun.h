// Runs a stage through its SIMD kernels (SimdStageEmitter.h) inside `<entry>_cpu_run`: the
// reduced inputs transposed once per call, the functions of the ISA level the CPU has picked
// (KEOPS_DISPATCH builds), then the output rows split over the threads, or, with few output
// rows, the reduced index split into parts (keops/host/reduced_parts.h) whose states are merged.
#pragma once

#include "codegen/cpu/SimdStageEmitter.h"
#include "ir/Module.h"
#include "support/IndentedWriter.h"

#include <initializer_list>

namespace keopsc::codegen {

/// Stage `k`'s run, for a call without ranges (in `<entry>_cpu_run`: a, o, B in scope).
void emitSimdStageRun(const ir::Module &module, const ir::EntryPoint &entry, size_t k,
                      IndentedWriter &out);

/// Local pointers to stage `k`'s SIMD `functions` (named kernel, merge, stateBytes, store) of
/// the ISA level the CPU has (KEOPS_DISPATCH builds), else of this translation unit's flags.
void emitSimdFunctionPick(const ir::Module &module, const ir::EntryPoint &entry, size_t k,
                          std::initializer_list<SimdFunction> functions, IndentedWriter &out);

/// Declares the AVX2 and AVX-512 copies of the entry's SIMD functions, which KEOPS_DISPATCH
/// builds compile in translation units of their own (at namespace scope: they are extern "C").
void emitSimdKernelDeclarations(const ir::Module &module, const ir::EntryPoint &entry,
                                IndentedWriter &out);

} // namespace keopsc::codegen
