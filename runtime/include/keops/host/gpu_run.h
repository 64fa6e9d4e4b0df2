// keops/host/gpu_run.h: one stage of a `_cuda` call, on the host side: the scheme
// (cuda_scheme; AUTO by size and the device's SM count), the row-block table of block-sparse
// ranges, the GPU_2D workspace, and the launches. The launches and buffers come from
// keops/cuda/device.h on a GPU and from keops/host/gpu_emulator.h on the CPU, so both run the
// same decisions and tables.
#ifndef KEOPS_HOST_GPU_RUN_H
#define KEOPS_HOST_GPU_RUN_H

#if defined(__CUDACC__) || defined(KEOPS_GPU_EMULATE)

#include "keops/host/checks.h"
#include "keops/host/ranges.h"
#include "keops/portable/gpu_schedule.h"

#include <cstdint>
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

/// One stage over `rows` output rows and `reduced` terms (`spans`: dense, or the ranges of the
/// stage's axis), GPU_1D or GPU_2D as `scheme` says, enqueued on the call's stream.
template <class Stage>
keops_status gpuRun(const GpuContext &ctx, const typename Stage::Args &a, int64_t rows,
                    int64_t reduced, const RowSpans &spans, int32_t scheme, const ErrorSink &err) {
  const int threads = gpuBlockThreads<Stage>();
  GpuRows g = {rows, reduced, nullptr, nullptr};
  int64_t rowBlocks = (rows + threads - 1) / threads, longest = reduced;
  GpuRowTable table;
  GpuBuffer<GpuRowBlock> blocks(ctx);
  GpuBuffer<GpuSpan> spanTable(ctx);
  if (!spans.dense) {
    table = gpuRowTable(spans, rows, threads);
    rowBlocks = int64_t(table.blocks.size());
    longest = table.longest;
    keops_status status = blocks.allocate(rowBlocks, err);
    if (status == KEOPS_OK)
      status = blocks.upload(table.blocks.data(), rowBlocks, err);
    if (status == KEOPS_OK)
      status = spanTable.allocate(int64_t(table.spans.size()), err);
    if (status == KEOPS_OK)
      status = spanTable.upload(table.spans.data(), int64_t(table.spans.size()), err);
    if (status != KEOPS_OK)
      return status;
    g.blocks = blocks.get();
    g.spans = spanTable.get();
  }
  if (rowBlocks == 0)
    return KEOPS_OK;
  if (rowBlocks > 0x7fffffff)
    return err.fail(KEOPS_ERROR_NOT_SUPPORTED,
                    "%lld output rows need more CUDA blocks than a grid has", (long long)rows);
  const bool twoD = scheme == KEOPS_CUDA_2D ||
                    (scheme == KEOPS_CUDA_AUTO && gpu2dPays(rowBlocks, longest, ctx.sms));
  if (!twoD)
    return gpuLaunch1d<Stage>(ctx, a, g, rowBlocks, threads, err);
  const int64_t parts = gpu2dParts(rowBlocks, longest, ctx.sms);
  GpuBuffer<typename Stage::Thread> states(ctx);
  int64_t stateCount = 0;
  if (__builtin_mul_overflow(parts, rows, &stateCount) ||
      stateCount > int64_t(PTRDIFF_MAX / sizeof(typename Stage::Thread)))
    return err.fail(KEOPS_ERROR_OUT_OF_MEMORY,
                    "GPU_2D's workspace of %lld x %lld states is too large", (long long)parts,
                    (long long)rows);
  keops_status status = states.allocate(stateCount, err);
  if (status != KEOPS_OK)
    return status;
  return gpuLaunch2d<Stage>(ctx, a, g, rowBlocks, parts, threads, states.get(), err);
}

} // namespace
} // namespace keops_rt

#endif
#endif
