// Tests of keops/host/simd_chunked_sum.h: the block products of a chunked term S·W, against a
// float64 sum, for component counts with and without a partial chunk and blocks ending inside a
// vector (the kernels store zeros past the block's last index).
#include "keops/host/simd_chunked_sum.h"
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

constexpr int64_t kBlock = 256, kNpad = 320;

/// Rows × E sums of s·W over `blocks` blocks of `count` indices, through addChunkedProducts,
/// checked against float64 sums of the same float values.
template <class T, int W, int Rows, int64_t E> void checkBlocks(int64_t count, int blocks) {
  using V = simd::Vec<T, W>;
  using State = simd::SumState<V, E, false>;
  std::mt19937 rng(20261202u + unsigned(E * 7 + Rows));
  std::uniform_real_distribution<double> uniform(-2.0, 2.0);
  State states[Rows];
  V *totals[Rows];
  for (int q = 0; q < Rows; ++q)
    states[q].init(), totals[q] = states[q].total;
  std::vector<double> want(Rows * E, 0.0), sumAbs(Rows * E, 0.0);
  for (int b = 0; b < blocks; ++b) {
    alignas(64) T s[Rows][kBlock] = {};
    std::vector<T> w(E * kNpad, T(0));
    for (int q = 0; q < Rows; ++q)
      for (int64_t t = 0; t < count; ++t)
        s[q][t] = T(uniform(rng));
    for (int64_t k = 0; k < E; ++k)
      for (int64_t t = 0; t < count; ++t)
        w[size_t(k * kNpad + t)] = T(uniform(rng));
    for (int q = 0; q < Rows; ++q)
      for (int64_t k = 0; k < E; ++k)
        for (int64_t t = 0; t < count; ++t) {
          const double term = double(s[q][t]) * double(w[size_t(k * kNpad + t)]);
          want[size_t(q * E + k)] += term;
          sumAbs[size_t(q * E + k)] += std::fabs(term);
        }
    simd::addChunkedProducts<Rows, E>(totals, s[0], kBlock, w.data(), kNpad, count);
  }
  for (int q = 0; q < Rows; ++q) {
    T got[E];
    std::fill(got, got + E, std::nan(""));
    states[q].finish(got);
    for (int64_t k = 0; k < E; ++k) {
      // Each product within u and each of the count·blocks additions within u·Σ|terms|.
      const double bound = double(count * blocks + 2) * std::numeric_limits<T>::epsilon() *
                           sumAbs[size_t(q * E + k)];
      EXPECT_NEAR(double(got[k]), want[size_t(q * E + k)], bound)
          << "row " << q << " component " << k << " (E = " << E << ", W = " << W << ")";
    }
  }
}

TEST(SimdChunkedSumTest, BlockProductsAreTheSums) {
  checkBlocks<float, 16, 4, 100>(256, 3);
  checkBlocks<float, 16, 1, 17>(250, 2); // a partial chunk, a partial vector
  checkBlocks<float, 8, 4, 37>(255, 2);
  checkBlocks<float, 4, 4, 18>(7, 1); // less than a vector
  checkBlocks<double, 8, 4, 23>(200, 2);
  checkBlocks<double, 2, 1, 17>(33, 3);
}

TEST(SimdChunkedSumTest, StoreLiveZeroesDeadLanes) {
  using V = simd::Vec<float, 8>;
  alignas(32) float out[8];
  simd::storeLive(V(3.0f), V::Mask(V::iota() < V(5.0f)), out);
  for (int l = 0; l < 8; ++l)
    EXPECT_EQ(out[l], l < 5 ? 3.0f : 0.0f) << "lane " << l;
  simd::storeLive(V(-1.0f), simd::AllLanes{}, out);
  for (int l = 0; l < 8; ++l)
    EXPECT_EQ(out[l], -1.0f) << "lane " << l;
}

} // namespace
