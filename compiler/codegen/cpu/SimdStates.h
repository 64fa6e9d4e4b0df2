// Which reductions the SIMD CPU kernels cover, and the C++ type of their vector state
// (keops/host/simd_states.h, simd_log_sum_exp.h). One place decides both, so that a stage is
// only declared eligible for a state the runtime has.
#pragma once

#include "ir/Module.h"

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
};

/// The stage's vector state family in a kernel of `dtype`, or none when the stage keeps the
/// scalar loop (another accumulation type, Kahan LogSumExp, too many components).
std::optional<SimdStateKind> simdStateKind(const ir::Stage &stage, ir::Dtype dtype);

/// The C++ type of the stage's vector state, in a kernel where V is the vector type.
std::string simdStateType(const ir::Stage &stage);

} // namespace keopsc::codegen
