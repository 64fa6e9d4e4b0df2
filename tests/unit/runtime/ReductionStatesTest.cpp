// Tests of the runtime pasted into generated code: reduction states on special values
// (SPEC.md §4), summation schemes, the thread loop and argument checks. Codegen is not involved.
#include "keops/api.h"
// The runtime headers expect keops/api.h first, as in generated sources.
#include "keops/host/checks.h"
#include "keops/host/parallel.h"
#include "keops/portable/reductions.h"

#include <atomic>
#include <cmath>
#include <gtest/gtest.h>
#include <limits>
#include <utility>
#include <vector>

namespace {

using namespace keops_rt;
constexpr float kInf = std::numeric_limits<float>::infinity();
const float kNan = std::numeric_limits<float>::quiet_NaN();

float logSumExp(const std::vector<float> &terms) {
  LogSumExpState<float, DirectAcc<float>> state;
  state.init();
  for (size_t j = 0; j < terms.size(); ++j)
    state.add(&terms[j], int64_t(j));
  float out = 0;
  state.finish(&out);
  return out;
}

} // namespace

TEST(LogSumExpState, MinusInfinityTermsContributeZeroInAnyOrder) {
  EXPECT_FLOAT_EQ(logSumExp({-kInf, 0.0f, -kInf}), 0.0f);
  EXPECT_FLOAT_EQ(logSumExp({0.0f, -kInf}), 0.0f);
  EXPECT_FLOAT_EQ(logSumExp({1.0f, 1.0f}), 1.0f + std::log(2.0f));
}

TEST(LogSumExpState, EmptyAllMinusInfinityPlusInfinityAndNan) {
  EXPECT_EQ(logSumExp({}), -kInf);
  EXPECT_EQ(logSumExp({-kInf, -kInf}), -kInf);
  EXPECT_EQ(logSumExp({1.0f, kInf, kInf, 2.0f}), kInf);
  EXPECT_TRUE(std::isnan(logSumExp({1.0f, kNan, 2.0f})));
}

TEST(LogSumExpState, BlockMergesAgreeWithOnePass) {
  std::vector<float> terms;
  for (int j = 0; j < 1000; ++j)
    terms.push_back(std::sin(float(j)) * 30.0f);
  BlockState<LogSumExpState<float, DirectAcc<double>>> blocked;
  blocked.init();
  double reference = 0, m = -1e300;
  for (float t : terms)
    m = std::max(m, double(t));
  for (float t : terms)
    reference += std::exp(double(t) - m);
  for (size_t j = 0; j < terms.size(); ++j)
    blocked.add(&terms[j], int64_t(j));
  float out = 0;
  blocked.finish(&out);
  EXPECT_NEAR(out, m + std::log(reference), 1e-5);
}

TEST(KahanAcc, RecoversWhatAFloatRunningSumLoses) {
  DirectAcc<float> direct;
  KahanAcc<float> kahan;
  direct.add(1e8f);
  kahan.add(1e8f);
  for (int k = 0; k < 1000; ++k) {
    direct.add(1.0f);
    kahan.add(1.0f);
  }
  EXPECT_EQ(direct.value(), 1e8f); // every 1 is lost
  EXPECT_EQ(kahan.value(), 1e8f + 1000.0f);
}

TEST(KMinState, OrdersMinusInfFiniteInfNanAndTiesByIndex) {
  KMinState<float, 5, 1> state;
  state.init();
  const float terms[] = {kNan, 2.0f, kInf, -kInf, 2.0f, 1.0f};
  for (int j = 0; j < 6; ++j)
    state.add(&terms[j], j);
  float values[5];
  int64_t indices[5];
  state.finish(values, indices);
  EXPECT_EQ(values[0], -kInf);
  EXPECT_EQ(indices[0], 3);
  EXPECT_EQ(values[1], 1.0f);
  EXPECT_EQ(indices[1], 5);
  EXPECT_EQ(indices[2], 1); // the tie 2.0 at j = 1 and j = 4: smaller index first
  EXPECT_EQ(indices[3], 4);
  EXPECT_EQ(values[4], kInf);
  EXPECT_EQ(indices[4], 2); // +inf before NaN
}

TEST(KMinState, EmptySlotsAreInfinityAndMinusOneAndMergeMatchesOnePass) {
  KMinState<float, 3, 2> a, b, whole;
  a.init();
  b.init();
  whole.init();
  const float terms[][2] = {{3, 1}, {1, 5}, {2, 2}, {0, 7}};
  for (int j = 0; j < 4; ++j) {
    (j < 2 ? a : b).add(terms[j], j);
    whole.add(terms[j], j);
  }
  a.merge(b);
  float va[6], vw[6];
  int64_t ia[6], iw[6];
  a.finish(va, ia);
  whole.finish(vw, iw);
  for (int k = 0; k < 6; ++k) {
    EXPECT_EQ(va[k], vw[k]);
    EXPECT_EQ(ia[k], iw[k]);
  }
  KMinState<float, 2, 1> empty;
  empty.init();
  float v[2];
  int64_t i[2];
  empty.finish(v, i);
  EXPECT_EQ(v[1], kInf);
  EXPECT_EQ(i[1], -1);
}

namespace {

/// One-pass Min (IsMax false) or Max of a scalar column: (value, index).
template <bool IsMax, class T> std::pair<T, int64_t> minMax(const std::vector<T> &terms) {
  MinMaxState<T, 1, IsMax> state;
  state.init();
  for (size_t j = 0; j < terms.size(); ++j)
    state.add(&terms[j], int64_t(j));
  T value = 0;
  int64_t index = 0;
  state.finish(&value, &index);
  return {value, index};
}

} // namespace

TEST(MinMaxState, TiesGoToTheSmallestIndex) {
  EXPECT_EQ(minMax<false>(std::vector<float>{3, 1, 2, 1, 1}), std::make_pair(1.0f, int64_t(1)));
  EXPECT_EQ(minMax<true>(std::vector<float>{3, 1, 3, 2, 3}), std::make_pair(3.0f, int64_t(0)));
  EXPECT_EQ(minMax<false>(std::vector<double>{0.0, -0.0}).second, 0); // -0 == 0: a tie
}

TEST(MinMaxState, NanFirstOrLateGivesNanAndTheFirstNanIndex) {
  for (bool first : {true, false}) {
    std::vector<float> terms = first ? std::vector<float>{kNan, -kInf, kNan, kInf}
                                     : std::vector<float>{-kInf, 1, kInf, kNan, 0, kNan};
    int64_t expected = first ? 0 : 3;
    auto lo = minMax<false>(terms), hi = minMax<true>(terms);
    EXPECT_TRUE(std::isnan(lo.first));
    EXPECT_EQ(lo.second, expected);
    EXPECT_TRUE(std::isnan(hi.first));
    EXPECT_EQ(hi.second, expected);
  }
}

TEST(MinMaxState, EmptyIsNeutralAndMinusOneButNeutralTermsGiveValidIndices) {
  EXPECT_EQ(minMax<false>(std::vector<float>{}), std::make_pair(kInf, int64_t(-1)));
  EXPECT_EQ(minMax<true>(std::vector<float>{}), std::make_pair(-kInf, int64_t(-1)));
  EXPECT_EQ(minMax<false>(std::vector<float>{kInf, kInf}), std::make_pair(kInf, int64_t(0)));
  EXPECT_EQ(minMax<true>(std::vector<float>{-kInf, -kInf}), std::make_pair(-kInf, int64_t(0)));
  MinMaxState<double, 2, true> empty;
  empty.init();
  double v[2] = {0, 0};
  empty.finish(v); // values only (Max, Min)
  EXPECT_EQ(v[1], -std::numeric_limits<double>::infinity());
}

TEST(MinMaxState, MergesInAnyOrderMatchOnePassPerComponent) {
  // Components: a tie across the split, a NaN in the second half, a plain minimum, all +inf.
  const float terms[][4] = {{2, 5, 3, kInf},       {1, 4, 1, kInf},    {1, kNan, 0, kInf},
                            {0.5f, 6, kNan, kInf}, {1, kNan, 9, kInf}, {2, 1, 2, kInf}};
  const int n = 6;
  for (int split = 0; split <= n; ++split)
    for (bool swapped : {false, true}) {
      MinMaxState<float, 4, false> a, b, whole;
      MinMaxState<float, 4, true> ha, hb, hwhole;
      a.init(), b.init(), whole.init(), ha.init(), hb.init(), hwhole.init();
      for (int j = 0; j < n; ++j) {
        (j < split ? a : b).add(terms[j], j);
        (j < split ? ha : hb).add(terms[j], j);
        whole.add(terms[j], j);
        hwhole.add(terms[j], j);
      }
      if (swapped) {
        b.merge(a);
        a = b;
        hb.merge(ha);
        ha = hb;
      } else {
        a.merge(b);
        ha.merge(hb);
      }
      float va[4], vw[4];
      int64_t ia[4], iw[4];
      a.finish(va, ia);
      whole.finish(vw, iw);
      for (int d = 0; d < 4; ++d) {
        EXPECT_TRUE(va[d] == vw[d] || (std::isnan(va[d]) && std::isnan(vw[d])));
        EXPECT_EQ(ia[d], iw[d]) << "split " << split << " component " << d;
      }
      ha.finish(va, ia);
      hwhole.finish(vw, iw);
      for (int d = 0; d < 4; ++d) {
        EXPECT_TRUE(va[d] == vw[d] || (std::isnan(va[d]) && std::isnan(vw[d])));
        EXPECT_EQ(ia[d], iw[d]) << "split " << split << " component " << d;
      }
    }
  MinMaxState<float, 4, false> whole;
  whole.init();
  for (int j = 0; j < n; ++j)
    whole.add(terms[j], j);
  float v[4];
  int64_t i[4];
  whole.finish(v, i);
  EXPECT_EQ(v[0], 0.5f);
  EXPECT_EQ(i[0], 3);
  EXPECT_TRUE(std::isnan(v[1]));
  EXPECT_EQ(i[1], 2);
  EXPECT_TRUE(std::isnan(v[2]));
  EXPECT_EQ(i[2], 3);
  EXPECT_EQ(v[3], kInf);
  EXPECT_EQ(i[3], 0);
}

TEST(ParallelRows, CoversEveryRowExactlyOnceForAnyThreadCount) {
  for (int threads : {0, 1, 2, 3, 7, 64}) {
    std::vector<std::atomic<int>> hits(1001);
    parallelRows(1001, 1e9, threads, [&](int64_t begin, int64_t end) {
      for (int64_t r = begin; r < end; ++r)
        ++hits[size_t(r)];
    });
    for (auto &h : hits)
      ASSERT_EQ(h.load(), 1) << "threads = " << threads;
  }
}

TEST(ParallelRows, RethrowsAWorkerException) {
  EXPECT_THROW(parallelRows(100, 1e9, 4,
                            [&](int64_t begin, int64_t) {
                              if (begin > 0)
                                throw std::bad_alloc();
                            }),
               std::bad_alloc);
}

TEST(CheckArrays, RejectsNullMisalignedOverlappingAndOverflowingArrays) {
  char buffer[64] = {};
  char message[256];
  const ErrorSink err{message, sizeof message};
  float data[8];
  {
    const ArrayArg arrays[] = {{"x", nullptr, 1, 2, 3, 4, false}};
    EXPECT_EQ(checkArrays(arrays, 1, err), KEOPS_ERROR_NULL_POINTER);
  }
  {
    const ArrayArg arrays[] = {{"x", nullptr, 1, 0, 3, 4, false}};
    EXPECT_EQ(checkArrays(arrays, 1, err), KEOPS_OK); // empty arrays may be NULL
  }
  {
    const ArrayArg arrays[] = {{"x", buffer + 1, 1, 1, 1, 4, false}};
    EXPECT_EQ(checkArrays(arrays, 1, err), KEOPS_ERROR_MISALIGNED);
  }
  {
    const ArrayArg arrays[] = {{"x", data, 1, 2, 2, 4, false}, {"out", data + 3, 1, 1, 2, 4, true}};
    EXPECT_EQ(checkArrays(arrays, 2, err), KEOPS_ERROR_OVERLAP);
    EXPECT_NE(std::string(message).find("'out' overlaps 'x'"), std::string::npos);
  }
  {
    const ArrayArg arrays[] = {{"x", data, 1, int64_t(1) << 62, 8, 4, false}};
    EXPECT_EQ(checkArrays(arrays, 1, err), KEOPS_ERROR_INVALID_SIZE);
  }
  {
    // A batch multiplies the size: 2^40 blocks of 2^20 x 8 floats overflow int64_t bytes.
    const ArrayArg arrays[] = {{"x", data, int64_t(1) << 40, int64_t(1) << 20, 8, 4, false}};
    EXPECT_EQ(checkArrays(arrays, 1, err), KEOPS_ERROR_INVALID_SIZE);
    EXPECT_NE(std::string(message).find("1099511627776 x 1048576 x 8"), std::string::npos)
        << message;
  }
  {
    // Batched NULL and overlap: an output's B blocks reach into the next array.
    const ArrayArg arrays[] = {{"x", nullptr, 3, 0, 2, 4, false}};
    EXPECT_EQ(checkArrays(arrays, 1, err), KEOPS_OK);
    const ArrayArg both[] = {{"out", data, 2, 1, 2, 4, true}, {"y", data + 3, 1, 1, 1, 4, false}};
    EXPECT_EQ(checkArrays(both, 2, err), KEOPS_ERROR_OVERLAP);
  }
}

namespace {

/// Runs a weighted LogSumExp-family state over (f_j, g_j) with E = 2, optionally in two halves
/// merged (split at `split`), and returns the finished outputs.
template <class State>
std::vector<float> runWeighted(const std::vector<float> &f, const std::vector<float> &g,
                               size_t split = size_t(-1)) {
  State first, second;
  first.init();
  second.init();
  for (size_t j = 0; j < f.size(); ++j)
    (j < split ? first : second).add(&f[j], &g[2 * j], int64_t(j));
  first.merge(second);
  std::vector<float> out(2, 7.0f);
  first.finish(out.data());
  return out;
}

using LseW = LogSumExpWeightState<float, DirectAcc<float>, 2>;
using Soft = SoftMaxState<float, DirectAcc<float>, 2>;
using Pair2 = MaxSumShiftExpState<float, DirectAcc<double>, 2>;

} // namespace

TEST(LogSumExpWeightState, MasksMinusInfinityInAnyOrderAndMergesLikeOnePass) {
  const std::vector<float> f = {-kInf, 1.0f, -kInf, 2.0f, -kInf};
  const std::vector<float> g = {kNan, kNan, 1.0f, 3.0f, kNan, kNan, 5.0f, 2.0f, 4.0f, 4.0f};
  const float e1 = std::exp(1.0f), e2 = std::exp(2.0f);
  for (size_t split : {size_t(-1), size_t(0), size_t(1), size_t(2), size_t(4)}) {
    std::vector<float> out = runWeighted<LseW>(f, g, split);
    EXPECT_NEAR(out[0], std::log(e1 * 1.0f + e2 * 5.0f), 1e-5) << split;
    EXPECT_NEAR(out[1], std::log(e1 * 3.0f + e2 * 2.0f), 1e-5) << split;
  }
}

TEST(LogSumExpWeightState, EmptyZeroNegativeInfinityAndNan) {
  std::vector<float> out = runWeighted<LseW>({}, {});
  EXPECT_EQ(out[0], -kInf);
  EXPECT_EQ(out[1], -kInf);
  out = runWeighted<LseW>({-kInf, -kInf}, {1.0f, 1.0f, 1.0f, 1.0f});
  EXPECT_EQ(out[0], -kInf);
  out = runWeighted<LseW>({0.0f, 0.0f}, {1.0f, 2.0f, -1.0f, -3.0f}); // s = (0, -1)
  EXPECT_EQ(out[0], -kInf);
  EXPECT_TRUE(std::isnan(out[1]));
  out = runWeighted<LseW>({1.0f, kInf, 2.0f}, {1.0f, 1.0f, 1.0f, 2.0f, 1.0f, 1.0f});
  EXPECT_EQ(out[0], kInf);
  EXPECT_EQ(out[1], kInf);
  out = runWeighted<LseW>({1.0f, kNan, 2.0f}, {1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f});
  EXPECT_TRUE(std::isnan(out[0]) && std::isnan(out[1]));
}

TEST(SoftMaxState, WeightedMeanEmptyAllMinusInfinityPlusInfinityNan) {
  const std::vector<float> f = {-kInf, 0.0f, std::log(3.0f), -kInf};
  const std::vector<float> g = {kNan, kNan, 2.0f, -1.0f, 6.0f, 3.0f, 1.0f, 1.0f};
  for (size_t split : {size_t(-1), size_t(0), size_t(1), size_t(2), size_t(3)}) {
    std::vector<float> out = runWeighted<Soft>(f, g, split);
    EXPECT_NEAR(out[0], (2.0f + 3.0f * 6.0f) / 4.0f, 1e-5) << split;
    EXPECT_NEAR(out[1], (-1.0f + 3.0f * 3.0f) / 4.0f, 1e-5) << split;
  }
  EXPECT_EQ(runWeighted<Soft>({}, {})[0], 0.0f);
  EXPECT_EQ(runWeighted<Soft>({-kInf}, {1.0f, 1.0f})[1], 0.0f);
  EXPECT_TRUE(std::isnan(runWeighted<Soft>({1.0f, kInf}, {1.0f, 1.0f, 1.0f, 1.0f})[0]));
  EXPECT_TRUE(std::isnan(runWeighted<Soft>({1.0f, kNan}, {1.0f, 1.0f, 1.0f, 1.0f})[1]));
}

TEST(MaxSumShiftExpState, PairIsMaxThenShiftedSums) {
  Pair2 state, other;
  state.init();
  other.init();
  float m = 7.0f, s[2] = {7.0f, 7.0f};
  state.finish(&m, s);
  EXPECT_EQ(m, -kInf);
  EXPECT_EQ(s[0], 0.0f);
  EXPECT_EQ(s[1], 0.0f);
  const float f[] = {-kInf, 1.0f, 3.0f}, g[] = {kNan, kNan, 2.0f, -1.0f, 1.0f, 1.0f};
  state.add(&f[0], &g[0], 0);
  state.add(&f[1], &g[2], 1);
  other.add(&f[2], &g[4], 2);
  state.merge(other);
  state.finish(&m, s);
  EXPECT_EQ(m, 3.0f);
  EXPECT_NEAR(s[0], 2.0f * std::exp(-2.0f) + 1.0f, 1e-6);
  EXPECT_NEAR(s[1], -std::exp(-2.0f) + 1.0f, 1e-6);
  // Unweighted (E = 1, no G): s = Σ e^(F−m).
  MaxSumShiftExpState<float, KahanAcc<float>, 1> plain;
  plain.init();
  plain.add(&f[1], 1);
  plain.add(&f[2], 2);
  plain.finish(&m, s);
  EXPECT_EQ(m, 3.0f);
  EXPECT_NEAR(s[0], std::exp(-2.0f) + 1.0f, 1e-6);
}

TEST(SoftMaxState, BlockAndKahanAgreeWithDoubleOnePass) {
  std::vector<float> f, g;
  for (int j = 0; j < 1000; ++j) {
    f.push_back(std::sin(float(j)) * 30.0f);
    g.push_back(std::cos(float(j)));
    g.push_back(1.0f + float(j % 7));
  }
  double m = -1e300, den = 0, num[2] = {0, 0};
  for (float t : f)
    m = std::max(m, double(t));
  for (size_t j = 0; j < f.size(); ++j) {
    double e = std::exp(double(f[j]) - m);
    den += e;
    num[0] += e * g[2 * j];
    num[1] += e * g[2 * j + 1];
  }
  BlockState<SoftMaxState<float, DirectAcc<float>, 2>> blocked;
  SoftMaxState<float, KahanAcc<float>, 2> kahan;
  blocked.init();
  kahan.init();
  for (size_t j = 0; j < f.size(); ++j) {
    blocked.add(&f[j], &g[2 * j], int64_t(j));
    kahan.add(&f[j], &g[2 * j], int64_t(j));
  }
  float a[2], b[2];
  blocked.finish(a);
  kahan.finish(b);
  for (int k = 0; k < 2; ++k) {
    EXPECT_NEAR(a[k], num[k] / den, 1e-4 * (1 + std::fabs(num[k] / den)));
    EXPECT_NEAR(b[k], num[k] / den, 1e-4 * (1 + std::fabs(num[k] / den)));
  }
}
