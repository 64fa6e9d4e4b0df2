// keops/portable/partial_states.h: the states of the partial, merge and finalize entry points
// (sharding: a reduction split over parts of its reduced axis). A part's state of each output
// row is stored as the plain bytes of its reduction state (keops/portable/reductions.h), the same
// layout on every backend and instruction set: block summation's running block is folded into
// its total first, so what is stored is the inner state alone. Every state's merge commutes up to
// rounding (Min/Max and the K-min family exactly: ties go to the smaller global index), so parts
// merge in any order.
#ifndef KEOPS_PORTABLE_PARTIAL_STATES_H
#define KEOPS_PORTABLE_PARTIAL_STATES_H

#include "keops/portable/config.h"
#include "keops/portable/reductions.h"

#include <cstdint>
#include <cstring>

namespace keops_rt {
namespace {

/// The state a part stores: the state itself, or block summation's total with its running block
/// folded in.
template <class State> KEOPS_HD State &storedState(State &s) { return s; }
template <class State> KEOPS_HD State &storedState(BlockState<State> &s) {
  s.total.merge(s.block);
  s.block.init();
  s.count = 0;
  return s.total;
}

/// A part's indices are its own (0 at its first reduced row): moved by `offset` into the whole
/// axis' (empty slots stay −1). Only the Min/Max and K-min states hold indices.
template <class State> KEOPS_HD void shiftIndices(State &, int64_t) {}
template <class T, int64_t K, int64_t D>
KEOPS_HD void shiftIndices(KMinState<T, K, D> &s, int64_t offset) {
  for (int64_t k = 0; k < K * D; ++k)
    s.idx[k] += s.idx[k] >= 0 ? offset : 0;
}
template <class T, int64_t D, bool IsMax>
KEOPS_HD void shiftIndices(MinMaxState<T, D, IsMax> &s, int64_t offset) {
  for (int64_t d = 0; d < D; ++d)
    s.idx[d] += s.idx[d] >= 0 ? offset : 0;
}

/// Row r's stored state in a buffer of states of `bytes` each (memcpy: the caller's buffer needs
/// no alignment beyond a byte).
template <class Stored> KEOPS_HD Stored loadState(const void *states, int64_t r) {
  Stored s;
  std::memcpy(static_cast<void *>(&s), static_cast<const char *>(states) + r * int64_t(sizeof s),
              sizeof s);
  return s;
}
template <class Stored> KEOPS_HD void storeState(void *states, int64_t r, const Stored &s) {
  std::memcpy(static_cast<char *>(states) + r * int64_t(sizeof s), static_cast<const void *>(&s),
              sizeof s);
}

} // namespace
} // namespace keops_rt

#endif
