// The SIMD CPU kernel of a stage: SIMD lanes across the reduced index (its inputs transposed
// once per call, keops/host/soa.h), register blocking over kBlockRows output rows, tiles of the
// reduced index sized for L1 and aligned on block_sum's blocks, the kernel plan's hoisting
// (parameters once per thread, output-row values once per row and tile, reduced-row values once
// per vector for all blocked rows). Vector math and states come from keops/host/simd*.h.
//
// The kernel is compiled once per ISA level (KEOPS_ISA_NAME gives each copy its suffix; see
// SourceEmitter.cpp) and takes plain pointers, so copies from different translation units link
// together. Stages it does not cover (ranges at run time, float16, reductions without a vector
// state (SimdCoverage.h), scratch storage, operations without a vector form) run the scalar row
// loop of CpuKernelEmitter.
#pragma once

#include "ir/Module.h"
#include "support/IndentedWriter.h"

#include <string>

namespace keopsc::codegen {

/// The functions of a stage's SIMD code, each compiled once per ISA level.
enum class SimdFunction {
  Kernel,     ///< reduces rows over a part of the reduced index (all of it, or a part)
  Merge,      ///< merges the parts' states of rows and finishes them
  StateBytes, ///< the size of one row's state
  Store,      ///< rows' states as the portable states of the sharding entry points
};

/// The C name of one of stage `index`'s SIMD functions without its ISA suffix.
std::string simdKernelName(const ir::Module &module, const ir::EntryPoint &entry, size_t index,
                           SimdFunction function = SimdFunction::Kernel);

/// Defines, per ISA (KEOPS_ISA_NAME), for output rows of one batch whose `<entry>_args` `args`
/// points to, with `soa` the transposed reduced inputs by C position:
/// - `void <Kernel>(const void *args, const T *const *soa, int64_t npad, int64_t begin,
///   int64_t end, int64_t red0, int64_t red1, void *partial)`: rows [begin, end) over the
///   reduced indices [red0, red1) (red0 and, unless it is the end, red1 multiples of 1024),
///   finished into the outputs when `partial` is null, else their states stored there;
/// - `void <Merge>(const void *args, void *partials, int64_t parts, int64_t stride,
///   int64_t begin, int64_t end)`: rows [begin, end) of parts' states `stride` bytes apart,
///   merged in part order and finished;
/// - `int64_t <StateBytes>()`: the bytes of one row's state (a multiple of its alignment, 64 at
///   most);
/// - for an entry point with partials (PartialState.h), `void <Store>(const void *states,
///   int64_t begin, int64_t end, int64_t offset, void *stored)`: rows [begin, end) of one part's
///   states as the portable states `_partial` stores, indices moved by `offset`.
void emitSimdStage(const ir::Module &module, const ir::EntryPoint &entry, size_t index,
                   IndentedWriter &out);

} // namespace keopsc::codegen
