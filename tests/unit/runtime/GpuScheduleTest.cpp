// Tests of the GPU_1D schedule (keops/portable/gpu_schedule.h) run by the CPU emulator
// (keops/host/gpu_emulator.h), with a toy stage that checks what every GPU stage relies on: each
// output row begun and ended once by one thread, its terms in increasing order, each exactly once,
// read from the slot the block staged for them; partial blocks and tiles, and empty axes.
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
/// from a slot that does not hold it.
template <int64_t Width> struct ToyStage {
  using Args = ToyArgs;
  using Real = double;
  static constexpr int64_t kTileWidth = Width;
  struct Thread {
    double sum;
    int64_t next;
  };
  static void begin(Thread &th, const Args &a, int64_t r) {
    th.sum = 0;
    th.next = 0;
    ++a.begun[r];
  }
  static void stage(Real *slot, const Args &a, int64_t t) {
    slot[0] = a.y[t];
    slot[Width - 1] = double(t); // the last element of the slot names its term
  }
  static void consume(Thread &th, const Args &a, int64_t r, const Real *tile, int64_t t0,
                      int64_t count) {
    for (int64_t t = t0; t < t0 + count; ++t) {
      const Real *row = tile + (t - t0) * Width;
      if (row[Width - 1] != double(t) || th.next != t)
        th.sum = std::nan("");
      th.sum += (Width > 0 ? row[0] : a.y[t]) * double(r + 1);
      th.next = t + 1;
    }
  }
  static void end(Thread &th, const Args &a, int64_t r) {
    a.out[r] = th.next == a.N ? th.sum : std::nan("");
    ++a.ended[r];
  }
};

template <int64_t Width> void runToy(int64_t rows, int64_t reduced) {
  std::vector<double> y(static_cast<size_t>(reduced)), out(static_cast<size_t>(rows), -1);
  std::vector<int64_t> begun(size_t(rows), 0), ended(size_t(rows), 0);
  for (int64_t t = 0; t < reduced; ++t)
    y[size_t(t)] = 1.0 / double(t + 1);
  const ToyArgs a{rows, reduced, y.data(), out.data(), begun.data(), ended.data()};
  char message[64] = "";
  const ErrorSink err{message, sizeof message};
  ASSERT_EQ(gpuRun1d<ToyStage<Width>>(GpuContext{}, a, rows, reduced, err), KEOPS_OK);
  for (int64_t r = 0; r < rows; ++r) {
    double expected = 0; // the same terms in the same order: bitwise equal
    for (int64_t t = 0; t < reduced; ++t)
      expected += y[size_t(t)] * double(r + 1);
    ASSERT_EQ(begun[size_t(r)], 1) << "row " << r;
    ASSERT_EQ(ended[size_t(r)], 1) << "row " << r;
    ASSERT_EQ(out[size_t(r)], expected) << "row " << r << " of " << rows << " x " << reduced;
  }
}

TEST(GpuSchedule, EveryRowEveryTermOnceInOrder) {
  for (int64_t rows : {0, 1, 31, 256, 257, 1000})
    for (int64_t reduced : {0, 1, 255, 256, 257, 1000}) {
      runToy<2>(rows, reduced);
      runToy<40>(rows, reduced);  // 128 threads a block
      runToy<150>(rows, reduced); // 32 threads a block
    }
}

TEST(GpuSchedule, ThreadsFitTheTileInSharedMemory) {
  EXPECT_EQ(gpu1dThreads<ToyStage<2>>(), 256); // the default
  EXPECT_EQ(gpu1dThreads<ToyStage<40>>(), 128);
  EXPECT_EQ(gpu1dThreads<ToyStage<150>>(), 32); // the widest tile the emitter stages
  EXPECT_LE(gpu1dTileElements<ToyStage<150>>(32) * 8, 48 * 1024);
}

} // namespace
