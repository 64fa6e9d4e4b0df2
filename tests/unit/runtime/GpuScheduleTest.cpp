// Tests of the GPU schedules (keops/portable/gpu_schedule.h) run by the CPU emulator
// (keops/host/gpu_emulator.h), with a toy stage that checks what every GPU stage relies on: each
// output row ended once, its terms in increasing order, each exactly once, read from the slot
// the block staged for them; partial blocks and tiles, empty axes; GPU_2D's parts merged in order
// and cut on 256-term boundaries; block-sparse ranges: each row over its cluster's spans only,
// uncovered rows empty; batches: each grid layer on its own batch's arrays, in launches of at
// most 65535 layers.
#define KEOPS_GPU_EMULATE 1
#include "keops/api.h"
// The runtime headers expect keops/api.h first, as in generated sources.
#include "keops/host/gpu_emulator.h"
#include "keops/host/gpu_run.h"

#include <algorithm>
#include <cmath>
#include <gtest/gtest.h>
#include <limits>
#include <random>
#include <string>
#include <vector>

namespace {

using namespace keops_rt;

struct ToyArgs {
  int64_t M, N;
  const double *y;
  const char *allowed; ///< M x N: whether row r reduces over term t
  double *out;
  int64_t *count, *begun, *ended;
};

/// out[r] = (r + 1) · Σ y[t] over the terms row r saw, count[r] their number; out[r] is NaN
/// when a term is not the row's, comes out of increasing order (so also twice), or was read
/// from a slot that does not hold it. Its state merges like a reduction state: a part must
/// come after the previous one.
template <int64_t Width> struct ToyStage {
  using Args = ToyArgs;
  /// Per batch: N elements of y, M of out, count, begun and ended; `allowed` is shared.
  struct Steps {
    int64_t y, rows;
  };
  static Args atBatch(const Args &a, const Steps &st, int64_t b) {
    return {a.M,
            a.N,
            a.y + b * st.y,
            a.allowed,
            a.out + b * st.rows,
            a.count + b * st.rows,
            a.begun + b * st.rows,
            a.ended + b * st.rows};
  }
  using Real = double;
  static constexpr int64_t kTileWidth = Width;
  static constexpr int64_t kChunkWidth = 0;
  struct State {
    double sum;
    int64_t count, first, last; ///< first, last: the terms seen first and last
    void merge(const State &o) {
      if (o.count == 0)
        return;
      if (count > 0 && o.first <= last)
        sum = std::nan("");
      sum = count == 0 ? o.sum : sum + o.sum;
      first = count == 0 ? o.first : first;
      count += o.count;
      last = o.last;
    }
  };
  struct Thread {
    State state;
  };
  static void begin(Thread &th, const Args &a, int64_t r) {
    th.state = {0, 0, -1, -1};
    ++a.begun[r];
  }
  static void stage(Real *slot, const Args &a, int64_t t) {
    slot[0] = a.y[t];
    slot[Width - 1] = double(t); // the last element of the slot names its term
  }
  static void consume(Thread &th, const Args &a, int64_t r, const Real *tile, int64_t t0,
                      int64_t count) {
    State &s = th.state;
    for (int64_t t = t0; t < t0 + count; ++t) {
      const Real *row = tile + (t - t0) * Width;
      if (row[Width - 1] != double(t) || t <= s.last || !a.allowed[r * a.N + t])
        s.sum = std::nan("");
      s.first = s.count == 0 ? t : s.first;
      s.sum += row[0] * double(r + 1);
      s.last = t;
      ++s.count;
    }
  }
  static void end(Thread &th, const Args &a, int64_t r) {
    a.out[r] = th.state.sum;
    a.count[r] = th.state.count;
    ++a.ended[r];
  }
};

/// Runs the toy over `batches` problems of rows x reduced (`spans`: dense, or ranges whose
/// membership `allowed` holds) and checks each row of each batch: ended once, every allowed
/// term once, in order, from its slot, on its own batch's data.
template <int64_t Width>
void runToy(int64_t rows, int64_t reduced, int32_t scheme, const RowSpans &spans,
            const std::vector<char> &allowed, int64_t batches = 1) {
  const size_t outputs = size_t(batches * rows);
  std::vector<double> y(size_t(batches * reduced)), out(outputs, -1);
  std::vector<int64_t> count(outputs, -1), begun(outputs, 0), ended(outputs, 0);
  for (int64_t k = 0; k < batches * reduced; ++k)
    y[size_t(k)] = double(k % 7); // small integers: every order of the sums is exact
  const ToyArgs a{rows,       reduced,      y.data(),     allowed.data(),
                  out.data(), count.data(), begun.data(), ended.data()};
  char message[64] = "";
  const ErrorSink err{message, sizeof message};
  const GpuContext ctx;
  GpuRowTables tables(ctx);
  const typename ToyStage<Width>::Steps steps = {reduced, rows};
  ASSERT_EQ(
      gpuRun<ToyStage<Width>>(ctx, tables, a, steps, {batches, rows, reduced, spans}, scheme, err),
      KEOPS_OK);
  for (int64_t b = 0; b < batches; ++b)
    for (int64_t r = 0; r < rows; ++r) {
      double expected = 0;
      int64_t terms = 0;
      for (int64_t t = 0; t < reduced; ++t)
        if (allowed[size_t(r * reduced + t)]) {
          expected += y[size_t(b * reduced + t)] * double(r + 1);
          ++terms;
        }
      const size_t k = size_t(b * rows + r);
      if (scheme == KEOPS_CUDA_1D) { // GPU_2D begins a row once per part
        ASSERT_EQ(begun[k], 1) << "row " << r << " of batch " << b;
      }
      ASSERT_EQ(ended[k], 1) << "row " << r << " of batch " << b;
      ASSERT_EQ(count[k], terms) << "row " << r << " of " << rows << " x " << reduced;
      ASSERT_EQ(out[k], expected) << "row " << r << " of batch " << b << ", " << rows << " x "
                                  << reduced;
    }
}

template <int64_t Width>
void runDenseToy(int64_t rows, int64_t reduced, int32_t scheme, int64_t batches = 1) {
  RowSpans dense;
  dense.all = {0, reduced};
  runToy<Width>(rows, reduced, scheme, dense, std::vector<char>(size_t(rows * reduced), 1),
                batches);
}

TEST(GpuSchedule, EveryRowEveryTermOnceInOrder) {
  for (int32_t scheme : {KEOPS_CUDA_1D, KEOPS_CUDA_2D, KEOPS_CUDA_AUTO})
    for (int64_t rows : {0, 1, 31, 256, 257, 1000})
      for (int64_t reduced : {0, 1, 255, 256, 257, 1000, 5000}) {
        runDenseToy<2>(rows, reduced, scheme);
        runDenseToy<40>(rows, reduced, scheme);  // 128 threads a block
        runDenseToy<150>(rows, reduced, scheme); // 32 threads a block
      }
}

TEST(GpuSchedule, BatchesRunOnTheirOwnArrays) {
  for (int32_t scheme : {KEOPS_CUDA_1D, KEOPS_CUDA_2D, KEOPS_CUDA_AUTO})
    for (int64_t batches : {0, 1, 2, 5})
      for (int64_t rows : {1, 300})
        for (int64_t reduced : {0, 3, 2000}) {
          runDenseToy<2>(rows, reduced, scheme, batches);
          runDenseToy<150>(rows, reduced, scheme, batches);
        }
  // More batches than a grid has layers: two launches.
  runDenseToy<2>(1, 2, KEOPS_CUDA_1D, 65537);
  runDenseToy<2>(1, 2, KEOPS_CUDA_2D, 65537);
}

TEST(GpuSchedule, LayersPerLaunchBoundTheGridAndTheWorkspace) {
  EXPECT_EQ(gpuLayersPerLaunch(10, 0, 8), 10);
  EXPECT_EQ(gpuLayersPerLaunch(100000, 0, 8), 65535);
  EXPECT_EQ(gpuLayersPerLaunch(100000, 1024, 64), 1024);    // 64 MiB of 64-byte states
  EXPECT_EQ(gpuLayersPerLaunch(3, int64_t(1) << 30, 8), 1); // one layer however large
}

/// Random block-sparse ranges over rows x reduced: clusters with gaps between them (uncovered
/// rows), each reducing over a few random disjoint intervals given in any order; `allowed` gets
/// their membership.
RowSpans randomRanges(std::mt19937 &rng, int64_t rows, int64_t reduced, std::vector<char> &allowed,
                      std::vector<int64_t> &storage) {
  std::uniform_int_distribution<int64_t> cut(0, 3);
  std::vector<int64_t> ranges, slices, redranges;
  for (int64_t r = 0; r < rows;) {
    const int64_t length = std::min<int64_t>(rows - r, 1 + int64_t(rng() % 700));
    if (cut(rng) == 0) { // leave these rows uncovered
      r += length;
      continue;
    }
    ranges.insert(ranges.end(), {r, r + length});
    // Up to 4 disjoint intervals at random cut points, pushed in reverse order.
    std::vector<int64_t> points;
    for (int64_t k = 0; k < 8 && reduced > 0; ++k)
      points.push_back(int64_t(rng() % uint64_t(reduced + 1)));
    std::sort(points.begin(), points.end());
    for (size_t k = points.size(); k >= 2; k -= 2) {
      redranges.insert(redranges.end(), {points[k - 2], points[k - 1]});
      for (int64_t row = r; row < r + length; ++row)
        for (int64_t t = points[k - 2]; t < points[k - 1]; ++t)
          allowed[size_t(row * reduced + t)] = 1;
    }
    slices.push_back(int64_t(redranges.size() / 2));
    r += length;
  }
  storage = ranges;
  storage.insert(storage.end(), slices.begin(), slices.end());
  storage.insert(storage.end(), redranges.begin(), redranges.end());
  storage.push_back(0); // no cluster at all: the arrays are still given (empty, not NULL)
  const int64_t n = int64_t(slices.size());
  const keops_ranges given = {n,
                              storage.data(),
                              storage.data() + 2 * n,
                              n == 0 ? 0 : slices.back(),
                              storage.data() + 3 * n,
                              0,
                              nullptr,
                              nullptr,
                              0,
                              nullptr};
  CallRanges built;
  char message[128] = "";
  const ErrorSink err{message, sizeof message};
  EXPECT_EQ(buildCallRanges(&given, rows, reduced, true, false, built, err), KEOPS_OK) << message;
  return built.overJ;
}

TEST(GpuSchedule, RangesReduceEachRowOverItsSpansOnly) {
  std::mt19937 rng(20261203);
  for (int trial = 0; trial < 30; ++trial)
    for (int32_t scheme : {KEOPS_CUDA_1D, KEOPS_CUDA_2D, KEOPS_CUDA_AUTO}) {
      const int64_t rows = 1 + int64_t(rng() % 1500), reduced = int64_t(rng() % 6000);
      std::vector<char> allowed(size_t(rows * reduced), 0);
      std::vector<int64_t> storage;
      const RowSpans spans = randomRanges(rng, rows, reduced, allowed, storage);
      SCOPED_TRACE("trial " + std::to_string(trial) + ", scheme " + std::to_string(scheme));
      runToy<2>(rows, reduced, scheme, spans, allowed);
      runToy<150>(rows, reduced, scheme, spans, allowed);
    }
}

TEST(GpuSchedule, RangeTableCoversEveryRowOnceWithinClusters) {
  RowSpans s;
  s.dense = false;
  s.spans = {{10, 20}, {30, 35}, {0, 4}};
  s.clusters = {{{5, 300}, 0, 2}, {{300, 301}, 2, 3}};
  const GpuRowTable table = gpuRowTable(s, 600, 256);
  // [0, 5) uncovered; [5, 261) and [261, 300) of the first cluster; [300, 301); [301, 557) and
  // [557, 600) uncovered.
  ASSERT_EQ(table.blocks.size(), 6u);
  EXPECT_EQ(table.blocks[0].first, 0);
  EXPECT_EQ(table.blocks[0].terms, 0);
  EXPECT_EQ(table.blocks[1].last, 261);
  EXPECT_EQ(table.blocks[1].terms, 15);
  EXPECT_EQ(table.blocks[2].last, 300);
  EXPECT_EQ(table.blocks[3].spanFirst, 2);
  EXPECT_EQ(table.blocks[3].terms, 4);
  EXPECT_EQ(table.blocks[5].last, 600);
  EXPECT_EQ(table.longest, 15);
}

/// A chunked toy: the Sum over t of (r + 1)·W_t, W of E components staged kChunkWidth = 8 at a
/// time; S = r + 1 is read from a staged slot that names its term (NaN if it does not), and
/// chunks come from the emulated tile, NaN until staged. W's small integers make every order of
/// the sums exact.
template <int64_t E> struct ChunkedToyStage {
  struct Args {
    int64_t M, N;
    const double *w;
    double *out;
  };
  struct Steps {};
  static Args atBatch(const Args &a, const Steps &, int64_t) { return a; }
  using Real = double;
  static constexpr int64_t kTileWidth = 1;
  static constexpr int64_t kChunkWidth = 8;
  static constexpr int64_t kChunks = (E + kChunkWidth - 1) / kChunkWidth;
  using State = BlockState<SumState<double, DirectAcc<double>, E>>;
  using Factors = ChunkFactorsOf<State>;
  struct Thread {
    State state;
  };
  static void begin(Thread &th, const Args &, int64_t) { th.state.init(); }
  static void stage(Real *slot, const Args &, int64_t t) { slot[0] = double(t); }
  static void factors(Thread &th, const Args &, int64_t r, const Real *tile, int64_t t0,
                      int64_t first, int64_t count, Factors &f) {
    for (int64_t k = 0; k < count; ++k)
      f.f[k] = tile[first + k] == double(t0 + first + k) ? double(r + 1) : std::nan("");
    chunkFactors(chunkCore(th.state), f, count);
  }
  static void stageChunk(Real *chunk, const Args &a, int64_t t, int64_t c, int64_t e) {
    const int64_t k = c * kChunkWidth + e % kChunkWidth;
    chunk[e] = k < E ? a.w[(t + e / kChunkWidth) * E + k] : 0;
  }
  static void consumeChunk(Thread &th, const Factors &f, const Real *chunk, int64_t count,
                           int64_t c) {
    addChunkProducts(chunkCore(th.state), f, chunk, count, c * kChunkWidth, kChunkWidth, E);
  }
  static void end(Thread &th, const Args &a, int64_t r) { th.state.finish(a.out + r * E); }
};

template <int64_t E> void runChunkedToy(int64_t rows, int64_t reduced, int32_t scheme) {
  std::vector<double> w(size_t(reduced * E)), out(size_t(rows * E), -1);
  for (int64_t k = 0; k < reduced * E; ++k)
    w[size_t(k)] = double((k * 5) % 7);
  char message[64] = "";
  const ErrorSink err{message, sizeof message};
  const GpuContext ctx;
  GpuRowTables tables(ctx);
  RowSpans dense;
  dense.all = {0, reduced};
  const typename ChunkedToyStage<E>::Args a{rows, reduced, w.data(), out.data()};
  ASSERT_EQ(gpuRun<ChunkedToyStage<E>>(ctx, tables, a, {}, {1, rows, reduced, dense}, scheme, err),
            KEOPS_OK);
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t k = 0; k < E; ++k) {
      double expected = 0;
      for (int64_t t = 0; t < reduced; ++t)
        expected += double(r + 1) * w[size_t(t * E + k)];
      ASSERT_EQ(out[size_t(r * E + k)], expected)
          << "row " << r << ", component " << k << " of " << rows << " x " << reduced;
    }
}

TEST(GpuSchedule, ChunkedTermsAddEveryChunkOfEveryTermOnce) {
  for (int32_t scheme : {KEOPS_CUDA_1D, KEOPS_CUDA_2D})
    for (int64_t rows : {1, 33, 300})
      for (int64_t reduced : {0, 1, 31, 32, 33, 257, 3000}) {
        runChunkedToy<8>(rows, reduced, scheme);  // one whole chunk
        runChunkedToy<20>(rows, reduced, scheme); // two, then a partial one
      }
}

/// The LogSumExp family's factors: the maximum moves to the sub-tile's, the sums rescale, −∞
/// and NaN terms add nothing (NaN poisons), as ShiftExpCore::add would have it term by term.
TEST(GpuSchedule, ShiftExpFactorsMatchTermByTermAdds) {
  using Core = ShiftExpCore<double, DirectAcc<double>, 2>;
  const double inf = std::numeric_limits<double>::infinity();
  const std::vector<std::vector<double>> cases = {
      {1, 3, 2}, {-inf, -inf}, {-inf, 5, -inf, 0.5}, {2, std::nan(""), 1}, {inf, 1, inf}};
  for (const std::vector<double> &s : cases) {
    Core chunked, plain;
    chunked.init();
    plain.init();
    const double seed[2] = {0.25, -1}, weights[2] = {3, -2};
    chunked.add(seed, weights, 0); // a state with a maximum already
    plain.add(seed, weights, 0);
    ChunkFactors<double> f;
    for (size_t t = 0; t < s.size(); ++t) {
      f.f[t] = s[t];
      plain.add(&s[t], weights, int64_t(t + 1));
    }
    chunkFactors(chunked, f, int64_t(s.size()));
    std::vector<double> w; // the sub-tile's chunk: both components per term
    for (size_t t = 0; t < s.size(); ++t)
      w.insert(w.end(), {weights[0], weights[1]});
    addChunkProducts(chunked, f, w.data(), int64_t(s.size()), 0, 2, 2);
    EXPECT_EQ(chunked.nan, plain.nan);
    EXPECT_EQ(chunked.m, plain.m);
    for (int k = 0; k < 2; ++k)
      EXPECT_NEAR(chunked.s[k].value(), plain.s[k].value(), 1e-12);
    EXPECT_NEAR(chunked.den.value(), plain.den.value(), 1e-12);
  }
}

TEST(GpuSchedule, ThreadsFitTheTileInSharedMemory) {
  EXPECT_EQ(gpuBlockThreads<ToyStage<2>>(), 256); // the default
  EXPECT_EQ(gpuBlockThreads<ToyStage<40>>(), 128);
  EXPECT_EQ(gpuBlockThreads<ToyStage<150>>(), 32); // the widest tile the emitter stages
  EXPECT_LE(gpuTileElements<ToyStage<150>>(32) * 8, 48 * 1024);
  // A chunked stage's two chunk buffers come out of the same 48 KiB.
  EXPECT_EQ(gpuTileElements<ChunkedToyStage<8>>(256), 256 + 2 * 32 * 8);
  EXPECT_EQ(gpuBlockThreads<ChunkedToyStage<8>>(), 256);
}

TEST(GpuSchedule, TwoDimensionalSplit) {
  // Few rows, a long axis: parts of whole 256-term blocks that cover it, about 4 blocks per SM.
  const int64_t parts = gpu2dParts(1, 100000, 132), length = gpu2dPartLength(100000, parts);
  EXPECT_EQ(length % 256, 0);
  EXPECT_GE(parts * length, 100000);
  EXPECT_LT((parts - 1) * length, 100000);
  EXPECT_EQ(parts, 79); // min(4 · 132, 100000 / 1024) = 97 parts of 1031, rounded up to 1280
  EXPECT_EQ(length, 1280);
  EXPECT_TRUE(gpu2dPays(1, 100000, 132));
  // Row blocks that fill the device, or a short axis: GPU_1D.
  EXPECT_FALSE(gpu2dPays(3907, 100000, 132));
  EXPECT_FALSE(gpu2dPays(1, 1500, 132));
  EXPECT_EQ(gpu2dParts(1, 0, 132), 1);
}

} // namespace
