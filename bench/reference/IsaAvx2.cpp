// bench/reference/IsaAvx2.cpp: the reference kernels (the .inc files, written once) compiled for
// avx2 by a target pragma (so the rest of the binary stays baseline x86-64); Dispatch.cpp calls it
// only when the CPU has avx2. Not the dispatch.
#include "Kernels.h"

#include <climits>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <immintrin.h>

#pragma GCC push_options
#pragma GCC target("avx2,fma,bmi,bmi2")
#define REF_W 8
namespace keopsc_ref::avx2 {
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
} // namespace keopsc_ref::avx2
#undef REF_W
#pragma GCC pop_options

namespace keopsc_ref {
const KernelTable avx2Table = {"avx2",           avx2::gaussRows,   avx2::laplaceRows,
                               avx2::lseRows,    avx2::gaussDxRows, avx2::argKMin10Rows,
                               avx2::gauss64Rows};
} // namespace keopsc_ref
