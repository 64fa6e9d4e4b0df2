// keops/host/simd_states.h: the vector forms of the reduction states (portable/reductions.h)
// that the SIMD CPU kernels use: sums (direct, block, Kahan), K-min and min-max here, the
// LogSumExp family in keops/host/simd_log_sum_exp.h. Each lane reduces every W-th term of a row's
// reduced index; the kernels pass AllLanes for full vectors and a lane mask (`live`) for a tile's
// last, partial one, so that the padding past the last term adds nothing; finish() combines the
// lanes in lane order, so results do not depend on the thread count.
#ifndef KEOPS_HOST_SIMD_STATES_H
#define KEOPS_HOST_SIMD_STATES_H

#include "keops/host/simd.h"
#include "keops/portable/accumulators.h"
#include "keops/portable/half.h"
#include "keops/portable/reductions.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpsabi"

namespace keops_rt {
namespace {
namespace simd {

/// Sum of D components. Blocked (block_sum, SPEC.md §7.2): each lane sums its terms of the
/// current block of 256 reduced indices in `block`, and the kernel calls endBlock() at every
/// block boundary (a multiple of 256, or the last term), which adds the block into `total`.
/// Direct (direct_sum): terms go straight into `total` (W interleaved partial sums). T is the
/// accumulation type too: the SIMD kernels take only dtype_acc = dtype.
template <class V, int64_t D, bool Blocked> struct SumState {
  V block[D];
  V total[D];
  void init() {
    for (int64_t k = 0; k < D; ++k)
      block[k] = total[k] = V::zero();
  }
  KEOPS_SIMD_INLINE void add(const V *f, AllLanes) {
    for (int64_t k = 0; k < D; ++k)
      (Blocked ? block[k] : total[k]) += f[k];
  }
  KEOPS_SIMD_INLINE void add(const V *f, typename V::Mask live) {
    for (int64_t k = 0; k < D; ++k)
      (Blocked ? block[k] : total[k]) += select(live, f[k], V::zero());
  }
  void endBlock() {
    if (!Blocked)
      return;
    for (int64_t k = 0; k < D; ++k) {
      total[k] += block[k];
      block[k] = V::zero();
    }
  }
  /// Adds the state of a later part of the reduced index (parts end on block boundaries).
  void merge(SumState &o) {
    endBlock();
    o.endBlock();
    for (int64_t k = 0; k < D; ++k)
      total[k] += o.total[k];
  }
  template <class Out> void finish(Out *out) {
    endBlock();
    for (int64_t k = 0; k < D; ++k)
      out[k] = storeAs<Out>(laneSum(total[k]));
  }
  /// The portable state finish() would finish (the sharding entry points store it).
  keops_rt::SumState<typename V::Scalar, DirectAcc<typename V::Scalar>, D> stored() {
    endBlock();
    keops_rt::SumState<typename V::Scalar, DirectAcc<typename V::Scalar>, D> out;
    for (int64_t k = 0; k < D; ++k)
      out.acc[k].s = laneSum(total[k]);
    return out;
  }
};

/// Sum of D components with Kahan compensation (kahan_scheme, SPEC.md §7.2): each lane keeps a
/// running sum and the rounding error it carries (KahanAcc's rule), dead lanes of a partial
/// vector keep theirs unchanged; finish() merges the lanes with compensation, in lane order.
template <class V, int64_t D> struct KahanSumState {
  V sum[D];
  V comp[D]; ///< the true sum is about sum − comp
  void init() {
    for (int64_t k = 0; k < D; ++k)
      sum[k] = comp[k] = V::zero();
  }
  KEOPS_SIMD_INLINE void add(const V *f, AllLanes) {
    for (int64_t k = 0; k < D; ++k)
      addTo(k, f[k]);
  }
  KEOPS_SIMD_INLINE void add(const V *f, typename V::Mask live) {
    for (int64_t k = 0; k < D; ++k) {
      const V y = f[k] - comp[k];
      const V t = sum[k] + y;
      comp[k] = select(live, (t - sum[k]) - y, comp[k]);
      sum[k] = select(live, t, sum[k]);
    }
  }
  void endBlock() {}
  /// Adds a later part's lanes with compensation, as KahanAcc::merge does.
  void merge(const KahanSumState &o) {
    for (int64_t k = 0; k < D; ++k) {
      addTo(k, o.sum[k]);
      addTo(k, -o.comp[k]);
    }
  }
  template <class Out> void finish(Out *out) const { stored().finish(out); }
  /// The lanes merged with compensation, in lane order: the portable state finish() finishes.
  keops_rt::SumState<typename V::Scalar, KahanAcc<typename V::Scalar>, D> stored() const {
    using T = typename V::Scalar;
    keops_rt::SumState<T, KahanAcc<T>, D> out;
    for (int64_t k = 0; k < D; ++k) {
      KahanAcc<T> all;
      for (int l = 0; l < V::kLanes; ++l) {
        KahanAcc<T> lane;
        lane.s = sum[k][l];
        lane.c = comp[k][l];
        all.merge(lane);
      }
      out.acc[k] = all;
    }
    return out;
  }

private:
  KEOPS_SIMD_INLINE void addTo(int64_t k, V x) {
    const V y = x - comp[k];
    const V t = sum[k] + y;
    comp[k] = (t - sum[k]) - y;
    sum[k] = t;
  }
};

/// The K smallest values of a scalar term with their indices: the scalar KMinState, fed only
/// the vectors that can enter it. Indices grow along a row's scan, so a term equal to the K-th
/// best never enters (the earlier index wins the tie) and one vector compare against the K-th
/// value skips most vectors; until K terms were seen, while the K-th best is NaN, and for NaN
/// terms (which sort last), every live lane goes through KMinState's own rules. Exactly the
/// scalar state's result.
template <class V, int64_t K> struct KMinState {
  using T = typename V::Scalar;
  keops_rt::KMinState<T, K, 1> best;
  V bound; ///< the K-th best value once K terms are in, NaN before (and while it is NaN)
  void init() {
    best.init();
    bound = V(std::numeric_limits<T>::quiet_NaN());
  }
  /// f holds the terms of indices t, t + 1, …; lanes at or past `end` are not terms. The
  /// vector goes to the insertion when a lane is below the bound or either is NaN: a finite
  /// term must still replace a NaN K-th best (NaN sorts last).
  KEOPS_SIMD_INLINE void add(V f, int64_t t, int64_t end) {
    if (anyNotLessEqual(bound, f))
      insertLanes(f, t, end);
  }

private:
  /// Offers the lanes that may enter, in index order: those the vector compare let through
  /// (the bound only tightens as they enter, so no other lane could). Once K terms are in, a
  /// vector that gets here usually has one such lane: offering every lane made k-NN at D = 3
  /// 1.3-1.5x the reference instead of 1.1-1.2x (bench/RESULTS.md, eighth session).
  KEOPS_SIMD_OUTLINE void insertLanes(V f, int64_t t, int64_t end) {
    uint32_t lanes = laneBits(~(bound <= f));
    if (end - t < V::kLanes)
      lanes &= (uint32_t(1) << (end - t)) - 1;
    for (; lanes; lanes &= lanes - 1) {
      const int l = __builtin_ctz(lanes);
      best.insert(0, f[l], t + l);
    }
    updateBound();
  }
  void updateBound() {
    const bool full = best.idx[K - 1] >= 0;
    bound = V(full ? best.val[K - 1] : std::numeric_limits<T>::quiet_NaN());
  }

public:
  void endBlock() {}
  /// Takes in the candidates of another part of the reduced index (global indices).
  void merge(const KMinState &o) {
    best.merge(o.best);
    updateBound();
  }
  template <class Out> void finish(Out *values, int64_t *indices) const {
    best.finish(values, indices);
  }
  void finish(decltype(nullptr), int64_t *indices) const { best.finish(nullptr, indices); }
  keops_rt::KMinState<T, K, 1> stored() const { return best; }
};

/// Min (IsMax false) or Max (IsMax true) of D components with the index of the first extremum:
/// the scalar MinMaxState's result exactly (ties to the smaller index, a NaN term wins). Each lane
/// keeps its best term of the current block and its index relative to the block's first one, as
/// an integer of T's width (blocks are short); endBlock() merges the lanes into the scalar state
/// with global indices. Indices grow along a lane's scan, so a term replaces the lane's best only
/// when strictly better, or NaN over a number, or the lane is still empty.
template <class V, int64_t D, bool IsMax> struct MinMaxState {
  using T = typename V::Scalar;
  using Mask = typename V::Mask;
  keops_rt::MinMaxState<T, D, IsMax> best;
  V val[D];
  Mask idx[D];    ///< the lane's index minus `origin`, −1 while the lane is empty
  int64_t origin; ///< the block's first index, −1 before its first term
  void init() {
    best.init();
    clearLanes();
  }
  template <class Live> KEOPS_SIMD_INLINE void add(const V *f, int64_t t, Live live) {
    if (origin < 0)
      origin = t;
    const Mask index = Mask{} + typename V::Int(t - origin) + laneIndices();
    for (int64_t d = 0; d < D; ++d) {
      const Mask numberToNan = (f[d] != f[d]) & (val[d] == val[d]);
      Mask better = (IsMax ? f[d] > val[d] : f[d] < val[d]) | numberToNan | (idx[d] < 0);
      if constexpr (!std::is_same<Live, AllLanes>::value)
        better &= live;
      val[d] = select(better, f[d], val[d]);
      idx[d] = better ? index : idx[d];
    }
  }
  void endBlock() {
    if (origin < 0)
      return;
    for (int64_t d = 0; d < D; ++d)
      for (int l = 0; l < V::kLanes; ++l)
        if (idx[d][l] >= 0 &&
            best.better(val[d][l], origin + idx[d][l], best.val[d], best.idx[d])) {
          best.val[d] = val[d][l];
          best.idx[d] = origin + idx[d][l];
        }
    clearLanes();
  }
  /// Takes in another part of the reduced index (global indices; a strict order, so any order
  /// of merging gives the scalar result).
  void merge(MinMaxState &o) {
    endBlock();
    o.endBlock();
    best.merge(o.best);
  }
  template <class Out> void finish(Out *values) {
    endBlock();
    best.finish(values);
  }
  template <class Out> void finish(Out *values, int64_t *indices) {
    endBlock();
    best.finish(values, indices);
  }
  void finish(decltype(nullptr), int64_t *indices) {
    endBlock();
    best.finish(nullptr, indices);
  }
  keops_rt::MinMaxState<T, D, IsMax> stored() {
    endBlock();
    return best;
  }

private:
  static Mask laneIndices() { return (Mask) __builtin_convertvector(V::iota().v, Mask); }
  void clearLanes() {
    for (int64_t d = 0; d < D; ++d) {
      val[d] = V(IsMax ? -infinity<T>() : infinity<T>());
      idx[d] = Mask{} - 1;
    }
    origin = -1;
  }
};

} // namespace simd
} // namespace
} // namespace keops_rt

#pragma GCC diagnostic pop

#endif
