// keops/portable/chunked_terms.h: a chunked term (the kernel plan's ChunkedTerm, enable_chunks
// in SPEC.md §5.1) on the GPU schedules: S·W, S a scalar and W a reduced input of more
// components than a thread keeps in registers, the term of a Sum or the scalar formula and
// weight of the weighted LogSumExp family. A thread turns the S of up to kChunkTerms reduced rows
// into factors (S itself for a Sum; e^(S − m) for the LogSumExp family, after moving the state's
// maximum m to the sub-tile's), then adds Σ_t factor_t·W_t to its state a chunk of components at
// a time (keops/portable/gpu_schedule.h stages the chunks), with no temporary as wide as W.
// Each component's sum over the sub-tile starts from zero, as block summation's blocks do.
#ifndef KEOPS_PORTABLE_CHUNKED_TERMS_H
#define KEOPS_PORTABLE_CHUNKED_TERMS_H

#include "keops/portable/config.h"
#include "keops/portable/reductions.h"

#include <cstdint>
#include <type_traits>

namespace keops_rt {
namespace {

/// Reduced rows whose factors a thread keeps at once: at most 32, so that one bit each fits
/// ChunkFactors::skip.
constexpr int64_t kChunkTerms = 32;

/// The factors of a sub-tile's terms, in the accumulation type; `skip` bit t: term t adds
/// nothing (a −∞ or NaN S of the LogSumExp family, whose weight is not read).
template <class Acc> struct ChunkFactors {
  Acc f[kChunkTerms];
  uint32_t skip;
};

/// The state a chunked term accumulates into: the sums themselves, or block summation's total
/// (a chunked stage never fills the block: its sub-tiles are blocks of their own).
template <class T, class Policy, int64_t D>
KEOPS_HD SumState<T, Policy, D> &chunkCore(SumState<T, Policy, D> &s) {
  return s;
}
template <class T, class Policy, int64_t E>
KEOPS_HD ShiftExpCore<T, Policy, E> &chunkCore(ShiftExpCore<T, Policy, E> &s) {
  return s;
}
template <class State> KEOPS_HD auto &chunkCore(BlockState<State> &s) { return chunkCore(s.total); }

/// The factors of a stage whose reduction state is State.
template <class State>
using ChunkFactorsOf = ChunkFactors<
    typename std::remove_reference<decltype(chunkCore(*static_cast<State *>(nullptr)))>::type::Acc>;

/// Sum: the factors are the values of S.
template <class T, class Policy, int64_t D, class Acc>
KEOPS_HD void chunkFactors(SumState<T, Policy, D> &, ChunkFactors<Acc> &factors, int64_t) {
  factors.skip = 0;
}

/// The LogSumExp family: f holds S for `count` terms; the state's maximum moves to theirs (its
/// sums rescaled), and f becomes e^(S − m), the sub-tile's total added to the denominator. A NaN
/// S poisons the state and, like −∞, adds nothing (SPEC.md §4, as ShiftExpCore::add).
template <class T, class Policy, int64_t E, class Acc>
KEOPS_HD void chunkFactors(ShiftExpCore<T, Policy, E> &core, ChunkFactors<Acc> &factors,
                           int64_t count) {
  using Core = ShiftExpCore<T, Policy, E>;
  factors.skip = 0;
  Acc top = core.m;
  for (int64_t t = 0; t < count; ++t) {
    const Acc x = factors.f[t];
    if (isNan(x) || x == -infinity<Acc>()) {
      core.nan = core.nan || isNan(x);
      factors.skip |= uint32_t(1) << t;
    } else if (x > top) {
      top = x;
    }
  }
  if (top > core.m) {
    core.scaleAll(Core::shift(core.m, top));
    core.m = top;
  }
  Acc total = Acc(0);
  for (int64_t t = 0; t < count; ++t) {
    const bool skipped = (factors.skip >> t) & 1u;
    factors.f[t] = skipped ? Acc(0) : Core::shift(factors.f[t], core.m);
    total += factors.f[t];
  }
  core.den.add(total);
}

/// Component k's sums: a Sum's, or the LogSumExp family's s_k.
template <class T, class Policy, int64_t D>
KEOPS_HD Policy &chunkComponent(SumState<T, Policy, D> &s, int64_t k) {
  return s.acc[k];
}
template <class T, class Policy, int64_t E>
KEOPS_HD Policy &chunkComponent(ShiftExpCore<T, Policy, E> &core, int64_t k) {
  return core.s[k];
}

/// Adds Σ_t f_t·W_t,k over the sub-tile's `count` terms to components [first, first + width) ∩
/// [0, dim) of the state; w holds the chunk, `width` components per term.
template <class Core, class Acc, class Real>
KEOPS_HD void addChunkProducts(Core &core, const ChunkFactors<Acc> &factors, const Real *w,
                               int64_t count, int64_t first, int64_t width, int64_t dim) {
  for (int64_t k = 0; k < width && first + k < dim; ++k) {
    Acc sum = Acc(0);
    for (int64_t t = 0; t < count; ++t)
      if (!((factors.skip >> t) & 1u))
        sum += factors.f[t] * static_cast<Acc>(w[t * width + k]);
    chunkComponent(core, first + k).add(sum);
  }
}

} // namespace
} // namespace keops_rt

#endif
