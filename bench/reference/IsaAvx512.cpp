// bench/reference/IsaAvx512.cpp: the reference kernels (the .inc files, written once) compiled for
// avx512 by a target pragma (so the rest of the binary stays baseline x86-64); Dispatch.cpp calls
// it only when the CPU has avx512. Not the dispatch.
#include "Kernels.h"

#include <climits>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <immintrin.h>

// GCC 12 reports an uninitialised operand inside its own AVX-512 intrinsics (_mm512_min_ps...).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC push_options
#pragma GCC target("avx512f,avx512dq,avx512bw,avx512vl,avx2,fma,bmi,bmi2")
#define REF_W 16
namespace keopsc_ref::avx512 {
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
} // namespace keopsc_ref::avx512
#undef REF_W
#pragma GCC pop_options

namespace keopsc_ref {
const KernelTable avx512Table = {"avx512",           avx512::gaussRows,   avx512::laplaceRows,
                                 avx512::lseRows,    avx512::gaussDxRows, avx512::argKMin10Rows,
                                 avx512::gauss64Rows};
} // namespace keopsc_ref
