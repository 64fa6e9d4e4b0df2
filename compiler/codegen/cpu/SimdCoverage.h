// Which stages the SIMD CPU kernels cover: the reductions with a vector state (and the C++ type
// of that state: keops/host/simd_states.h, simd_log_sum_exp.h, simd_chunked_*.h) and the
// operations with a vector form (keops/host/simd*.h). One place decides both, so that a stage is
// only declared eligible for what the runtime has.
#pragma once

#include "ir/Module.h"

#include <cstdint>
#include <optional>
#include <string>

namespace keopsc::codegen {

/// The families of vector states; each takes its terms in its own way (SimdStageEmitter).
enum class SimdStateKind {
  Sum,       ///< SumState (direct_sum, block_sum) or KahanSumState: add(term, live)
  LogSumExp, ///< LogSumExpState, without a weight: add(f, live)
  ShiftExp,  ///< ShiftExpState, the weighted family: add(term, weight or nullptr, live)
  KMin,      ///< KMinState: add(f, t, end of tile)
  MinMax,    ///< MinMaxState: add(term, t, live)
  /// SumState of a chunked term S·W (the plan's ChunkedTerm): the kernel stores S per pair and
  /// adds the block's products with addChunkedProducts (keops/host/simd_chunked_sum.h)
  ChunkedSum,
  /// ShiftExpState (direct) of the weighted family with a chunked weight: the kernel stores F per
  /// pair, addChunkedShiftExp (keops/host/simd_chunked_shift_exp.h) adds the block
  ChunkedShiftExp,
};

/// The stage's vector state family in a kernel of `dtype`, or none when the stage keeps the
/// scalar loop (another accumulation type, Kahan LogSumExp, too many components).
std::optional<SimdStateKind> simdStateKind(const ir::Stage &stage, ir::Dtype dtype);

/// The C++ type of the stage's vector state in a kernel of `dtype` where V is the vector type.
std::string simdStateType(const ir::Stage &stage, ir::Dtype dtype);

/// The fewest reduced indices for which the stage's SIMD kernel beats its scalar loop: a chunked
/// term's states are large (E sums per lane) and cost more to start and finish than a few terms
/// save; 0 for the others.
int64_t simdMinReduced(const ir::Stage &stage, ir::Dtype dtype);

/// Whether the SIMD kernels cover this stage: float32 or float64 data, a vector state, no
/// scratch storage, and every operation per reduced index with a vector form.
bool simdEligible(const ir::EntryPoint &entry, const ir::Stage &stage);

} // namespace keopsc::codegen
