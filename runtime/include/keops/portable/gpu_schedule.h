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
// (its per-thread state), kTileWidth (Real elements each reduced row puts in shared memory; 0:
// the stage reads its reduced inputs from global memory), and static KEOPS_HD functions
//   begin(Thread &, const Args &, int64_t r)            starts output row r
//   stage(Real *slot, const Args &, int64_t t)          stages reduced row t's inputs
//   consume(Thread &, const Args &, int64_t r, const Real *tile, int64_t t0, int64_t count)
//                                                       adds terms t0 … t0 + count − 1 to row r
//   end(Thread &, const Args &, int64_t r)              writes row r's results
#ifndef KEOPS_PORTABLE_GPU_SCHEDULE_H
#define KEOPS_PORTABLE_GPU_SCHEDULE_H

#include "keops/portable/config.h"

#include <cstdint>

namespace keops_rt {
namespace {

/// GPU_1D: block b computes output rows [b·size, (b + 1)·size) ∩ [0, rows), one per thread,
/// reducing over [0, reduced) in tiles of `size` reduced rows that the block's threads stage
/// together in `tile` (size × kTileWidth elements of shared memory). Every thread takes part in
/// staging and in the barriers, also those past the last row.
#if defined(__CUDACC__)
#pragma nv_exec_check_disable
#endif
template <class Stage, class Block>
KEOPS_HD void gpu1dBlock(Block &block, const typename Stage::Args &a, int64_t rows, int64_t reduced,
                         typename Stage::Real *tile) {
  const int64_t size = block.size();
  const int64_t first = int64_t(block.index()) * size;
  typename Block::template PerThread<typename Stage::Thread> thread(block);
  block.forEachThread([&](int tid) {
    if (first + tid < rows)
      Stage::begin(thread[tid], a, first + tid);
  });
  for (int64_t t0 = 0; t0 < reduced; t0 += size) {
    const int64_t count = reduced - t0 < size ? reduced - t0 : size;
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
      Stage::end(thread[tid], a, first + tid);
  });
}

/// Threads per GPU_1D block: 256, fewer (a multiple of 32) when the tile would not fit in the
/// 48 KiB of shared memory every device gives without opting in. The emitter reads reduced
/// inputs wider than 32 threads allow from global memory instead (kTileWidth = 0).
template <class Stage> KEOPS_HD int gpu1dThreads() {
  const int64_t perThread = Stage::kTileWidth * int64_t(sizeof(typename Stage::Real));
  const int64_t threads = perThread > 0 ? (48 * 1024 / perThread) / 32 * 32 : 256;
  return int(threads < 32 ? 32 : threads > 256 ? 256 : threads);
}

/// The shared memory elements a GPU_1D block of `threads` threads stages.
template <class Stage> KEOPS_HD int64_t gpu1dTileElements(int64_t threads) {
  return threads * Stage::kTileWidth;
}

} // namespace
} // namespace keops_rt

#endif
