// Tests of the row sum that finishes gradients with respect to Pm inputs (keops/portable/row_sum.h,
// SPEC.md §6): groups of consecutive rows, each scheme's order, one rounding when stored.
#include "keops/api.h"
// The runtime headers expect keops/api.h first, as in generated sources.
#include "keops/portable/row_sum.h"

#include <gtest/gtest.h>
#include <vector>

namespace {

using namespace keops_rt;

TEST(RowSum, GroupsOfConsecutiveRows) {
  // 6 rows of width 2 in 3 groups (a batch of 3 of 2 rows), then in 1 (a shared Pm).
  const std::vector<double> rows = {1, 10, 2, 20, 3, 30, 4, 40, 5, 50, 6, 60};
  std::vector<double> out(6, -1);
  sumRowGroups<double>(RowSumScheme::Pairwise, rows.data(), 6, 3, 2, out.data());
  EXPECT_EQ(out, (std::vector<double>{3, 30, 7, 70, 11, 110}));
  std::vector<double> one(2, -1);
  sumRowGroups<double>(RowSumScheme::Direct, rows.data(), 6, 1, 2, one.data());
  EXPECT_EQ(one, (std::vector<double>{21, 210}));
}

TEST(RowSum, NoRowsIsZero) {
  std::vector<float> out(3, -1);
  sumRowGroups<float>(RowSumScheme::Kahan, static_cast<const float *>(nullptr), 0, 1, 3,
                      out.data());
  EXPECT_EQ(out, (std::vector<float>{0, 0, 0}));
}

TEST(RowSum, SchemesAccumulateAsNamed) {
  // 2^20 rows of 1 + 2^-18 in float32: the exact sum 2^20 + 4 is representable, and so is every
  // partial sum of a pairwise tree (2^k rows: 2^k + 2^(k-18)), but a running sum in row order
  // rounds once it passes 2^6 rows. Kahan recovers what the running sum drops.
  const int64_t n = int64_t(1) << 20;
  const float x = 1.0f + 1.0f / float(1 << 18), exact = float(n) + 4.0f;
  const std::vector<float> rows(size_t(n), x);
  float inOrder = 0;
  for (int64_t r = 0; r < n; ++r)
    inOrder += x;
  ASSERT_NE(inOrder, exact); // the case means something
  float direct = 0, kahan = 0, pairwise = 0;
  sumRowGroups<float>(RowSumScheme::Direct, rows.data(), n, 1, 1, &direct);
  sumRowGroups<float>(RowSumScheme::Kahan, rows.data(), n, 1, 1, &kahan);
  sumRowGroups<float>(RowSumScheme::Pairwise, rows.data(), n, 1, 1, &pairwise);
  EXPECT_EQ(direct, inOrder);
  EXPECT_EQ(pairwise, exact);
  EXPECT_EQ(kahan, exact);
}

TEST(RowSum, Float16RoundsOnceAtTheEnd) {
  // 2048 + 1 + 1 in float32 rows, stored as binary16: 2050 exactly (spacing 2 there), where
  // rounding each partial sum to binary16 would stay at 2048 (ties to even).
  const std::vector<float> rows = {2048, 1, 1};
  uint16_t out = 0;
  sumRowGroups<float>(RowSumScheme::Direct, rows.data(), 3, 1, 1, &out);
  EXPECT_EQ(halfToFloat(out), 2050.0f);
}

} // namespace
