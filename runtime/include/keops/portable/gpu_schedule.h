// keops/portable/gpu_schedule.h: the GPU schedules, written once against a thread-block
// executor. On a GPU (keops/cuda/device.h) the executor is the CUDA block itself: one CUDA
// thread per thread index, a barrier after each phase. On the CPU (keops/host/gpu_emulator.h)
// it runs each phase for every thread index in turn, so the same index arithmetic, tiling and
// merges are tested on machines without a GPU.
//
// A Block executor provides: index() and size() (the block's index in the grid and its thread
// count), forEachThread(f) (runs f(tid) for each thread of the block, then a barrier), and
// PerThread<T> (one T per thread, constructed from the block, indexed by tid).
//
// A Stage (generated, one per reduction stage) provides: Args, Real (the compute type), Thread
// (its per-thread state: a reduction state `state` that merges), kTileWidth (Real elements each
// reduced row puts in shared memory; 0: the stage reads its reduced inputs from global memory),
// and static KEOPS_HD functions
//   begin(Thread &, const Args &, int64_t r)            starts output row r
//   stage(Real *slot, const Args &, int64_t t)          stages reduced row t's inputs
//   consume(Thread &, const Args &, int64_t r, const Real *tile, int64_t t0, int64_t count)
//                                                       adds terms t0 … t0 + count − 1 to row r
//   end(Thread &, const Args &, int64_t r)              writes row r's results
//
// GPU_1D: block b computes output rows [b·size, (b + 1)·size) over the whole reduced axis.
// GPU_2D, for few rows against a long reduced axis: the axis is cut into parts (on block_sum's
// 256-term boundaries); block (b, p) reduces those rows over part p and leaves each row's
// state in a workspace; then one thread per row merges the parts' states in part order and
// finishes. Every reduction's state merges, so every reduction has both schemes.
#ifndef KEOPS_PORTABLE_GPU_SCHEDULE_H
#define KEOPS_PORTABLE_GPU_SCHEDULE_H

#include "keops/portable/config.h"

#include <cstdint>

namespace keops_rt {
namespace {

/// Block block.index() reduces its rows ∩ [0, rows) over [begin, end) of the reduced axis, in
/// tiles of `size` reduced rows that its threads stage together in `tile` (size × kTileWidth
/// elements of shared memory), then calls done(thread, r) for each row. Every thread takes part
/// in staging and in the barriers, also those past the last row.
#if defined(__CUDACC__)
#pragma nv_exec_check_disable
#endif
template <class Stage, class Block, class Done>
KEOPS_HD void reduceRowBlock(Block &block, const typename Stage::Args &a, int64_t rows,
                             int64_t begin, int64_t end, typename Stage::Real *tile, Done done) {
  const int64_t size = block.size();
  const int64_t first = int64_t(block.index()) * size;
  typename Block::template PerThread<typename Stage::Thread> thread(block);
  block.forEachThread([&](int tid) {
    if (first + tid < rows)
      Stage::begin(thread[tid], a, first + tid);
  });
  for (int64_t t0 = begin; t0 < end; t0 += size) {
    const int64_t count = end - t0 < size ? end - t0 : size;
    if (Stage::kTileWidth > 0)
      block.forEachThread([&](int tid) {
        if (tid < count)
          Stage::stage(tile + int64_t(tid) * Stage::kTileWidth, a, t0 + tid);
      });
    block.forEachThread([&](int tid) {
      if (first + tid < rows)
        Stage::consume(thread[tid], a, first + tid, tile, t0, count);
    });
  }
  block.forEachThread([&](int tid) {
    if (first + tid < rows)
      done(thread[tid], first + tid);
  });
}

/// A block of GPU_1D: its rows over the whole reduced axis, finished.
#if defined(__CUDACC__)
#pragma nv_exec_check_disable
#endif
template <class Stage, class Block>
KEOPS_HD void gpu1dBlock(Block &block, const typename Stage::Args &a, int64_t rows, int64_t reduced,
                         typename Stage::Real *tile) {
  reduceRowBlock<Stage>(block, a, rows, 0, reduced, tile,
                        [&](typename Stage::Thread &th, int64_t r) { Stage::end(th, a, r); });
}

/// How GPU_2D cuts the reduced axis: `parts` parts of `length` terms (the last may be shorter;
/// `length` is a multiple of 256, so block_sum's blocks never straddle two parts).
struct GpuSplit {
  int64_t parts;
  int64_t length;
};

/// Enough parts that the grid fills the device's `sms` multiprocessors about 4 times over, each
/// of at least 1024 terms (the merge reads one state per part and row); 1 part when the row
/// blocks alone do.
KEOPS_HD GpuSplit gpu2dSplit(int64_t rows, int64_t reduced, int64_t threads, int64_t sms) {
  const int64_t rowBlocks = rows > 0 ? (rows + threads - 1) / threads : 1;
  const int64_t wanted = (4 * sms + rowBlocks - 1) / rowBlocks;
  const int64_t most = reduced / 1024 > 1 ? reduced / 1024 : 1;
  const int64_t parts = wanted < most ? wanted : most;
  const int64_t per = (reduced + parts - 1) / parts;
  const int64_t length = per > 0 ? (per + 255) / 256 * 256 : 256;
  return {reduced > 0 ? (reduced + length - 1) / length : 1, length};
}

/// KEOPS_CUDA_AUTO's choice: GPU_2D when the row blocks fill less than half the device and the
/// reduced axis gives at least two parts.
KEOPS_HD bool gpu2dPays(int64_t rows, int64_t reduced, int64_t threads, int64_t sms) {
  const int64_t rowBlocks = (rows + threads - 1) / threads;
  return 2 * rowBlocks < sms && gpu2dSplit(rows, reduced, threads, sms).parts > 1;
}

/// Block (block.index(), part) of GPU_2D's first kernel: its rows over the part, each row's
/// Thread (its state) left in states[part · rows + r].
#if defined(__CUDACC__)
#pragma nv_exec_check_disable
#endif
template <class Stage, class Block>
KEOPS_HD void gpu2dPartBlock(Block &block, const typename Stage::Args &a, int64_t rows,
                             int64_t reduced, GpuSplit split, int64_t part,
                             typename Stage::Real *tile, typename Stage::Thread *states) {
  const int64_t begin = part * split.length;
  const int64_t end = reduced - begin < split.length ? reduced : begin + split.length;
  reduceRowBlock<Stage>(
      block, a, rows, begin, end, tile,
      [&](typename Stage::Thread &th, int64_t r) { states[part * rows + r] = th; });
}

/// GPU_2D's second kernel, for row r: the parts' states merged in part order, then finished.
template <class Stage>
KEOPS_HD void gpu2dMergeRow(const typename Stage::Args &a, int64_t rows, int64_t parts,
                            typename Stage::Thread *states, int64_t r) {
  typename Stage::Thread &merged = states[r];
  for (int64_t p = 1; p < parts; ++p)
    merged.state.merge(states[p * rows + r].state);
  Stage::end(merged, a, r);
}

/// Threads per block: 256, fewer (a multiple of 32) when the tile would not fit in the 48 KiB of
/// shared memory every device gives without opting in. The emitter reads reduced inputs wider
/// than 32 threads allow from global memory instead (kTileWidth = 0).
template <class Stage> KEOPS_HD int gpuBlockThreads() {
  const int64_t perThread = Stage::kTileWidth * int64_t(sizeof(typename Stage::Real));
  const int64_t threads = perThread > 0 ? (48 * 1024 / perThread) / 32 * 32 : 256;
  return int(threads < 32 ? 32 : threads > 256 ? 256 : threads);
}

/// The shared memory elements a block of `threads` threads stages.
template <class Stage> KEOPS_HD int64_t gpuTileElements(int64_t threads) {
  return threads * Stage::kTileWidth;
}

} // namespace
} // namespace keops_rt

#endif
