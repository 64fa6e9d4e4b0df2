// keops/host/simd_states.h: the vector forms of the reduction states (portable/reductions.h)
// that the SIMD CPU kernels use. Each lane reduces every W-th term of a row's reduced index; the
// kernels pass AllLanes for full vectors and a lane mask (`live`) for a tile's last, partial one,
// so that the padding past the last term adds nothing; finish() combines the lanes in lane
// order, so results do not depend on the thread count.
#ifndef KEOPS_HOST_SIMD_STATES_H
#define KEOPS_HOST_SIMD_STATES_H

#include "keops/host/simd.h"
#include "keops/host/simd_exp.h"
#include "keops/portable/accumulators.h"
#include "keops/portable/half.h"
#include "keops/portable/reductions.h"

#include <cmath>
#include <cstdint>
#include <limits>

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
  template <class Out> void finish(Out *out) {
    endBlock();
    for (int64_t k = 0; k < D; ++k)
      out[k] = storeAs<Out>(laneSum(total[k]));
  }
};

/// LogSumExp of a scalar term, per lane: a running maximum m and the sum s of e^(F − m), kept
/// in `block` and `total` like SumState. Terms past the end (dead lanes) become −∞. m is raised
/// lazily: the common case, every term at most kSlack above its lane's finite m, costs one
/// compare (against `limit`, m + kSlack, or NaN while some m is not finite) and one exp without
/// a range check (vexpOfBounded: a term below e^−kFast of m, −∞ included, adds at most that
/// much, under the rounding of a lane sum that holds the 1 of the term that set m). Only a term
/// more than e^kSlack above m raises it and rescales both sums (two exps, out of line): few
/// vectors, whatever the data's spread. Lanes with a NaN or +∞ term take the scalar state's
/// rules one by one, so special values behave exactly as in LogSumExpState (SPEC.md §4);
/// finish() merges the lanes through it.
template <class V, bool Blocked> struct LogSumExpState {
  using T = typename V::Scalar;
  using Mask = typename V::Mask;
  /// Terms up to e^kSlack above m add as they are: the sums stay below 2^58 times the terms'
  /// count, and F − m ≤ 40 is within twice the largest |F| (m is a term), so exp's relative
  /// error (3/2)|F − m|·u stays within SPEC §7.4's c_F·u·max|F|.
  static constexpr T kSlack = T(40);
  V m, limit, block, total;
  Mask nan;
  void init() {
    m = V(-infinity<T>());
    limit = V(std::numeric_limits<T>::quiet_NaN());
    block = total = V::zero();
    nan = Mask{};
  }
  KEOPS_SIMD_INLINE void add(V f, Mask live) {
    add(select(live, f, V(-infinity<T>())), AllLanes{});
  }
  KEOPS_SIMD_INLINE void add(V f, AllLanes) {
    if (__builtin_expect(!anyNotLessEqual(f, limit), 1)) { // a NaN limit or term compares false
      (Blocked ? block : total) += vexpOfBounded(f - m);
      return;
    }
    *this = raisedBy(*this, f);
  }
  void endBlock() {
    if (!Blocked)
      return;
    total += block;
    block = V::zero();
  }
  template <class Out> void finish(Out *out) {
    endBlock();
    keops_rt::LogSumExpState<T, DirectAcc<T>> all, lane;
    all.init();
    for (int l = 0; l < V::kLanes; ++l) {
      lane.init();
      lane.m = m[l];
      lane.s.s = total[l];
      lane.nan = nan[l] != 0;
      all.merge(lane);
    }
    all.finish(out);
  }

private:
  /// `s` after addRaising(f), out of line and by value: the kernel's states stay in registers,
  /// where a call on `this` would keep them in memory.
  KEOPS_SIMD_OUTLINE static LogSumExpState raisedBy(LogSumExpState s, V f) {
    s.addRaising(f);
    return s;
  }
  /// A vector with a term more than kSlack above its lane's maximum, or a maximum that is not
  /// finite yet. Every lane with a term above its maximum raises it to that term.
  void addRaising(V f) {
    const V huge(maxFinite());
    if (any(~(vabs(f) <= huge) & (f != V(-infinity<T>())))) { // NaN or +∞
      addLaneByLane(f);
    } else {
      const Mask up = f > m;
      if (any(up)) {
        const V raised = select(up, f, m);
        const V factor = select(up, vexp(m - raised), V(T(1)));
        block *= factor;
        total *= factor;
        m = raised;
      }
      (Blocked ? block : total) += select(f > V(-infinity<T>()), vexp(f - m), V::zero());
    }
    const bool finiteMax = !anyNotLessEqual(vabs(m), huge);
    limit = finiteMax ? m + V(kSlack) : V(std::numeric_limits<T>::quiet_NaN());
  }
  static constexpr T maxFinite() {
    return sizeof(T) == 4 ? T(3.40282347e+38f) : T(1.7976931348623157e308);
  }
  /// The scalar state's add, lane by lane (portable/reductions.h, LogSumExpState::add).
  KEOPS_SIMD_COLD void addLaneByLane(V f) {
    for (int l = 0; l < V::kLanes; ++l) {
      const T x = f[l];
      if (isNan(x)) {
        nan[l] = -1;
        continue;
      }
      if (x == -infinity<T>())
        continue;
      V &sum = Blocked ? block : total;
      if (x > m[l]) {
        const T factor = std::exp(m[l] - x); // m < x: 0 from −∞
        sum.set(l, sum[l] * factor + T(1));
        if (Blocked)
          total.set(l, total[l] * factor);
        m.set(l, x);
      } else {
        sum.set(l, sum[l] + (x == m[l] ? T(1) : std::exp(x - m[l])));
      }
    }
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
  KEOPS_SIMD_OUTLINE void insertLanes(V f, int64_t t, int64_t end) {
    const int64_t lanes = end - t < V::kLanes ? end - t : V::kLanes;
    for (int64_t l = 0; l < lanes; ++l)
      best.insert(0, f[int(l)], t + l);
    const bool full = best.idx[K - 1] >= 0;
    bound = V(full ? best.val[K - 1] : std::numeric_limits<T>::quiet_NaN());
  }

public:
  void endBlock() {}
  template <class Out> void finish(Out *values, int64_t *indices) const {
    best.finish(values, indices);
  }
  void finish(decltype(nullptr), int64_t *indices) const { best.finish(nullptr, indices); }
};

} // namespace simd
} // namespace
} // namespace keops_rt

#pragma GCC diagnostic pop

#endif
