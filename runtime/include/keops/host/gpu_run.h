// keops/host/gpu_run.h: one stage of a `_cuda` call, on the host side: the scheme
// (cuda_scheme; AUTO by size and the device's SM count), the row-block tables of block-sparse
// ranges, the GPU_2D workspace, and the launches, one grid layer per batch. The launches and
// buffers come from keops/cuda/device.h on a GPU and from keops/host/gpu_emulator.h on the CPU, so
// both run the same decisions and tables.
#ifndef KEOPS_HOST_GPU_RUN_H
#define KEOPS_HOST_GPU_RUN_H

#if defined(__CUDACC__) || defined(KEOPS_GPU_EMULATE)

#include "keops/host/checks.h"
#include "keops/host/ranges.h"
#include "keops/portable/gpu_schedule.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace keops_rt {
namespace {

/// The row blocks of block-sparse ranges for blocks of `threads` threads: every output row in
/// exactly one block, in row order; a cluster's rows in blocks of its own, with its spans; the
/// rows no cluster covers in blocks without spans (they finish with the empty value).
struct GpuRowTable {
  std::vector<GpuRowBlock> blocks;
  std::vector<GpuSpan> spans;
  int64_t longest = 0; ///< the most terms of a block
};

inline void appendRowBlocks(GpuRowTable &table, int64_t first, int64_t last, int64_t spanFirst,
                            int64_t spanLast, int64_t terms, int64_t threads) {
  for (int64_t r = first; r < last; r += threads)
    table.blocks.push_back(
        {r, last - r < threads ? last : r + threads, spanFirst, spanLast, terms});
  if (first < last && terms > table.longest)
    table.longest = terms;
}

inline GpuRowTable gpuRowTable(const RowSpans &s, int64_t rows, int64_t threads) {
  GpuRowTable table;
  for (const Span &span : s.spans)
    table.spans.push_back({span.begin, span.end});
  int64_t covered = 0; // rows before this are in the table
  for (const Cluster &c : s.clusters) {
    appendRowBlocks(table, covered, c.rows.begin, 0, 0, 0, threads);
    int64_t terms = 0;
    for (int64_t k = c.first; k < c.last; ++k)
      terms += s.spans[size_t(k)].end - s.spans[size_t(k)].begin;
    appendRowBlocks(table, c.rows.begin, c.rows.end, c.first, c.last, terms, threads);
    covered = c.rows.end;
  }
  appendRowBlocks(table, covered, rows, 0, 0, 0, threads);
  return table;
}

/// The row tables of one call on the device, built and uploaded once for each set of spans and
/// block size its stages use.
class GpuRowTables {
public:
  explicit GpuRowTables(const GpuContext &ctx) : ctx_(ctx) {}

  /// The device table of `spans` over `rows` output rows for blocks of `threads` threads.
  keops_status find(const RowSpans &spans, int64_t rows, int threads, GpuRows &g,
                    int64_t &rowBlocks, int64_t &longest, const ErrorSink &err) {
    Entry *entry = nullptr;
    for (const std::unique_ptr<Entry> &e : entries_)
      if (e->spans == &spans && e->threads == threads)
        entry = e.get();
    if (!entry) {
      entries_.push_back(std::unique_ptr<Entry>(new Entry(ctx_, spans, threads)));
      entry = entries_.back().get();
      const keops_status status = entry->upload(rows, err);
      if (status != KEOPS_OK)
        return status;
    }
    g.blocks = entry->blocks.get();
    g.spans = entry->spanTable.get();
    rowBlocks = entry->rowBlocks;
    longest = entry->longest;
    return KEOPS_OK;
  }

private:
  struct Entry {
    Entry(const GpuContext &ctx, const RowSpans &s, int t)
        : spans(&s), threads(t), blocks(ctx), spanTable(ctx) {}
    keops_status upload(int64_t rows, const ErrorSink &err) {
      const GpuRowTable table = gpuRowTable(*spans, rows, threads);
      rowBlocks = int64_t(table.blocks.size());
      longest = table.longest;
      keops_status status = blocks.allocate(rowBlocks, err);
      if (status == KEOPS_OK)
        status = blocks.upload(table.blocks.data(), rowBlocks, err);
      if (status == KEOPS_OK)
        status = spanTable.allocate(int64_t(table.spans.size()), err);
      if (status == KEOPS_OK)
        status = spanTable.upload(table.spans.data(), int64_t(table.spans.size()), err);
      return status;
    }
    const RowSpans *spans;
    int threads;
    GpuBuffer<GpuRowBlock> blocks;
    GpuBuffer<GpuSpan> spanTable;
    int64_t rowBlocks = 0;
    int64_t longest = 0;
  };
  const GpuContext &ctx_;
  std::vector<std::unique_ptr<Entry>> entries_;
};

/// What one stage covers: `batches` problems (SPEC.md §5.4) of `rows` output rows against
/// `reduced` terms each, dense or, without a batch, over the ranges of the stage's axis.
struct GpuExtent {
  int64_t batches;
  int64_t rows;
  int64_t reduced;
  const RowSpans &spans;
};

/// Grid layers (batches) per launch: at most a grid's 65535, and for GPU_2D no more than keep
/// its workspace of states within 64 MiB (one layer at least).
inline int64_t gpuLayersPerLaunch(int64_t batches, int64_t statesPerLayer, int64_t stateBytes) {
  int64_t layers = batches < 65535 ? batches : 65535;
  if (statesPerLayer > 0) {
    const int64_t fit = (int64_t(64) << 20) / stateBytes / statesPerLayer;
    layers = fit < 1 ? 1 : fit < layers ? fit : layers;
  }
  return layers;
}

/// One stage over every batch of `extent`, GPU_1D or GPU_2D as `scheme` says (AUTO: by the row
/// blocks of all batches against the device's SM count), enqueued on the call's stream.
template <class Stage>
keops_status gpuRun(const GpuContext &ctx, GpuRowTables &tables, const typename Stage::Args &a,
                    const typename Stage::Steps &steps, const GpuExtent &extent, int32_t scheme,
                    const ErrorSink &err) {
  const int threads = gpuBlockThreads<Stage>();
  GpuRows g = {extent.rows, extent.reduced, nullptr, nullptr};
  int64_t rowBlocks = (extent.rows + threads - 1) / threads, longest = extent.reduced;
  if (!extent.spans.dense) {
    const keops_status status =
        tables.find(extent.spans, extent.rows, threads, g, rowBlocks, longest, err);
    if (status != KEOPS_OK)
      return status;
  }
  if (rowBlocks == 0 || extent.batches == 0)
    return KEOPS_OK;
  if (rowBlocks > 0x7fffffff)
    return err.fail(KEOPS_ERROR_NOT_SUPPORTED,
                    "%lld output rows need more CUDA blocks than a grid has",
                    (long long)extent.rows);
  int64_t allBlocks = 0; // the row blocks of every batch: what fills the device
  if (__builtin_mul_overflow(rowBlocks, extent.batches, &allBlocks))
    allBlocks = INT64_MAX;
  const bool twoD = scheme == KEOPS_CUDA_2D ||
                    (scheme == KEOPS_CUDA_AUTO && gpu2dPays(allBlocks, longest, ctx.sms));
  const int64_t parts = twoD ? gpu2dParts(allBlocks, longest, ctx.sms) : 0;
  using Thread = typename Stage::Thread;
  int64_t perLayer = 0;
  if (twoD && (__builtin_mul_overflow(parts, extent.rows, &perLayer) ||
               perLayer > int64_t(PTRDIFF_MAX / sizeof(Thread))))
    return err.fail(KEOPS_ERROR_OUT_OF_MEMORY,
                    "GPU_2D's workspace of %lld x %lld states is too large", (long long)parts,
                    (long long)extent.rows);
  const int64_t layers = gpuLayersPerLaunch(extent.batches, perLayer, int64_t(sizeof(Thread)));
  GpuBuffer<Thread> states(ctx);
  if (twoD) {
    const keops_status status = states.allocate(layers * perLayer, err);
    if (status != KEOPS_OK)
      return status;
  }
  for (int64_t first = 0; first < extent.batches; first += layers) {
    const GpuBatches<Stage> batches = {steps, first};
    const int64_t count = extent.batches - first < layers ? extent.batches - first : layers;
    const keops_status status =
        twoD ? gpuLaunch2d<Stage>(ctx, a, batches, count, g, rowBlocks, parts, threads,
                                  states.get(), err)
             : gpuLaunch1d<Stage>(ctx, a, batches, count, g, rowBlocks, threads, err);
    if (status != KEOPS_OK)
      return status;
  }
  return KEOPS_OK;
}

} // namespace
} // namespace keops_rt

#endif
#endif
