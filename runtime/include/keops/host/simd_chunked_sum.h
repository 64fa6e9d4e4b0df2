// keops/host/simd_chunked_sum.h: the SIMD CPU kernels' chunked terms (the kernel plan's
// ChunkedTerm, enable_chunks in SPEC.md §5.1): a Sum of S·W, S a scalar and W a reduced input of
// more components than a vector state keeps in registers. The kernel stores S, once per pair,
// for a block of reduced indices; at the block's end, addChunkedProducts() accumulates S·W into
// the rows' sums (a SumState's, or the weighted LogSumExp family's in simd_chunked_shift_exp.h)
// a few components at a time, with no temporary as wide as W.
#ifndef KEOPS_HOST_SIMD_CHUNKED_SUM_H
#define KEOPS_HOST_SIMD_CHUNKED_SUM_H

#include "keops/host/simd.h"

#include <cstdint>
#include <cstring>

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpsabi"

namespace keops_rt {
namespace {
namespace simd {

/// Stores v at p; a partial vector stores `dead` in its dead lanes (zero: they add nothing).
template <class V>
KEOPS_SIMD_INLINE void storeLive(V v, AllLanes, typename V::Scalar *p,
                                 typename V::Scalar = typename V::Scalar(0)) {
  std::memcpy(p, &v, sizeof v);
}
template <class V>
KEOPS_SIMD_INLINE void storeLive(V v, typename V::Mask live, typename V::Scalar *p,
                                 typename V::Scalar dead = typename V::Scalar(0)) {
  storeLive(select(live, v, V(dead)), AllLanes{}, p);
}

/// Components accumulated together (C): Rows × C sums stay in registers with the Rows scalars and
/// one component of W (16 vector registers below AVX-512, 32 with it).
template <class V> constexpr int chunkComponents() { return sizeof(V) >= 64 ? 4 : 2; }

/// Components [c, c + C) of the block: Σ_t s_q(t)·W_k(t) per lane, added to the rows' totals.
template <int C, int Rows, class V>
KEOPS_SIMD_INLINE void addChunk(V *const *totals, const typename V::Scalar *s, int64_t sStride,
                                const typename V::Scalar *w, int64_t npad, int64_t count,
                                int64_t c) {
  V acc[Rows][C];
  for (int q = 0; q < Rows; ++q)
    for (int k = 0; k < C; ++k)
      acc[q][k] = V::zero();
  for (int64_t t = 0; t < count; t += V::kLanes) {
    V sq[Rows];
    for (int q = 0; q < Rows; ++q)
      sq[q] = V::load(s + q * sStride + t);
    for (int k = 0; k < C; ++k) {
      const V wk = V::load(w + (c + k) * npad + t);
      for (int q = 0; q < Rows; ++q)
        acc[q][k] += sq[q] * wk;
    }
  }
  for (int q = 0; q < Rows; ++q)
    for (int k = 0; k < C; ++k)
      totals[q][c + k] += acc[q][k];
}

/// Adds Σ_t s_q(t)·W(t) over one block of reduced indices to the E sums at totals[q] (a
/// SumState's `total`) of each of `Rows` rows. s holds the rows' scalars, `sStride` apart, zero
/// past the block's last index up to a whole vector; w is
/// W's first component at the block's first index (components `npad` apart, zero-padded). Each
/// lane sums its terms of the block from zero and adds that to its total, as SumState's
/// block_sum does; the order of the terms does not depend on the thread count.
template <int Rows, int64_t E, class V>
void addChunkedProducts(V *const *totals, const typename V::Scalar *s, int64_t sStride,
                        const typename V::Scalar *w, int64_t npad, int64_t count) {
  constexpr int C = chunkComponents<V>();
  constexpr int64_t kWhole = E / C * C;
  for (int64_t c = 0; c < kWhole; c += C)
    addChunk<C, Rows>(totals, s, sStride, w, npad, count, c);
  for (int64_t c = kWhole; c < E; ++c)
    addChunk<1, Rows>(totals, s, sStride, w, npad, count, c);
}

} // namespace simd
} // namespace
} // namespace keops_rt

#pragma GCC diagnostic pop

#endif
