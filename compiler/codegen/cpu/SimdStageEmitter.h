// The SIMD CPU kernel of a stage: SIMD lanes across the reduced index (its inputs transposed
// once per call, keops/host/soa.h), register blocking over kBlockRows output rows, tiles of the
// reduced index sized for L1 and aligned on block_sum's blocks, the kernel plan's hoisting
// (parameters once per thread, output-row values once per row and tile, reduced-row values once
// per vector for all blocked rows). Vector math and states come from keops/host/simd*.h.
//
// The kernel is compiled once per ISA level (KEOPS_ISA_NAME gives each copy its suffix; see
// SourceEmitter.cpp) and takes plain pointers, so copies from different translation units link
// together. Stages it does not cover (ranges at run time, float16, reductions without a vector
// state (SimdStates.h), scratch storage, operations without a vector form) run the scalar row
// loop of CpuKernelEmitter.
#pragma once

#include "ir/Module.h"
#include "support/IndentedWriter.h"

#include <string>

namespace keopsc::codegen {

/// Whether emitSimdStage covers this stage.
bool simdEligible(const ir::EntryPoint &entry, const ir::Stage &stage);

/// The C name of stage `index`'s SIMD kernel without its ISA suffix.
std::string simdKernelName(const ir::Module &module, const ir::EntryPoint &entry, size_t index);

/// Defines `void KEOPS_ISA_NAME(<simdKernelName>)(const void *args, const T *const *soa,
/// int64_t npad, int64_t begin, int64_t end)`: output rows [begin, end) of one batch, whose
/// `<entry>_args` `args` points to, with `soa` the transposed reduced inputs by C position.
void emitSimdStage(const ir::Module &module, const ir::EntryPoint &entry, size_t index,
                   IndentedWriter &out);

} // namespace keopsc::codegen
