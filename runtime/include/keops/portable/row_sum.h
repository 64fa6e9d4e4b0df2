// keops/portable/row_sum.h: the final sum of a gradient with respect to a Pm input (SPEC.md §6).
// Its stage leaves one row per output row of every batch; these sum, in a fixed order that does not
// depend on the thread count, into one row per group: per batch, or one for all batches when the
// Pm is batch_shared. The sum runs in the accumulator type and rounds once when stored. The CPU
// and the GPU (one thread per output component) compute each component with the same function.
#ifndef KEOPS_PORTABLE_ROW_SUM_H
#define KEOPS_PORTABLE_ROW_SUM_H

#include "keops/portable/accumulators.h"
#include "keops/portable/config.h"
#include "keops/portable/half.h"

#include <cstdint>

namespace keops_rt {
namespace {

/// How the rows add up: in order (direct), in order with compensation (kahan), or pairwise (the
/// block scheme's counterpart: error growing with log(rows), not rows).
enum class RowSumScheme { Direct, Kahan, Pairwise };

/// Rows below this many are summed in order at the leaves of the pairwise sum.
constexpr int64_t kRowSumLeaf = 32;

/// Component `k` of rows [begin, end) of `in` (rows of `width`), pairwise.
template <class Acc, class In>
KEOPS_HD Acc pairwiseColumn(const In *in, int64_t begin, int64_t end, int64_t width, int64_t k) {
  if (end - begin <= kRowSumLeaf) {
    DirectAcc<Acc> s;
    for (int64_t r = begin; r < end; ++r)
      s.add(Acc(in[r * width + k]));
    return s.value();
  }
  const int64_t mid = begin + (end - begin) / 2;
  return pairwiseColumn<Acc>(in, begin, mid, width, k) +
         pairwiseColumn<Acc>(in, mid, end, width, k);
}

/// Component `k` of rows [begin, end) of `in`, summed with `Policy` in row order.
template <class Policy, class Acc, class In>
KEOPS_HD Acc orderedColumn(const In *in, int64_t begin, int64_t end, int64_t width, int64_t k) {
  Policy s;
  for (int64_t r = begin; r < end; ++r)
    s.add(Acc(in[r * width + k]));
  return s.value();
}

/// Component k of group g of `sumRowGroups`.
template <class Acc, class In, class Out>
KEOPS_HD void sumRowGroupColumn(RowSumScheme scheme, const In *in, int64_t per, int64_t width,
                                int64_t g, int64_t k, Out *out) {
  const int64_t begin = g * per, end = begin + per;
  Acc s = scheme == RowSumScheme::Pairwise ? pairwiseColumn<Acc>(in, begin, end, width, k)
          : scheme == RowSumScheme::Kahan
              ? orderedColumn<KahanAcc<Acc>, Acc>(in, begin, end, width, k)
              : orderedColumn<DirectAcc<Acc>, Acc>(in, begin, end, width, k);
  out[g * width + k] = storeAs<Out>(s);
}

/// out (groups × width) = the sums of `groups` consecutive equal groups of the `rows` rows of
/// `in` (rows × width; rows is a multiple of groups).
template <class Acc, class In, class Out>
void sumRowGroups(RowSumScheme scheme, const In *in, int64_t rows, int64_t groups, int64_t width,
                  Out *out) {
  const int64_t per = groups > 0 ? rows / groups : 0;
  for (int64_t g = 0; g < groups; ++g)
    for (int64_t k = 0; k < width; ++k)
      sumRowGroupColumn<Acc>(scheme, in, per, width, g, k, out);
}

} // namespace
} // namespace keops_rt

#endif
