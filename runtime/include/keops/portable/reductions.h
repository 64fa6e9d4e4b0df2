// keops/portable/reductions.h: reduction states (init, add, merge, finish) for Sum, the LogSumExp
// family, Min/Max with their indices and the K-min family, plus the block-summation wrapper
// (SPEC.md §4, §7.2). States are plain structs with fixed-size arrays: a backend decides where
// they live (registers, stack, heap).
// Every state is fed terms in increasing index order by one thread; merge() joins two states
// whose index ranges are ordered (this, then other). T is the compute type; finish() writes any
// output type Out through storeAs<Out> (half.h), so a float16 output (uint16_t bits) is rounded
// once from the state's float or double result.
#ifndef KEOPS_PORTABLE_REDUCTIONS_H
#define KEOPS_PORTABLE_REDUCTIONS_H

#include "keops/portable/accumulators.h"
#include "keops/portable/config.h"
#include "keops/portable/half.h"

#include <cmath>
#include <cstdint>

namespace keops_rt {
namespace {

/// Sum of D components; `Policy` is DirectAcc<Acc> or KahanAcc<Acc>.
template <class T, class Policy, int64_t D> struct SumState {
  using Acc = decltype(Policy().value());
  Policy acc[D];
  KEOPS_HD void init() {
    for (int64_t k = 0; k < D; ++k)
      acc[k] = Policy();
  }
  KEOPS_HD void add(const T *f, int64_t) {
    for (int64_t k = 0; k < D; ++k)
      acc[k].add(f[k]);
  }
  KEOPS_HD void merge(const SumState &o) {
    for (int64_t k = 0; k < D; ++k)
      acc[k].merge(o.acc[k]);
  }
  template <class Out> KEOPS_HD void finish(Out *out) const {
    for (int64_t k = 0; k < D; ++k)
      out[k] = storeAs<Out>(acc[k].value());
  }
};

/// LogSumExp of a scalar term, one pass with a running maximum. −∞ terms add exactly 0,
/// NaN poisons, equal infinities do not make NaN (SPEC.md §4).
template <class T, class Policy> struct LogSumExpState {
  using Acc = decltype(Policy().value());
  Acc m;
  Policy s;
  bool nan;
  KEOPS_HD void init() {
    m = -infinity<Acc>();
    s = Policy();
    nan = false;
  }
  static KEOPS_HD Acc shift(Acc from, Acc to) { return from == to ? Acc(1) : std::exp(from - to); }
  KEOPS_HD void add(const T *f, int64_t) {
    Acc x = static_cast<Acc>(f[0]);
    if (isNan(x)) {
      nan = true;
      return;
    }
    if (x == -infinity<Acc>())
      return;
    if (x > m) {
      s.scale(shift(m, x));
      s.add(Acc(1));
      m = x;
    } else {
      s.add(shift(x, m));
    }
  }
  KEOPS_HD void merge(const LogSumExpState &o) {
    nan = nan || o.nan;
    if (o.m == -infinity<Acc>())
      return;
    Policy other = o.s;
    if (o.m > m) {
      s.scale(shift(m, o.m));
      m = o.m;
    } else {
      other.scale(shift(o.m, m));
    }
    s.merge(other);
  }
  template <class Out> KEOPS_HD void finish(Out *out) const {
    Acc total = s.value();
    if (nan)
      out[0] = storeAs<Out>(quietNan<Acc>());
    else if (total == Acc(0))
      out[0] = storeAs<Out>(-infinity<Acc>());
    else
      out[0] = storeAs<Out>(m + std::log(total));
  }
};

/// The weighted LogSumExp family in one pass: a running maximum m of the scalar F, the E sums
/// s_k = Σ e^(F−m)·G_k and (for the softmax) the denominator Σ e^(F−m). −∞ terms are skipped
/// (their G too), so masking works in any order; a NaN F poisons; equal maxima, +∞ included,
/// shift by exactly 1 (SPEC.md §4). The finish steps live in the states below.
template <class T, class Policy, int64_t E> struct ShiftExpCore {
  using Acc = decltype(Policy().value());
  Acc m;
  Policy s[E];
  Policy den;
  bool nan;
  KEOPS_HD void init() {
    m = -infinity<Acc>();
    for (int64_t k = 0; k < E; ++k)
      s[k] = Policy();
    den = Policy();
    nan = false;
  }
  static KEOPS_HD Acc shift(Acc from, Acc to) { return from == to ? Acc(1) : std::exp(from - to); }
  KEOPS_HD void scaleAll(Acc factor) {
    for (int64_t k = 0; k < E; ++k)
      s[k].scale(factor);
    den.scale(factor);
  }
  /// A term F = f[0] with weight g[0..E) (g null: all weights 1).
  KEOPS_HD void add(const T *f, const T *g, int64_t) {
    Acc x = static_cast<Acc>(f[0]);
    if (isNan(x)) {
      nan = true;
      return;
    }
    if (x == -infinity<Acc>())
      return;
    Acc e = Acc(1);
    if (x > m) {
      scaleAll(shift(m, x));
      m = x;
    } else {
      e = shift(x, m);
    }
    for (int64_t k = 0; k < E; ++k)
      s[k].add(g ? e * static_cast<Acc>(g[k]) : e);
    den.add(e);
  }
  KEOPS_HD void add(const T *f, int64_t index) { add(f, static_cast<const T *>(nullptr), index); }
  KEOPS_HD void merge(const ShiftExpCore &o) {
    nan = nan || o.nan;
    if (o.m == -infinity<Acc>())
      return;
    Acc mine = Acc(1), theirs = Acc(1);
    if (o.m > m) {
      mine = shift(m, o.m);
      m = o.m;
    } else {
      theirs = shift(o.m, m);
    }
    scaleAll(mine);
    for (int64_t k = 0; k < E; ++k) {
      Policy other = o.s[k];
      other.scale(theirs);
      s[k].merge(other);
    }
    Policy other = o.den;
    other.scale(theirs);
    den.merge(other);
  }
};

/// LogSumExp with a weight (and LogSumExpWeight): out_k = m + ln s_k; s_k = 0 gives −∞ (empty
/// and all −∞ included), s_k < 0 NaN.
template <class T, class Policy, int64_t E>
struct LogSumExpWeightState : ShiftExpCore<T, Policy, E> {
  using Acc = typename ShiftExpCore<T, Policy, E>::Acc;
  template <class Out> KEOPS_HD void finish(Out *out) const {
    for (int64_t k = 0; k < E; ++k) {
      Acc total = this->s[k].value();
      if (this->nan || isNan(total))
        out[k] = storeAs<Out>(quietNan<Acc>());
      else if (total == Acc(0))
        out[k] = storeAs<Out>(-infinity<Acc>());
      else
        out[k] = storeAs<Out>(this->m + std::log(total));
    }
  }
};

/// SumSoftMaxWeight: out_k = s_k / Σ e^(F−m); 0 when empty or all −∞, NaN with a +∞ or NaN F.
template <class T, class Policy, int64_t E> struct SoftMaxState : ShiftExpCore<T, Policy, E> {
  using Acc = typename ShiftExpCore<T, Policy, E>::Acc;
  template <class Out> KEOPS_HD void finish(Out *out) const {
    Acc total = this->den.value();
    for (int64_t k = 0; k < E; ++k) {
      if (this->nan || this->m == infinity<Acc>())
        out[k] = storeAs<Out>(quietNan<Acc>());
      else if (total == Acc(0))
        out[k] = storeAs<Out>(Acc(0));
      else
        out[k] = storeAs<Out>(this->s[k].value() / total);
    }
  }
};

/// The raw pair of Max_SumShiftExp[Weight]: m (1 value), then s (E values); empty (or all −∞)
/// gives (−∞, 0), a NaN F gives NaN in both.
template <class T, class Policy, int64_t E>
struct MaxSumShiftExpState : ShiftExpCore<T, Policy, E> {
  using Acc = typename ShiftExpCore<T, Policy, E>::Acc;
  template <class Out> KEOPS_HD void finish(Out *outM, Out *outS) const {
    outM[0] = storeAs<Out>(this->nan ? quietNan<Acc>() : this->m);
    for (int64_t k = 0; k < E; ++k)
      outS[k] = storeAs<Out>(this->nan ? quietNan<Acc>() : this->s[k].value());
  }
};

/// Block summation: terms go into a block state, flushed into the total every `kBlock` terms,
/// so rounding error grows with 256 + n/256 instead of n.
template <class State> struct BlockState {
  static constexpr int kBlock = 256;
  State total;
  State block;
  int count;
  KEOPS_HD void init() {
    total.init();
    block.init();
    count = 0;
  }
  template <class T> KEOPS_HD void add(const T *f, int64_t index) {
    block.add(f, index);
    if (++count == kBlock) {
      total.merge(block);
      block.init();
      count = 0;
    }
  }
  template <class T> KEOPS_HD void add(const T *f, const T *g, int64_t index) {
    block.add(f, g, index);
    if (++count == kBlock) {
      total.merge(block);
      block.init();
      count = 0;
    }
  }
  KEOPS_HD void merge(BlockState &o) {
    o.total.merge(o.block);
    o.block.init();
    o.count = 0;
    total.merge(block);
    block.init();
    count = 0;
    total.merge(o.total);
  }
  template <class T> KEOPS_HD void finish(T *out) {
    total.merge(block);
    block.init();
    count = 0;
    total.finish(out);
  }
  template <class T> KEOPS_HD void finish(T *first, T *second) {
    total.merge(block);
    block.init();
    count = 0;
    total.finish(first, second);
  }
};

/// The K smallest terms of each of D components with their indices, ascending in the order
/// −∞ < finite < +∞ < NaN (numpy.sort), ties to the smaller index; empty slots are (+∞, −1).
template <class T, int64_t K, int64_t D> struct KMinState {
  T val[K * D];
  int64_t idx[K * D];
  KEOPS_HD void init() {
    for (int64_t k = 0; k < K * D; ++k) {
      val[k] = infinity<T>();
      idx[k] = -1;
    }
  }
  /// Whether term (a, ia) sorts before slot (b, ib).
  static KEOPS_HD bool before(T a, int64_t ia, T b, int64_t ib) {
    if (ib < 0)
      return true;
    bool aNan = isNan(a), bNan = isNan(b);
    if (aNan || bNan)
      return aNan && bNan ? ia < ib : bNan;
    if (a != b)
      return a < b;
    return ia < ib;
  }
  KEOPS_HD void insert(int64_t d, T value, int64_t index) {
    const T worst = val[(K - 1) * D + d];
    // Fast path for the common case, a term larger than the K-th (false for NaNs and ties).
    if (value > worst || !before(value, index, worst, idx[(K - 1) * D + d]))
      return;
    int64_t pos = K - 1;
    while (pos > 0 && before(value, index, val[(pos - 1) * D + d], idx[(pos - 1) * D + d])) {
      val[pos * D + d] = val[(pos - 1) * D + d];
      idx[pos * D + d] = idx[(pos - 1) * D + d];
      --pos;
    }
    val[pos * D + d] = value;
    idx[pos * D + d] = index;
  }
  KEOPS_HD void add(const T *f, int64_t index) {
    for (int64_t d = 0; d < D; ++d)
      insert(d, f[d], index);
  }
  KEOPS_HD void merge(const KMinState &o) {
    for (int64_t d = 0; d < D; ++d)
      for (int64_t k = 0; k < K && o.idx[k * D + d] >= 0; ++k)
        insert(d, o.val[k * D + d], o.idx[k * D + d]);
  }
  /// Either pointer may be null when the reduction does not output it.
  template <class Out> KEOPS_HD void finish(Out *values, int64_t *indices) const {
    for (int64_t k = 0; k < K * D; ++k) {
      if (values)
        values[k] = storeAs<Out>(val[k]);
      if (indices)
        indices[k] = idx[k];
    }
  }
  KEOPS_HD void finish(decltype(nullptr), int64_t *indices) const {
    finish(static_cast<T *>(nullptr), indices);
  }
};

/// Min (IsMax false) or Max (IsMax true) of each of D components with the index of the first
/// extremum: ties go to the smaller index, a NaN term wins (value NaN, index of the first NaN,
/// as numpy.argmin), an empty state is (+∞ or −∞, −1) and any term replaces it, so non-empty
/// rows report valid indices even when every term equals the neutral value.
template <class T, int64_t D, bool IsMax> struct MinMaxState {
  T val[D];
  int64_t idx[D];
  KEOPS_HD void init() {
    for (int64_t d = 0; d < D; ++d) {
      val[d] = IsMax ? -infinity<T>() : infinity<T>();
      idx[d] = -1;
    }
  }
  /// Whether term (a, ia) replaces slot (b, ib); a strict total order, so merges commute.
  static KEOPS_HD bool better(T a, int64_t ia, T b, int64_t ib) {
    if (ib < 0)
      return true;
    bool aNan = isNan(a), bNan = isNan(b);
    if (aNan || bNan)
      return aNan && bNan ? ia < ib : aNan;
    if (a != b)
      return IsMax ? a > b : a < b;
    return ia < ib;
  }
  KEOPS_HD void add(const T *f, int64_t index) {
    for (int64_t d = 0; d < D; ++d)
      if (better(f[d], index, val[d], idx[d])) {
        val[d] = f[d];
        idx[d] = index;
      }
  }
  KEOPS_HD void merge(const MinMaxState &o) {
    for (int64_t d = 0; d < D; ++d)
      if (o.idx[d] >= 0 && better(o.val[d], o.idx[d], val[d], idx[d])) {
        val[d] = o.val[d];
        idx[d] = o.idx[d];
      }
  }
  /// Either pointer may be null when the reduction does not output it.
  template <class Out> KEOPS_HD void finish(Out *values, int64_t *indices) const {
    for (int64_t d = 0; d < D; ++d) {
      if (values)
        values[d] = storeAs<Out>(val[d]);
      if (indices)
        indices[d] = idx[d];
    }
  }
  KEOPS_HD void finish(decltype(nullptr), int64_t *indices) const {
    finish(static_cast<T *>(nullptr), indices);
  }
  template <class Out> KEOPS_HD void finish(Out *values) const { finish(values, nullptr); }
};

} // namespace
} // namespace keops_rt

#endif
