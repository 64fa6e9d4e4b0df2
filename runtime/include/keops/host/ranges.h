// keops/host/ranges.h: block-sparse ranges (SPEC.md §5.3) checked and turned into what a kernel
// walks: for each output row, the sorted list of reduced-index spans [begin, end) it reduces over.
// A call without ranges is one span [0, reduced length) for every row, so kernels have one path.
// The spans of a cluster are sorted, so every row sees its terms in increasing index order, as
// without ranges (ties to the smallest index and block boundaries do not depend on the caller's
// interval order).
#ifndef KEOPS_RUNTIME_RANGES_H
#define KEOPS_RUNTIME_RANGES_H

#include "keops/host/checks.h"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace keops_rt {
namespace {

/// Reduced indices [begin, end).
struct Span {
  int64_t begin;
  int64_t end;
};

/// Output rows [rows.begin, rows.end) reduce over spans [first, last) of RowSpans::spans.
struct Cluster {
  Span rows;
  int64_t first;
  int64_t last;
};

/// The spans of every output row of one reduction axis. Dense: one span for every row.
struct RowSpans {
  bool dense = true;
  Span all = {0, 0};
  std::vector<Cluster> clusters; ///< non-empty row intervals, sorted and disjoint
  std::vector<Span> spans;       ///< per cluster: its non-empty intervals, sorted and disjoint
};

/// Hands out the spans of rows visited in increasing order (one per thread).
class SpanWalker {
public:
  SpanWalker(const RowSpans &spans, int64_t firstRow) : s_(spans) {
    if (s_.dense)
      return;
    // The first cluster that ends after firstRow.
    next_ = std::upper_bound(s_.clusters.begin(), s_.clusters.end(), firstRow,
                             [](int64_t row, const Cluster &c) { return row < c.rows.end; }) -
            s_.clusters.begin();
  }

  /// The spans of `row`: none for a row no cluster covers (its result is the empty value).
  void spansOf(int64_t row, const Span *&first, int64_t &count) {
    if (s_.dense) {
      first = &s_.all;
      count = 1;
      return;
    }
    while (next_ < s_.clusters.size() && s_.clusters[next_].rows.end <= row)
      ++next_;
    if (next_ == s_.clusters.size() || row < s_.clusters[next_].rows.begin) {
      first = nullptr;
      count = 0;
      return;
    }
    const Cluster &c = s_.clusters[next_];
    first = s_.spans.data() + c.first;
    count = c.last - c.first;
  }

private:
  const RowSpans &s_;
  size_t next_ = 0;
};

/// The two axes' spans of one call: over j (axis 1, KeOps's first triple) and over i (axis 0).
struct CallRanges {
  RowSpans overJ;
  RowSpans overI;
  const RowSpans &forAxis(int axis) const { return axis == 1 ? overJ : overI; }
};

/// One triple of keops_ranges with the names its messages use.
struct RangeTriple {
  int64_t count;
  const int64_t *ranges;
  const int64_t *slices;
  int64_t reducedCount;
  const int64_t *reduced;
  const char *rangesName;
  const char *slicesName;
  const char *reducedName;
  int64_t outputLength; ///< M or N: bound of the output intervals
  int64_t reducedLength;
  const char *outputLengthName; ///< "M" or "N"
  const char *reducedLengthName;
};

inline bool spanBefore(const Span &a, const Span &b) {
  return a.begin < b.begin || (a.begin == b.begin && a.end < b.end);
}

/// The first pair of overlapping spans in a sorted list of non-empty spans, or -1.
inline int64_t firstOverlap(const Span *sorted, int64_t count) {
  for (int64_t k = 1; k < count; ++k)
    if (sorted[k].begin < sorted[k - 1].end)
      return k;
  return -1;
}

inline keops_status checkIntervals(const ErrorSink &err, const char *name, const int64_t *pairs,
                                   int64_t count, int64_t length, const char *lengthName) {
  for (int64_t k = 0; k < count; ++k) {
    const int64_t a = pairs[2 * k], b = pairs[2 * k + 1];
    if (!(0 <= a && a <= b && b <= length))
      return err.fail(KEOPS_ERROR_INVALID_RANGES,
                      "%s[%lld] = [%lld, %lld) is not within [0, %s = %lld] with begin <= end",
                      name, (long long)k, (long long)a, (long long)b, lengthName,
                      (long long)length);
  }
  return KEOPS_OK;
}

inline keops_status checkTripleArrays(const RangeTriple &t, const ErrorSink &err) {
  if (!t.ranges && !t.slices && !t.reduced)
    return err.fail(KEOPS_ERROR_INVALID_RANGES,
                    "ranges are given but %s, %s and %s are NULL, and this entry point needs them",
                    t.rangesName, t.slicesName, t.reducedName);
  if (t.count < 0 || t.reducedCount < 0)
    return err.fail(KEOPS_ERROR_INVALID_RANGES, "negative interval count in %s or %s (%lld, %lld)",
                    t.rangesName, t.reducedName, (long long)t.count, (long long)t.reducedCount);
  if (t.count > INT64_MAX / 2 || t.reducedCount > INT64_MAX / 2)
    return err.fail(KEOPS_ERROR_INVALID_RANGES, "interval count of %s or %s is too large",
                    t.rangesName, t.reducedName);
  if (t.count > 0 && (!t.ranges || !t.slices))
    return err.fail(KEOPS_ERROR_INVALID_RANGES, "%s or %s is NULL but holds %lld intervals",
                    t.rangesName, t.slicesName, (long long)t.count);
  if (t.reducedCount > 0 && !t.reduced)
    return err.fail(KEOPS_ERROR_INVALID_RANGES, "%s is NULL but holds %lld intervals",
                    t.reducedName, (long long)t.reducedCount);
  return KEOPS_OK;
}

inline keops_status checkSlices(const RangeTriple &t, const ErrorSink &err) {
  int64_t previous = 0;
  for (int64_t k = 0; k < t.count; ++k) {
    if (t.slices[k] < previous || t.slices[k] > t.reducedCount)
      return err.fail(KEOPS_ERROR_INVALID_RANGES,
                      "%s[%lld] = %lld: slices must be non-decreasing from 0 and at most %s's "
                      "count %lld",
                      t.slicesName, (long long)k, (long long)t.slices[k], t.reducedName,
                      (long long)t.reducedCount);
    previous = t.slices[k];
  }
  return KEOPS_OK;
}

/// Checks one triple (SPEC.md §5.3) and builds its row spans; nothing is trusted unchecked.
inline keops_status buildRowSpans(const RangeTriple &t, RowSpans &out, const ErrorSink &err) {
  keops_status status = checkTripleArrays(t, err);
  if (status == KEOPS_OK)
    status =
        checkIntervals(err, t.rangesName, t.ranges, t.count, t.outputLength, t.outputLengthName);
  if (status == KEOPS_OK)
    status = checkIntervals(err, t.reducedName, t.reduced, t.reducedCount, t.reducedLength,
                            t.reducedLengthName);
  if (status == KEOPS_OK)
    status = checkSlices(t, err);
  if (status != KEOPS_OK)
    return status;
  out.dense = false;
  out.clusters.clear();
  out.spans.clear();
  for (int64_t k = 0; k < t.count; ++k) {
    const Span rows = {t.ranges[2 * k], t.ranges[2 * k + 1]};
    if (rows.begin == rows.end)
      continue; // an empty cluster writes nothing; its slice is still checked
    Cluster c = {rows, int64_t(out.spans.size()), 0};
    for (int64_t l = k == 0 ? 0 : t.slices[k - 1]; l < t.slices[k]; ++l)
      if (t.reduced[2 * l] < t.reduced[2 * l + 1])
        out.spans.push_back({t.reduced[2 * l], t.reduced[2 * l + 1]});
    c.last = int64_t(out.spans.size());
    Span *first = out.spans.data() + c.first, *last = out.spans.data() + c.last;
    std::sort(first, last, spanBefore);
    const int64_t clash = firstOverlap(first, c.last - c.first);
    if (clash >= 0)
      return err.fail(KEOPS_ERROR_INVALID_RANGES,
                      "the intervals of %s[%lld]'s slice overlap ([%lld, %lld) and [%lld, %lld))",
                      t.rangesName, (long long)k, (long long)first[clash - 1].begin,
                      (long long)first[clash - 1].end, (long long)first[clash].begin,
                      (long long)first[clash].end);
    out.clusters.push_back(c);
  }
  std::sort(out.clusters.begin(), out.clusters.end(),
            [](const Cluster &a, const Cluster &b) { return spanBefore(a.rows, b.rows); });
  for (size_t k = 1; k < out.clusters.size(); ++k)
    if (out.clusters[k].rows.begin < out.clusters[k - 1].rows.end)
      return err.fail(KEOPS_ERROR_INVALID_RANGES,
                      "output intervals of %s overlap ([%lld, %lld) and [%lld, %lld))",
                      t.rangesName, (long long)out.clusters[k - 1].rows.begin,
                      (long long)out.clusters[k - 1].rows.end,
                      (long long)out.clusters[k].rows.begin, (long long)out.clusters[k].rows.end);
  return KEOPS_OK;
}

/// The spans of a call: dense without ranges; otherwise the triples of the axes the entry point
/// reduces over (`overJ`, `overI`) are checked and built. Called before anything is written.
inline keops_status buildCallRanges(const keops_ranges *r, int64_t M, int64_t N, bool overJ,
                                    bool overI, CallRanges &out, const ErrorSink &err) {
  out.overJ = RowSpans();
  out.overJ.all = {0, N};
  out.overI = RowSpans();
  out.overI.all = {0, M};
  if (!r)
    return KEOPS_OK;
  if (overJ) {
    const RangeTriple j = {r->nranges_i,
                           r->ranges_i,
                           r->slices_i,
                           r->nredranges_j,
                           r->redranges_j,
                           "ranges_i",
                           "slices_i",
                           "redranges_j",
                           M,
                           N,
                           "M",
                           "N"};
    keops_status status = buildRowSpans(j, out.overJ, err);
    if (status != KEOPS_OK)
      return status;
  }
  if (overI) {
    const RangeTriple i = {r->nranges_j,
                           r->ranges_j,
                           r->slices_j,
                           r->nredranges_i,
                           r->redranges_i,
                           "ranges_j",
                           "slices_j",
                           "redranges_i",
                           N,
                           M,
                           "N",
                           "M"};
    return buildRowSpans(i, out.overI, err);
  }
  return KEOPS_OK;
}

/// The int64_t storage rangesFromBlocks needs, or -1 on overflow.
inline int64_t blockRangesStorage(int64_t nclustersI, int64_t nclustersJ, const uint8_t *mask) {
  int64_t kept = 0;
  for (int64_t k = 0; k < nclustersI * nclustersJ; ++k)
    kept += mask[k] != 0 ? 1 : 0;
  int64_t total = 0;
  if (__builtin_mul_overflow(kept, 4, &total) ||
      __builtin_add_overflow(total, nclustersI, &total) ||
      __builtin_add_overflow(total, nclustersJ, &total))
    return -1;
  return total;
}

/// KeOps's 6-tuple from cluster bounds and a block mask (pykeops's from_matrix): cluster a of the
/// i side reduces over the j clusters b with mask[a][b] != 0, and cluster b of the j side over
/// the i clusters a with mask[a][b] != 0. `out` points into the cluster arrays and `storage`
/// (slices_i, slices_j, then redranges_j and redranges_i). The intervals are checked by the
/// entry points, not here.
inline keops_status rangesFromBlocks(int64_t nclustersI, const int64_t *clustersI,
                                     int64_t nclustersJ, const int64_t *clustersJ,
                                     const uint8_t *mask, int64_t *storage, int64_t storageSize,
                                     keops_ranges *out, const ErrorSink &err) {
  if (nclustersI < 0 || nclustersJ < 0 || storageSize < 0)
    return err.fail(KEOPS_ERROR_INVALID_SIZE,
                    "cluster counts and storage size must be >= 0, got %lld, %lld and %lld",
                    (long long)nclustersI, (long long)nclustersJ, (long long)storageSize);
  int64_t blocks = 0;
  if (__builtin_mul_overflow(nclustersI, nclustersJ, &blocks) || blocks > INT64_MAX / 4)
    return err.fail(KEOPS_ERROR_INVALID_SIZE, "%lld x %lld clusters overflow int64_t",
                    (long long)nclustersI, (long long)nclustersJ);
  if (!out || (nclustersI > 0 && !clustersI) || (nclustersJ > 0 && !clustersJ) ||
      (blocks > 0 && !mask))
    return err.fail(KEOPS_ERROR_NULL_POINTER, "a NULL cluster array, mask or output");
  const int64_t needed =
      blocks > 0 ? blockRangesStorage(nclustersI, nclustersJ, mask) : nclustersI + nclustersJ;
  if (needed > 0 && !storage)
    return err.fail(KEOPS_ERROR_NULL_POINTER, "storage is NULL but %lld elements are needed",
                    (long long)needed);
  if (storageSize < needed)
    return err.fail(KEOPS_ERROR_INVALID_SIZE,
                    "storage holds %lld int64_t but these blocks need %lld (clusters_i + "
                    "clusters_j + 4 per kept block)",
                    (long long)storageSize, (long long)needed);
  int64_t *slicesI = storage, *slicesJ = storage + nclustersI;
  int64_t *redJ = slicesJ + nclustersJ;
  int64_t kept = 0;
  for (int64_t a = 0; a < nclustersI; ++a) {
    for (int64_t b = 0; b < nclustersJ; ++b)
      if (mask[a * nclustersJ + b]) {
        redJ[2 * kept] = clustersJ[2 * b];
        redJ[2 * kept + 1] = clustersJ[2 * b + 1];
        ++kept;
      }
    slicesI[a] = kept;
  }
  int64_t *redI = redJ + 2 * kept;
  int64_t keptI = 0;
  for (int64_t b = 0; b < nclustersJ; ++b) {
    for (int64_t a = 0; a < nclustersI; ++a)
      if (mask[a * nclustersJ + b]) {
        redI[2 * keptI] = clustersI[2 * a];
        redI[2 * keptI + 1] = clustersI[2 * a + 1];
        ++keptI;
      }
    slicesJ[b] = keptI;
  }
  // Empty arrays still get a non-NULL address: a NULL triple means "not given" to entry points.
  static const int64_t kNone[2] = {0, 0};
  auto nonNull = [](const int64_t *p) { return p ? p : kNone; };
  *out = keops_ranges{nclustersI, nonNull(clustersI), nonNull(slicesI), kept,  nonNull(redJ),
                      nclustersJ, nonNull(clustersJ), nonNull(slicesJ), keptI, nonNull(redI)};
  return KEOPS_OK;
}

} // namespace
} // namespace keops_rt

#endif
