// keops/host/simd_chunked_shift_exp.h: the weighted LogSumExp family (LogSumExp with a weight,
// LogSumExpWeight, SumSoftMaxWeight, Max_SumShiftExpWeight) with a chunked weight: W, a reduced
// input of more components than a vector state keeps in registers (the kernel plan's
// ChunkedTerm). The kernel stores F for a block of reduced indices (−∞ in dead lanes);
// addChunkedShiftExp() raises each lane's maximum m to the block's maximum, rescaling its sums
// once, turns F into e^(F − m) and adds e·W a few components at a time with the chunked Sum's
// products (keops/host/simd_chunked_sum.h). The state is ShiftExpState's (direct: no block sums),
// so merge() and finish() are its own and the results follow the scalar rules of
// SPEC.md §4: a NaN F poisons its row, equal maxima (+∞ included) shift by exactly 1, and a −∞
// term adds nothing, its weight not even read. A row whose block holds a NaN or +∞ term, or a
// −∞ term where W is not finite, takes those rules lane by lane, term by term.
#ifndef KEOPS_HOST_SIMD_CHUNKED_SHIFT_EXP_H
#define KEOPS_HOST_SIMD_CHUNKED_SHIFT_EXP_H

#include "keops/host/simd.h"
#include "keops/host/simd_chunked_sum.h"
#include "keops/host/simd_exp.h"
#include "keops/host/simd_log_sum_exp.h"

#include <cstdint>

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpsabi"

namespace keops_rt {
namespace {
namespace simd {

/// What a row's block of F holds beyond finite terms.
struct BlockScan {
  bool nanOrPlusInfinity = false;
  bool minusInfinity = false;
};

/// Scans a row's block [0, count) of F, raising `top` to its maximum. The −∞ past `count` (dead
/// lanes) are not counted: they would only send the row to the weight scan for nothing.
template <class V> BlockScan scanBlock(const typename V::Scalar *f, int64_t count, V &top) {
  using T = typename V::Scalar;
  BlockScan scan;
  for (int64_t t = 0; t < count; t += V::kLanes) {
    const V x = V::load(f + t);
    scan.nanOrPlusInfinity |= anyNanOrPlusInfinity(x);
    typename V::Mask minus = x == V(-infinity<T>());
    if (t + V::kLanes > count)
      minus &= V::iota() < V(T(count - t));
    scan.minusInfinity |= any(minus);
    top = vmax(top, x);
  }
  return scan;
}

/// Whether some value of W's block [0, count) is ±∞ or NaN (a −∞ term must not read it).
template <class V, int64_t E>
bool anyWeightNotFinite(const typename V::Scalar *w, int64_t npad, int64_t count) {
  using T = typename V::Scalar;
  const V huge(std::numeric_limits<T>::max());
  for (int64_t k = 0; k < E; ++k)
    for (int64_t t = 0; t < count; t += V::kLanes)
      if (anyNotLessEqual(vabs(V::load(w + k * npad + t)), huge))
        return true;
  return false;
}

/// Raises the lanes' maximum to `top` (rescaling the sums where it rises), turns the block's F
/// into e^(F − m) in place (0 for −∞) and adds them to the denominator.
template <class V, int64_t E, class Final>
void shiftBlock(ShiftExpState<V, E, false, Final> &st, typename V::Scalar *f, int64_t count,
                V top) {
  using T = typename V::Scalar;
  if (any(top > st.m)) {
    const V factor = shiftFactor(st.m, top);
    for (int64_t k = 0; k <= E; ++k)
      st.total[k] *= factor;
    st.m = top;
  }
  V den = V::zero();
  for (int64_t t = 0; t < count; t += V::kLanes) {
    const V x = V::load(f + t);
    const V e = select(x > V(-infinity<T>()), vexp(x - st.m), V::zero());
    storeLive(e, AllLanes{}, f + t);
    den += e;
  }
  st.total[E] += den;
}

/// The scalar rules, lane by lane and term by term, for a block [0, count) of F.
template <class V, int64_t E, class Final>
KEOPS_SIMD_COLD void addBlockLaneByLane(ShiftExpState<V, E, false, Final> &st,
                                        const typename V::Scalar *f, const typename V::Scalar *w,
                                        int64_t npad, int64_t count) {
  using T = typename V::Scalar;
  for (int64_t t = 0; t < count; ++t) {
    const int l = int(t % V::kLanes);
    T e;
    if (!laneTerm(st.m, st.nan, l, f[t], st.blockSums(), st.total, E + 1, e))
      continue;
    for (int64_t k = 0; k < E; ++k)
      st.total[k].set(l, st.total[k][l] + e * w[k * npad + t]);
    st.total[E].set(l, st.total[E][l] + e);
  }
}

/// Adds one block of reduced indices to each of `Rows` states: f holds the rows' F values,
/// `fStride` apart, −∞ past the block's last index up to a whole vector (overwritten with
/// e^(F − m)); w is W's first component at the block's first index (components `npad` apart).
template <int Rows, class V, int64_t E, class Final>
void addChunkedShiftExp(ShiftExpState<V, E, false, Final> *const *rows, typename V::Scalar *f,
                        int64_t fStride, const typename V::Scalar *w, int64_t npad, int64_t count) {
  bool plain[Rows], allPlain = true;
  int weightsChecked = 0; // 0: not yet; 1: all finite; 2: some not finite
  for (int q = 0; q < Rows; ++q) {
    typename V::Scalar *fq = f + q * fStride;
    V top = rows[q]->m;
    const BlockScan scan = scanBlock(fq, count, top);
    if (scan.minusInfinity && !scan.nanOrPlusInfinity && weightsChecked == 0)
      weightsChecked = anyWeightNotFinite<V, E>(w, npad, count) ? 2 : 1;
    plain[q] = !scan.nanOrPlusInfinity && !(scan.minusInfinity && weightsChecked == 2);
    allPlain &= plain[q];
    if (plain[q])
      shiftBlock(*rows[q], fq, count, top);
    else
      addBlockLaneByLane(*rows[q], fq, w, npad, count);
  }
  // The E sums are the first E totals; the denominator, the last, is already added.
  if (allPlain) {
    V *totals[Rows];
    for (int q = 0; q < Rows; ++q)
      totals[q] = rows[q]->total;
    addChunkedProducts<Rows, E>(totals, f, fStride, w, npad, count);
    return;
  }
  for (int q = 0; q < Rows; ++q)
    if (plain[q]) {
      V *totals[1] = {rows[q]->total};
      addChunkedProducts<1, E>(totals, f + q * fStride, fStride, w, npad, count);
    }
}

} // namespace simd
} // namespace
} // namespace keops_rt

#pragma GCC diagnostic pop

#endif
