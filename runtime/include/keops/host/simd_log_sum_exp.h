// keops/host/simd_log_sum_exp.h: the vector forms of the LogSumExp family's states
// (portable/reductions.h) for the SIMD CPU kernels: LogSumExp, and the weighted family
// (LogSumExp with a weight, LogSumExpWeight, SumSoftMaxWeight, Max_SumShiftExp[Weight]). Lanes
// reduce every W-th term as in keops/host/simd_states.h; finish() merges them through the scalar
// state, in lane order.
#ifndef KEOPS_HOST_SIMD_LOG_SUM_EXP_H
#define KEOPS_HOST_SIMD_LOG_SUM_EXP_H

#include "keops/host/simd.h"
#include "keops/host/simd_exp.h"
#include "keops/host/simd_states.h"
#include "keops/portable/accumulators.h"
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

/// e^(from − to), exactly 1 where from == to (equal infinities included), as the scalar
/// states' shift.
template <class V> KEOPS_SIMD_INLINE V shiftFactor(V from, V to) {
  return select(from == to, V(typename V::Scalar(1)), vexp(from - to));
}

/// The lazy maximum's limit: m + slack where every lane's m is finite, NaN otherwise (then every
/// term takes the raising path, which handles infinite maxima).
template <class V> V raiseLimit(V m, typename V::Scalar slack) {
  using T = typename V::Scalar;
  const bool finite = !anyNotLessEqual(vabs(m), V(std::numeric_limits<T>::max()));
  return finite ? m + V(slack) : V(std::numeric_limits<T>::quiet_NaN());
}

/// Whether some lane of f is NaN or +∞: such vectors take the scalar rules lane by lane.
template <class V> KEOPS_SIMD_INLINE bool anyNanOrPlusInfinity(V f) {
  using T = typename V::Scalar;
  return any(~(vabs(f) <= V(std::numeric_limits<T>::max())) & (f != V(-infinity<T>())));
}

/// Raises each lane's maximum m to f where f is above it, rescaling that lane's `count` sums in
/// `block` (none when nullptr: direct sums) and `total` by e^(m − f); f holds no NaN or +∞.
template <class V> void raiseMaximum(V &m, V f, V *block, V *total, int64_t count) {
  using T = typename V::Scalar;
  const typename V::Mask up = f > m;
  if (!any(up))
    return;
  const V raised = select(up, f, m);
  const V factor = select(up, vexp(m - raised), V(T(1)));
  for (int64_t k = 0; k < count; ++k) {
    if (block)
      block[k] *= factor;
    total[k] *= factor;
  }
  m = raised;
}

/// The scalar states' rule for one term x of lane l (portable/reductions.h): a NaN marks the
/// lane and a −∞ adds nothing (both return false); a term above m raises m to it, rescaling the
/// lane's `count` sums in `block` (unless nullptr) and `total`. Otherwise sets e to e^(x − m),
/// exactly 1 at the maximum, and returns true.
template <class V>
bool laneTerm(V &m, typename V::Mask &nan, int l, typename V::Scalar x, V *block, V *total,
              int64_t count, typename V::Scalar &e) {
  using T = typename V::Scalar;
  if (isNan(x)) {
    nan[l] = -1;
    return false;
  }
  if (x == -infinity<T>())
    return false;
  if (x > m[l]) {
    const T factor = std::exp(m[l] - x); // m < x: 0 from −∞
    for (int64_t k = 0; k < count; ++k) {
      if (block)
        block[k].set(l, block[k][l] * factor);
      total[k].set(l, total[k][l] * factor);
    }
    m.set(l, x);
  }
  e = x == m[l] ? T(1) : std::exp(x - m[l]);
  return true;
}

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
  /// Takes in the state of another part of the reduced index, lane by lane as the scalar merge:
  /// both sums shifted to the larger maximum (by exactly 1 where a maximum equals it).
  void merge(LogSumExpState &o) {
    endBlock();
    o.endBlock();
    nan |= o.nan;
    const V top = select(o.m > m, o.m, m);
    total = total * shiftFactor(m, top) + o.total * shiftFactor(o.m, top);
    m = top;
    resetLimit();
  }
  template <class Out> void finish(Out *out) { stored().finish(out); }
  /// The lanes merged through the portable state, which finish() finishes.
  keops_rt::LogSumExpState<T, DirectAcc<T>> stored() {
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
    return all;
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
    if (anyNanOrPlusInfinity(f)) {
      addLaneByLane(f);
    } else {
      raiseMaximum(m, f, &block, &total, 1);
      (Blocked ? block : total) += select(f > V(-infinity<T>()), vexp(f - m), V::zero());
    }
    resetLimit();
  }
  void resetLimit() { limit = raiseLimit(m, kSlack); }
  /// The scalar state's add, lane by lane (portable/reductions.h, LogSumExpState::add).
  KEOPS_SIMD_COLD void addLaneByLane(V f) {
    V &sum = Blocked ? block : total;
    T e;
    for (int l = 0; l < V::kLanes; ++l)
      if (laneTerm(m, nan, l, f[l], &block, &total, 1, e))
        sum.set(l, sum[l] + e);
  }
};

/// Whether a scalar finishing state outputs the running maximum m (Max_SumShiftExp[Weight]).
template <class Final> struct ReportsMaximum : std::false_type {};
template <class T, class Policy, int64_t E>
struct ReportsMaximum<keops_rt::MaxSumShiftExpState<T, Policy, E>> : std::true_type {};

/// The weighted LogSumExp family (LogSumExp with a weight, LogSumExpWeight, SumSoftMaxWeight,
/// Max_SumShiftExp[Weight]) per lane: a running maximum m of the scalar F, the E sums
/// s_k = Σ e^(F − m)·G_k and the denominator Σ e^(F − m), in `block` and `total` like SumState.
/// m is raised lazily as in LogSumExpState, with a smaller slack: the sums hold terms up to
/// e^kSlack·|G|, which must stay far from overflow for any weight (and none when m is output). A −∞
/// term adds nothing, its G not even read (as in the scalar ShiftExpCore); dead lanes become −∞
/// terms. Lanes with a NaN or +∞ term take the scalar rules one by one. finish() merges the lanes
/// through `Final`, the scalar state that finishes the reduction (portable/reductions.h), and calls
/// its finish. G == nullptr means weights of 1 (Max_SumShiftExp).
template <class V, int64_t E, bool Blocked, class Final> struct ShiftExpState {
  using T = typename V::Scalar;
  using Mask = typename V::Mask;
  /// e^8 ≈ 2^11.5 of a sum's range at most; a raise is still rare (a term 8 above the lane's m).
  /// Max_SumShiftExp outputs m itself, which must then be the exact maximum: no slack.
  static constexpr T kSlack = ReportsMaximum<Final>::value ? T(0) : T(8);
  /// Block sums only where they are used (Blocked): the chunked weights' states (direct) hold
  /// hundreds of components.
  static constexpr int64_t kBlockSums = Blocked ? E + 1 : 1;
  V m, limit;
  V block[kBlockSums], total[E + 1]; ///< the E sums, then the denominator
  Mask nan;
  void init() {
    m = V(-infinity<T>());
    limit = V(std::numeric_limits<T>::quiet_NaN());
    for (int64_t k = 0; k < kBlockSums; ++k)
      block[k] = V::zero();
    for (int64_t k = 0; k <= E; ++k)
      total[k] = V::zero();
    nan = Mask{};
  }
  /// The block sums for raiseMaximum and laneTerm; nullptr without them.
  V *blockSums() { return Blocked ? block : nullptr; }
  KEOPS_SIMD_INLINE void add(const V *f, const V *g, Mask live) {
    const V term[1] = {select(live, f[0], V(-infinity<T>()))};
    add(term, g, AllLanes{});
  }
  KEOPS_SIMD_INLINE void add(const V *f, const V *g, AllLanes) {
    if (__builtin_expect(!anyNotLessEqual(f[0], limit), 1)) { // a NaN limit or term compares false
      addScaled(vexpOfBounded(f[0] - m), f[0] > V(-infinity<T>()), g);
      return;
    }
    *this = raisedBy(*this, f[0], g);
  }
  void endBlock() {
    if constexpr (Blocked)
      for (int64_t k = 0; k <= E; ++k) {
        total[k] += block[k];
        block[k] = V::zero();
      }
  }
  /// Takes in the state of another part of the reduced index (see LogSumExpState::merge).
  void merge(ShiftExpState &o) {
    endBlock();
    o.endBlock();
    nan |= o.nan;
    const V top = select(o.m > m, o.m, m);
    const V mine = shiftFactor(m, top), theirs = shiftFactor(o.m, top);
    for (int64_t k = 0; k <= E; ++k)
      total[k] = total[k] * mine + o.total[k] * theirs;
    m = top;
    resetLimit();
  }
  template <class... Out> void finish(Out *...out) { stored().finish(out...); }
  /// The lanes merged through `Final`, which finish() finishes.
  Final stored() {
    endBlock();
    Final all, lane;
    all.init();
    for (int l = 0; l < V::kLanes; ++l) {
      lane.init();
      lane.m = m[l];
      for (int64_t k = 0; k < E; ++k)
        lane.s[k].s = total[k][l];
      lane.den.s = total[E][l];
      lane.nan = nan[l] != 0;
      all.merge(lane);
    }
    return all;
  }

private:
  /// Adds e·G_k to each sum and e to the denominator in the lanes of `alive`.
  KEOPS_SIMD_INLINE void addScaled(V e, Mask alive, const V *g) {
    V *sums = Blocked ? block : total;
    e = select(alive, e, V::zero());
    for (int64_t k = 0; k < E; ++k)
      sums[k] += g ? select(alive, e * g[k], V::zero()) : e;
    sums[E] += e;
  }
  /// `s` after addRaising, out of line and by value (see LogSumExpState::raisedBy).
  KEOPS_SIMD_OUTLINE static ShiftExpState raisedBy(ShiftExpState s, V f, const V *g) {
    s.addRaising(f, g);
    return s;
  }
  void addRaising(V f, const V *g) {
    if (anyNanOrPlusInfinity(f)) {
      addLaneByLane(f, g);
    } else {
      raiseMaximum(m, f, blockSums(), total, E + 1);
      addScaled(vexp(f - m), f > V(-infinity<T>()), g);
    }
    resetLimit();
  }
  void resetLimit() { limit = raiseLimit(m, kSlack); }
  /// The scalar ShiftExpCore's add, lane by lane (portable/reductions.h).
  KEOPS_SIMD_COLD void addLaneByLane(V f, const V *g) {
    V *sums = Blocked ? block : total;
    T e;
    for (int l = 0; l < V::kLanes; ++l) {
      if (!laneTerm(m, nan, l, f[l], blockSums(), total, E + 1, e))
        continue;
      for (int64_t k = 0; k < E; ++k)
        sums[k].set(l, sums[k][l] + (g ? e * g[k][l] : e));
      sums[E].set(l, sums[E][l] + e);
    }
  }
};

} // namespace simd
} // namespace
} // namespace keops_rt

#pragma GCC diagnostic pop

#endif
