// keops/reductions.h: reduction states (neutral state, accumulate, merge, finalize) for Sum,
// LogSumExp and the K-min family, plus the block-summation wrapper (SPEC.md §4, §7.2).
// Every state is fed terms in increasing index order by one thread; merge() joins two states
// whose index ranges are ordered (this, then other).
#ifndef KEOPS_RUNTIME_REDUCTIONS_H
#define KEOPS_RUNTIME_REDUCTIONS_H

#include "keops/accumulators.h"

#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <type_traits>

namespace keops_rt {
namespace {

/// Fixed-size storage: on the stack when small, on the heap when large (dimensions reach 2^20).
template <class V, int64_t N> struct HeapArray {
  std::unique_ptr<V[]> data{new V[N]};
  V &operator[](int64_t k) { return data[k]; }
  const V &operator[](int64_t k) const { return data[k]; }
};
template <class V, int64_t N>
using Buffer = std::conditional_t<(N <= 4096), std::array<V, N>, HeapArray<V, N>>;

/// Sum of D components; `Policy` is DirectAcc<Acc> or KahanAcc<Acc>.
template <class T, class Policy, int64_t D> struct SumState {
  Buffer<Policy, D> acc;
  void init() {
    for (int64_t k = 0; k < D; ++k)
      acc[k] = Policy();
  }
  void add(const T *f, int64_t) {
    for (int64_t k = 0; k < D; ++k)
      acc[k].add(f[k]);
  }
  void merge(const SumState &o) {
    for (int64_t k = 0; k < D; ++k)
      acc[k].merge(o.acc[k]);
  }
  void finish(T *out) const {
    for (int64_t k = 0; k < D; ++k)
      out[k] = static_cast<T>(acc[k].value());
  }
};

/// LogSumExp of a scalar term, one pass with a running maximum. −∞ terms add exactly 0,
/// NaN poisons, equal infinities do not make NaN (SPEC.md §4).
template <class T, class Policy> struct LogSumExpState {
  using Acc = decltype(Policy().value());
  Acc m;
  Policy s;
  bool nan;
  void init() {
    m = -std::numeric_limits<Acc>::infinity();
    s = Policy();
    nan = false;
  }
  static Acc shift(Acc from, Acc to) { return from == to ? Acc(1) : std::exp(from - to); }
  void add(const T *f, int64_t) {
    Acc x = static_cast<Acc>(f[0]);
    if (x != x) {
      nan = true;
      return;
    }
    if (x == -std::numeric_limits<Acc>::infinity())
      return;
    if (x > m) {
      s.scale(shift(m, x));
      s.add(Acc(1));
      m = x;
    } else {
      s.add(shift(x, m));
    }
  }
  void merge(const LogSumExpState &o) {
    nan = nan || o.nan;
    if (o.m == -std::numeric_limits<Acc>::infinity())
      return;
    if (o.m > m) {
      s.scale(shift(m, o.m));
      m = o.m;
      Policy other = o.s;
      s.merge(other);
    } else {
      Policy other = o.s;
      other.scale(shift(o.m, m));
      s.merge(other);
    }
  }
  void finish(T *out) const {
    Acc total = s.value();
    if (nan)
      out[0] = std::numeric_limits<T>::quiet_NaN();
    else if (total == Acc(0))
      out[0] = -std::numeric_limits<T>::infinity();
    else
      out[0] = static_cast<T>(m + std::log(total));
  }
};

/// Block summation: terms go into a block state, flushed into the total every `kBlock` terms,
/// so rounding error grows with 256 + n/256 instead of n.
template <class State> struct BlockState {
  static constexpr int kBlock = 256;
  State total;
  State block;
  int count;
  void init() {
    total.init();
    block.init();
    count = 0;
  }
  template <class T> void add(const T *f, int64_t index) {
    block.add(f, index);
    if (++count == kBlock) {
      total.merge(block);
      block.init();
      count = 0;
    }
  }
  template <class T> void finish(T *out) {
    total.merge(block);
    block.init();
    count = 0;
    total.finish(out);
  }
};

/// The K smallest terms of each of D components with their indices, ascending in the order
/// −∞ < finite < +∞ < NaN (numpy.sort), ties to the smaller index; empty slots are (+∞, −1).
template <class T, int64_t K, int64_t D> struct KMinState {
  Buffer<T, K * D> val;
  Buffer<int64_t, K * D> idx;
  void init() {
    for (int64_t k = 0; k < K * D; ++k) {
      val[k] = std::numeric_limits<T>::infinity();
      idx[k] = -1;
    }
  }
  /// Whether term (a, ia) sorts before slot (b, ib).
  static bool before(T a, int64_t ia, T b, int64_t ib) {
    if (ib < 0)
      return true;
    bool aNan = a != a, bNan = b != b;
    if (aNan || bNan)
      return aNan && bNan ? ia < ib : bNan;
    if (a != b)
      return a < b;
    return ia < ib;
  }
  void insert(int64_t d, T value, int64_t index) {
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
  void add(const T *f, int64_t index) {
    for (int64_t d = 0; d < D; ++d)
      insert(d, f[d], index);
  }
  void merge(const KMinState &o) {
    for (int64_t d = 0; d < D; ++d)
      for (int64_t k = 0; k < K && o.idx[k * D + d] >= 0; ++k)
        insert(d, o.val[k * D + d], o.idx[k * D + d]);
  }
  /// Either pointer may be null when the reduction does not output it.
  void finish(T *values, int64_t *indices) const {
    for (int64_t k = 0; k < K * D; ++k) {
      if (values)
        values[k] = val[k];
      if (indices)
        indices[k] = idx[k];
    }
  }
};

} // namespace
} // namespace keops_rt

#endif
