// bench/reference/IsaBaseline.cpp: the reference kernels (the .inc files, written once) the
// baseline every x86-64 runs; Dispatch.cpp falls back to it. Not the dispatch.
#include "Kernels.h"

#include <climits>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <immintrin.h>

// No target pragma: SSE2 (4 lanes, no FMA) is in every x86-64.
#define REF_W 4
namespace keopsc_ref::baseline {
namespace {
// The vector types first, then exp2, then the kernels that use them.
// clang-format off
#include "Simd.inc"
#include "Exp2.inc"
#include "WideDot.inc"
#include "ArgKMin.inc"
#include "GaussGrad.inc"
#include "GaussSum.inc"
#include "GaussSum64.inc"
#include "LaplaceSum.inc"
#include "LogSumExp.inc"
// clang-format on
} // namespace
} // namespace keopsc_ref::baseline
#undef REF_W

namespace keopsc_ref {
const KernelTable baselineTable = {
    "baseline",           baseline::gaussRows,   baseline::laplaceRows,
    baseline::lseRows,    baseline::gaussDxRows, baseline::argKMin10Rows,
    baseline::gauss64Rows};
} // namespace keopsc_ref
