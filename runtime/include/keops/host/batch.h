// keops/host/batch.h: batches (SPEC.md §5.4). A batch of B problems of the same sizes is one call
// whose arrays hold B consecutive blocks (one block for a shared input); the CPU kernels split the
// B × rows output rows over the threads and run each batch's part with the arrays of that batch.
#ifndef KEOPS_RUNTIME_BATCH_H
#define KEOPS_RUNTIME_BATCH_H

#include "keops/host/checks.h"

#include <algorithm>
#include <cstdint>

namespace keops_rt {
namespace {

/// The number of problems of a call (the batch field: 0 and 1 both mean one).
inline int64_t batchCount(const keops_options &o) { return o.batch > 1 ? o.batch : 1; }

/// Whether C input `k` is one block used by every batch.
inline bool sharedInput(const keops_options &o, int k) {
  return o.batch_shared && o.batch_shared[k] != 0;
}

/// The blocks input `k` holds: 1 when shared, else the batch count.
inline int64_t inputBlocks(const keops_options &o, int k) {
  return sharedInput(o, k) ? 1 : batchCount(o);
}

/// batch_shared holds one flag per C input, each 0 or 1 (anything else is likely garbage).
inline keops_status checkBatchShared(const keops_options &o, int inputs, const ErrorSink &err) {
  if (!o.batch_shared)
    return KEOPS_OK;
  for (int k = 0; k < inputs; ++k)
    if (o.batch_shared[k] > 1)
      return err.fail(KEOPS_ERROR_INVALID_BATCH, "batch_shared[%d] = %d: flags must be 0 or 1", k,
                      int(o.batch_shared[k]));
  return KEOPS_OK;
}

/// Calls fn(b, lo, hi) for batch b's local rows [lo, hi) of the flattened rows [begin, end) of
/// consecutive batches of `rows` rows each.
template <class Fn> void forEachBatch(int64_t begin, int64_t end, int64_t rows, Fn fn) {
  while (begin < end) {
    const int64_t b = begin / rows, lo = begin - b * rows;
    const int64_t hi = std::min(rows, lo + (end - begin));
    fn(b, lo, hi);
    begin += hi - lo;
  }
}

} // namespace
} // namespace keops_rt

#endif
