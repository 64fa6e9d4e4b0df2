// Tests of the GPU schedules (keops/portable/gpu_schedule.h) run by the CPU emulator
// (keops/host/gpu_emulator.h), with a toy stage that checks what every GPU stage relies on: each
// output row ended once, its terms in increasing order, each exactly once, read from the slot
// the block staged for them; partial blocks and tiles, empty axes; GPU_2D's parts merged in order
// and cut on 256-term boundaries.
#define KEOPS_GPU_EMULATE 1
#include "keops/api.h"
// The runtime headers expect keops/api.h first, as in generated sources.
#include "keops/host/gpu_emulator.h"

#include <cmath>
#include <gtest/gtest.h>
#include <vector>

namespace {

using namespace keops_rt;

struct ToyArgs {
  int64_t M, N;
  const double *y;
  double *out;
  int64_t *begun, *ended;
};

/// out[r] = (r + 1) · Σ_t y[t], or NaN when a term is missing, repeated, out of order or read
/// from a slot that does not hold it. Its state merges like a reduction state: a part must
/// start where the previous one ended.
template <int64_t Width> struct ToyStage {
  using Args = ToyArgs;
  using Real = double;
  static constexpr int64_t kTileWidth = Width;
  struct State {
    double sum;
    int64_t first, next; ///< the terms [first, next) are in; first = -1: none yet
    void merge(const State &o) {
      if (o.first < 0)
        return;
      if (first < 0) {
        *this = o;
        return;
      }
      sum = o.first == next ? sum + o.sum : std::nan("");
      next = o.next;
    }
  };
  struct Thread {
    State state;
  };
  static void begin(Thread &th, const Args &a, int64_t r) {
    th.state = {0, -1, 0};
    ++a.begun[r];
  }
  static void stage(Real *slot, const Args &a, int64_t t) {
    slot[0] = a.y[t];
    slot[Width - 1] = double(t); // the last element of the slot names its term
  }
  static void consume(Thread &th, const Args &, int64_t r, const Real *tile, int64_t t0,
                      int64_t count) {
    State &s = th.state;
    for (int64_t t = t0; t < t0 + count; ++t) {
      const Real *row = tile + (t - t0) * Width;
      if (s.first < 0) {
        s.first = t;
        s.next = t;
      }
      if (row[Width - 1] != double(t) || s.next != t)
        s.sum = std::nan("");
      s.sum += row[0] * double(r + 1);
      s.next = t + 1;
    }
  }
  static void end(Thread &th, const Args &a, int64_t r) {
    const State &s = th.state;
    a.out[r] = a.N == 0 || (s.first == 0 && s.next == a.N) ? s.sum : std::nan("");
    ++a.ended[r];
  }
};

template <int64_t Width> void runToy(int64_t rows, int64_t reduced, int32_t scheme) {
  std::vector<double> y(static_cast<size_t>(reduced)), out(static_cast<size_t>(rows), -1);
  std::vector<int64_t> begun(size_t(rows), 0), ended(size_t(rows), 0);
  for (int64_t t = 0; t < reduced; ++t)
    y[size_t(t)] = double(t % 7); // small integers: every order of the sums is exact
  const ToyArgs a{rows, reduced, y.data(), out.data(), begun.data(), ended.data()};
  char message[64] = "";
  const ErrorSink err{message, sizeof message};
  ASSERT_EQ(gpuRun<ToyStage<Width>>(GpuContext{}, a, rows, reduced, scheme, err), KEOPS_OK);
  for (int64_t r = 0; r < rows; ++r) {
    double expected = 0;
    for (int64_t t = 0; t < reduced; ++t)
      expected += y[size_t(t)] * double(r + 1);
    if (scheme == KEOPS_CUDA_1D) { // GPU_2D begins a row once per part
      ASSERT_EQ(begun[size_t(r)], 1) << "row " << r;
    }
    ASSERT_EQ(ended[size_t(r)], 1) << "row " << r;
    ASSERT_EQ(out[size_t(r)], expected) << "row " << r << " of " << rows << " x " << reduced;
  }
}

TEST(GpuSchedule, EveryRowEveryTermOnceInOrder) {
  for (int32_t scheme : {KEOPS_CUDA_1D, KEOPS_CUDA_2D, KEOPS_CUDA_AUTO})
    for (int64_t rows : {0, 1, 31, 256, 257, 1000})
      for (int64_t reduced : {0, 1, 255, 256, 257, 1000, 5000}) {
        runToy<2>(rows, reduced, scheme);
        runToy<40>(rows, reduced, scheme);  // 128 threads a block
        runToy<150>(rows, reduced, scheme); // 32 threads a block
      }
}

TEST(GpuSchedule, ThreadsFitTheTileInSharedMemory) {
  EXPECT_EQ(gpuBlockThreads<ToyStage<2>>(), 256); // the default
  EXPECT_EQ(gpuBlockThreads<ToyStage<40>>(), 128);
  EXPECT_EQ(gpuBlockThreads<ToyStage<150>>(), 32); // the widest tile the emitter stages
  EXPECT_LE(gpuTileElements<ToyStage<150>>(32) * 8, 48 * 1024);
}

TEST(GpuSchedule, TwoDimensionalSplit) {
  // Few rows, a long axis: parts of whole 256-term blocks that cover it, about 4 blocks per SM.
  const GpuSplit s = gpu2dSplit(10, 100000, 256, 132);
  EXPECT_EQ(s.length % 256, 0);
  EXPECT_EQ(s.parts, (100000 + s.length - 1) / s.length);
  EXPECT_GE(s.parts * s.length, 100000);
  EXPECT_LT((s.parts - 1) * s.length, 100000);
  EXPECT_EQ(s.parts, 79); // min(4 · 132, 100000 / 1024) = 97 parts of 1031, rounded up to 1280
  EXPECT_TRUE(gpu2dPays(10, 100000, 256, 132));
  // Rows that fill the device, or a short axis: GPU_1D.
  EXPECT_FALSE(gpu2dPays(1000000, 100000, 256, 132));
  EXPECT_FALSE(gpu2dPays(10, 1500, 256, 132));
  EXPECT_EQ(gpu2dSplit(10, 0, 256, 132).parts, 1);
}

} // namespace
