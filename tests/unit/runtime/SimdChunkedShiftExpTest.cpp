// Tests of keops/host/simd_chunked_shift_exp.h: SumSoftMaxWeight with a chunked weight against
// a float64 softmax, block by block, and the scalar rules of SPEC.md §4 for NaN, +∞ and −∞ terms
// (a −∞ term never reads its weight, even an infinite one).
#include "keops/host/simd_chunked_shift_exp.h"
#include "keops/host/simd_states.h"

// Wide vectors pass by value between functions of this file only: no ABI to keep.
#pragma GCC diagnostic ignored "-Wpsabi"

#include <cmath>
#include <cstdint>
#include <gtest/gtest.h>
#include <limits>
#include <random>
#include <vector>

namespace {

using namespace keops_rt;

constexpr int64_t kBlock = 256, kNpad = 320, kE = 19;
constexpr int kRows = 4;
using V = simd::Vec<float, 8>;
using Final = keops_rt::SoftMaxState<float, keops_rt::DirectAcc<float>, kE>;
using State = simd::ShiftExpState<V, kE, false, Final>;

/// One block of kRows rows: F per row (−∞ past `count`) and W (kE components).
struct Block {
  alignas(64) float f[kRows][kBlock];
  std::vector<float> w = std::vector<float>(kE * kNpad, 0.0f);
  int64_t count;
};

/// Runs the blocks through addChunkedShiftExp and finishes each row's softmax.
std::vector<float> chunked(std::vector<Block> blocks) {
  State states[kRows];
  State *rows[kRows];
  for (int q = 0; q < kRows; ++q)
    states[q].init(), rows[q] = &states[q];
  for (Block &b : blocks)
    simd::addChunkedShiftExp<kRows>(rows, b.f[0], kBlock, b.w.data(), kNpad, b.count);
  std::vector<float> out(kRows * kE, std::nanf("")); // poisoned
  for (int q = 0; q < kRows; ++q)
    states[q].finish(out.data() + q * kE);
  return out;
}

/// The softmax in float64, term by term (the scalar state's rules).
std::vector<double> reference(const std::vector<Block> &blocks) {
  std::vector<double> out(kRows * kE);
  for (int q = 0; q < kRows; ++q) {
    keops_rt::SoftMaxState<double, keops_rt::DirectAcc<double>, kE> st;
    st.init();
    for (const Block &b : blocks)
      for (int64_t t = 0; t < b.count; ++t) {
        double f = b.f[q][t], g[kE];
        for (int64_t k = 0; k < kE; ++k)
          g[k] = b.w[size_t(k * kNpad + t)];
        st.add(&f, g, 0);
      }
    st.finish(out.data() + q * kE);
  }
  return out;
}

std::vector<Block> randomBlocks(std::mt19937 &rng, std::vector<int64_t> counts) {
  std::uniform_real_distribution<float> f(-30.0f, 5.0f), w(-2.0f, 2.0f);
  std::vector<Block> blocks(counts.size());
  for (size_t n = 0; n < counts.size(); ++n) {
    Block &b = blocks[n];
    b.count = counts[n];
    for (int q = 0; q < kRows; ++q)
      for (int64_t t = 0; t < kBlock; ++t)
        b.f[q][t] = t < b.count ? f(rng) + float(n) * 4.0f : -INFINITY; // later blocks raise m
    for (int64_t k = 0; k < kE; ++k)
      for (int64_t t = 0; t < b.count; ++t)
        b.w[size_t(k * kNpad + t)] = w(rng);
  }
  return blocks;
}

void expectClose(const std::vector<float> &got, const std::vector<double> &want) {
  for (size_t i = 0; i < got.size(); ++i) {
    if (std::isnan(want[i])) {
      EXPECT_TRUE(std::isnan(got[i])) << "output " << i;
      continue;
    }
    EXPECT_NEAR(got[i], want[i], 1e-5 * (1.0 + std::fabs(want[i]))) << "output " << i;
  }
}

TEST(SimdChunkedShiftExpTest, SoftMaxOfBlocksIsTheFloat64One) {
  std::mt19937 rng(20261202u);
  std::vector<Block> blocks = randomBlocks(rng, {256, 256, 101});
  blocks[1].f[2][7] = -INFINITY; // masked terms
  blocks[0].f[0][3] = -INFINITY;
  expectClose(chunked(blocks), reference(blocks));
}

TEST(SimdChunkedShiftExpTest, SpecialTermsFollowTheScalarRules) {
  std::mt19937 rng(7u);
  std::vector<Block> blocks = randomBlocks(rng, {256, 200});
  blocks[0].f[0][10] = std::nanf(""); // row 0: NaN everywhere
  blocks[1].f[1][5] = INFINITY;       // row 1: m = +∞, the softmax is NaN
  for (int64_t t = 0; t < kBlock; ++t)
    blocks[0].f[2][t] = blocks[1].f[2][t] = -INFINITY; // row 2: empty, 0
  blocks[1].f[3][9] = -INFINITY;                       // row 3: a masked term ...
  blocks[1].w[size_t(4 * kNpad + 9)] = INFINITY;       // ... whose weight is never read
  const std::vector<float> got = chunked(blocks);
  expectClose(got, reference(blocks));
  for (int64_t k = 0; k < kE; ++k) {
    EXPECT_TRUE(std::isnan(got[size_t(0 * kE + k)]));
    EXPECT_TRUE(std::isnan(got[size_t(1 * kE + k)]));
    EXPECT_EQ(got[size_t(2 * kE + k)], 0.0f);
    EXPECT_TRUE(std::isfinite(got[size_t(3 * kE + k)]));
  }
}

} // namespace
