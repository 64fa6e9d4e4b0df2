// Tests of the runtime's block-sparse ranges (SPEC.md §5.3: every check, the spans each row
// walks) and of the batch helpers (SPEC.md §5.4). Codegen is not involved.
#include "keops/api.h"
// The runtime headers expect keops/api.h first, as in generated sources.
#include "keops/host/batch.h"
#include "keops/host/checks.h"
#include "keops/host/ranges.h"

#include <gtest/gtest.h>
#include <string>
#include <utility>
#include <vector>

namespace {

using namespace keops_rt;

/// The ranges of a reduction over j, as vectors; `ranges()` points into them.
struct RangesOverJ {
  std::vector<int64_t> rangesI, slicesI, redrangesJ;
  keops_ranges ranges() const {
    keops_ranges r = {};
    r.nranges_i = int64_t(slicesI.size());
    r.ranges_i = rangesI.data();
    r.slices_i = slicesI.data();
    r.nredranges_j = int64_t(redrangesJ.size() / 2);
    r.redranges_j = redrangesJ.data();
    return r;
  }
};

struct Built {
  keops_status status;
  std::string message;
  CallRanges ranges;
};

Built build(const keops_ranges &r, int64_t M, int64_t N, bool overJ = true, bool overI = false) {
  char message[256] = "";
  const ErrorSink err{message, sizeof message};
  Built b;
  b.status = buildCallRanges(&r, M, N, overJ, overI, b.ranges, err);
  b.message = message;
  return b;
}

/// The reduced indices row `row` walks, in order (rows visited in increasing order from `from`).
std::vector<std::vector<int64_t>> walk(const RowSpans &spans, int64_t from, int64_t to) {
  SpanWalker walker(spans, from);
  std::vector<std::vector<int64_t>> rows;
  for (int64_t r = from; r < to; ++r) {
    const Span *span = nullptr;
    int64_t count = 0;
    walker.spansOf(r, span, count);
    rows.emplace_back();
    for (int64_t q = 0; q < count; ++q)
      for (int64_t t = span[q].begin; t < span[q].end; ++t)
        rows.back().push_back(t);
  }
  return rows;
}

using Rows = std::vector<std::vector<int64_t>>;

TEST(Ranges, WithoutRangesEveryRowReducesOverEverything) {
  char message[64];
  CallRanges ranges;
  ASSERT_EQ(buildCallRanges(nullptr, 3, 2, true, true, ranges, {message, sizeof message}),
            KEOPS_OK);
  EXPECT_EQ(walk(ranges.overJ, 0, 3), (Rows{{0, 1}, {0, 1}, {0, 1}}));
  EXPECT_EQ(walk(ranges.overI, 0, 2), (Rows{{0, 1, 2}, {0, 1, 2}}));
}

TEST(Ranges, ClustersInAnyOrderWithSortedSpansAndUncoveredRows) {
  // Rows [4, 6) reduce over [5, 7) and [0, 2) (given in that order), rows [0, 2) over [3, 4);
  // rows 2, 3 and 6 are covered by no cluster; an empty cluster [6, 6) and an empty interval.
  const RangesOverJ r{{4, 6, 0, 2, 6, 6}, {2, 4, 4}, {5, 7, 0, 2, 3, 4, 1, 1}};
  const Built b = build(r.ranges(), 7, 8);
  ASSERT_EQ(b.status, KEOPS_OK) << b.message;
  const Rows expected = {{3}, {3}, {}, {}, {0, 1, 5, 6}, {0, 1, 5, 6}, {}};
  EXPECT_EQ(walk(b.ranges.overJ, 0, 7), expected);
  // A thread starting mid-way finds its cluster too.
  EXPECT_EQ(walk(b.ranges.overJ, 5, 7), (Rows{expected[5], expected[6]}));
  EXPECT_EQ(walk(b.ranges.overJ, 3, 4), (Rows{expected[3]}));
}

TEST(Ranges, EmptyTripleWithArraysMeansNoRowIsCovered) {
  const int64_t none = 0;
  keops_ranges r = {};
  r.ranges_i = r.slices_i = r.redranges_j = &none;
  const Built b = build(r, 2, 2);
  ASSERT_EQ(b.status, KEOPS_OK) << b.message;
  EXPECT_EQ(walk(b.ranges.overJ, 0, 2), (Rows{{}, {}}));
}

struct BadCase {
  const char *what;
  RangesOverJ ranges;
  const char *message; ///< a part of the expected message
};

TEST(Ranges, EveryMalformedTripleIsRejectedWithItsOwnMessage) {
  const BadCase cases[] = {
      {"output interval past M", {{0, 5}, {1}, {0, 1}}, "ranges_i[0] = [0, 5)"},
      {"negative begin", {{-1, 2}, {1}, {0, 1}}, "ranges_i[0] = [-1, 2)"},
      {"begin after end", {{2, 1}, {1}, {0, 1}}, "ranges_i[0] = [2, 1)"},
      {"reduced interval past N", {{0, 1}, {1}, {0, 4}}, "redranges_j[0] = [0, 4)"},
      {"decreasing slices", {{0, 1, 1, 2}, {1, 0}, {0, 1}}, "slices_i[1] = 0"},
      {"slice past the count", {{0, 1}, {2}, {0, 1}}, "slices_i[0] = 2"},
      {"overlapping outputs", {{0, 2, 1, 3}, {1, 1}, {0, 1}}, "output intervals of ranges_i"},
      {"overlapping slice", {{0, 1}, {2}, {0, 2, 1, 3}}, "slice overlap"},
  };
  for (const BadCase &c : cases) {
    const Built b = build(c.ranges.ranges(), 3, 3);
    EXPECT_EQ(b.status, KEOPS_ERROR_INVALID_RANGES) << c.what;
    EXPECT_NE(b.message.find(c.message), std::string::npos) << c.what << ": " << b.message;
  }
}

TEST(Ranges, ANeededTripleMustBeGivenAndArraysMustHoldTheirCounts) {
  const RangesOverJ overJ{{0, 1}, {1}, {0, 1}};
  // Reducing over i needs the second triple, absent here.
  Built b = build(overJ.ranges(), 2, 2, false, true);
  EXPECT_EQ(b.status, KEOPS_ERROR_INVALID_RANGES);
  EXPECT_NE(b.message.find("ranges_j, slices_j and redranges_i are NULL"), std::string::npos)
      << b.message;
  keops_ranges r = overJ.ranges();
  r.redranges_j = nullptr;
  b = build(r, 2, 2);
  EXPECT_EQ(b.status, KEOPS_ERROR_INVALID_RANGES);
  EXPECT_NE(b.message.find("redranges_j is NULL"), std::string::npos) << b.message;
  r = overJ.ranges();
  r.nranges_i = -1;
  EXPECT_EQ(build(r, 2, 2).status, KEOPS_ERROR_INVALID_RANGES);
  // Not needed, not read: an axis the entry point does not reduce over.
  EXPECT_EQ(build(overJ.ranges(), 2, 2, true, false).status, KEOPS_OK);
}

TEST(Ranges, FromBlocksBuildsBothTriplesAndChecksItsArguments) {
  char message[256] = "";
  const ErrorSink err{message, sizeof message};
  // i clusters [0, 2), [2, 5); j clusters [0, 3), [3, 4), [4, 6); mask rows are i clusters.
  const int64_t ci[] = {0, 2, 2, 5}, cj[] = {0, 3, 3, 4, 4, 6};
  const uint8_t mask[] = {1, 0, 1, 0, 1, 0};
  std::vector<int64_t> storage(2 + 3 + 4 * 3, -9);
  keops_ranges r;
  ASSERT_EQ(rangesFromBlocks(2, ci, 3, cj, mask, storage.data(), int64_t(storage.size()), &r, err),
            KEOPS_OK)
      << message;
  const Built b = build(r, 5, 6, true, true);
  ASSERT_EQ(b.status, KEOPS_OK) << b.message;
  EXPECT_EQ(walk(b.ranges.overJ, 0, 5), (Rows{{0, 1, 2, 4, 5}, {0, 1, 2, 4, 5}, {3}, {3}, {3}}));
  EXPECT_EQ(walk(b.ranges.overI, 0, 6), (Rows{{0, 1}, {0, 1}, {0, 1}, {2, 3, 4}, {0, 1}, {0, 1}}));
  // One int64_t short: refused, with the size needed.
  EXPECT_EQ(
      rangesFromBlocks(2, ci, 3, cj, mask, storage.data(), int64_t(storage.size()) - 1, &r, err),
      KEOPS_ERROR_INVALID_SIZE);
  EXPECT_NE(std::string(message).find("need 17"), std::string::npos) << message;
  EXPECT_EQ(rangesFromBlocks(2, ci, 3, cj, nullptr, storage.data(), 17, &r, err),
            KEOPS_ERROR_NULL_POINTER);
  EXPECT_EQ(rangesFromBlocks(-1, ci, 3, cj, mask, storage.data(), 17, &r, err),
            KEOPS_ERROR_INVALID_SIZE);
  // No clusters: every array still non-NULL, so entry points see a given (empty) triple.
  ASSERT_EQ(rangesFromBlocks(0, nullptr, 0, nullptr, nullptr, nullptr, 0, &r, err), KEOPS_OK);
  EXPECT_EQ(build(r, 3, 3, true, true).status, KEOPS_OK);
}

TEST(Batch, ForEachBatchSplitsFlattenedRowsAtBatchBoundaries) {
  std::vector<std::vector<int64_t>> parts;
  forEachBatch(2, 11, 4, [&](int64_t b, int64_t lo, int64_t hi) { parts.push_back({b, lo, hi}); });
  EXPECT_EQ(parts, (std::vector<std::vector<int64_t>>{{0, 2, 4}, {1, 0, 4}, {2, 0, 3}}));
}

TEST(Batch, SharedFlagsAndCounts) {
  char message[128];
  const ErrorSink err{message, sizeof message};
  keops_options o = KEOPS_OPTIONS_DEFAULT;
  EXPECT_EQ(batchCount(o), 1);
  o.batch = 5;
  const uint8_t shared[] = {0, 1, 0};
  o.batch_shared = shared;
  EXPECT_EQ(checkBatchShared(o, 3, err), KEOPS_OK);
  EXPECT_EQ(inputBlocks(o, 0), 5);
  EXPECT_EQ(inputBlocks(o, 1), 1);
  const uint8_t garbage[] = {0, 7};
  o.batch_shared = garbage;
  EXPECT_EQ(checkBatchShared(o, 2, err), KEOPS_ERROR_INVALID_BATCH);
  EXPECT_NE(std::string(message).find("batch_shared[1] = 7"), std::string::npos) << message;
}

} // namespace
