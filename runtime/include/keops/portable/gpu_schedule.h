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
// A Stage (generated, one per reduction stage) provides: Args, Steps and atBatch(a, steps, b)
// (batch b's arguments, see GpuBatches), Real (the compute type), Thread
// (its per-thread state: a reduction state `state` that merges), kTileWidth (Real elements each
// reduced row puts in shared memory; 0: the stage reads its reduced inputs from global memory),
// and static KEOPS_HD functions
//   begin(Thread &, const Args &, int64_t r)            starts output row r
//   stage(Real *slot, const Args &, int64_t t)          stages reduced row t's inputs
//   consume(Thread &, const Args &, int64_t r, const Real *tile, int64_t t0, int64_t count)
//                                                       adds terms t0 … t0 + count − 1 to row r
//   end(Thread &, const Args &, int64_t r)              writes row r's results
// and kChunkWidth: 0, or the components of a chunked term's W (keops/portable/chunked_terms.h)
// that a chunk stages. A chunked stage's tile holds the other reduced inputs, and it provides
// kChunks (chunks of W), Factors (ChunkFactorsOf<State>), and instead of consume()
//   factors(Thread &, const Args &, int64_t r, const Real *tile, int64_t t0, int64_t first,
//           int64_t count, Factors &)                   the factors of terms t0 + first + [0,
//           count)
//   stageChunk(Real *chunk, const Args &, int64_t t, int64_t c, int64_t e)
//                                                       element e of chunk c of terms t, t + 1, …
//   consumeChunk(Thread &, const Factors &, const Real *chunk, int64_t count, int64_t c)
//                                                       adds chunk c of the sub-tile's terms
//
// A launch covers every output row of each of its batches once (one grid layer per batch), in
// row blocks: dense, block b has rows
// [b·size, (b + 1)·size) over the whole reduced axis; with block-sparse ranges (SPEC.md §5.3),
// a table of row blocks (keops/host/gpu_run.h) that never straddle two clusters, each with its
// cluster's sorted reduced spans, and blocks without spans for the rows no cluster covers (they
// finish with the reduction's empty value).
// GPU_1D: each block reduces its rows over all of its terms and finishes them.
// GPU_2D, for few row blocks against long reduced axes: each block's terms (its spans, end to
// end) are cut into parts of whole 256-term blocks (block_sum's blocks never straddle two
// parts); block (b, p) reduces its rows over part p and leaves each row's state in a workspace;
// then one thread per row merges the parts' states in part order and finishes. Every
// reduction's state merges, so every reduction has both schemes.
#ifndef KEOPS_PORTABLE_GPU_SCHEDULE_H
#define KEOPS_PORTABLE_GPU_SCHEDULE_H

#include "keops/portable/chunked_terms.h"
#include "keops/portable/config.h"

#include <cstdint>

namespace keops_rt {
namespace {

/// Reduced indices [begin, end).
struct GpuSpan {
  int64_t begin;
  int64_t end;
};

/// A block's work: output rows [first, last) over spans [spanFirst, spanLast) of the launch's
/// span table, `terms` reduced indices in all.
struct GpuRowBlock {
  int64_t first;
  int64_t last;
  int64_t spanFirst;
  int64_t spanLast;
  int64_t terms;
};

/// What a launch covers: `rows` output rows against `reduced` reduced indices; dense when
/// `blocks` is null, else the row blocks and spans of block-sparse ranges (device memory).
struct GpuRows {
  int64_t rows;
  int64_t reduced;
  const GpuRowBlock *blocks;
  const GpuSpan *spans;
};

/// The batches of one launch (SPEC.md §5.4): grid layer z runs batch `first + z`, whose arrays
/// are the call's advanced by `steps` (Stage::Steps: each array's elements per batch, 0 for one
/// every batch shares; Stage::atBatch applies them).
template <class Stage> struct GpuBatches {
  typename Stage::Steps steps;
  int64_t first;
};

/// Grid layer `layer`'s arguments.
template <class Stage>
KEOPS_HD typename Stage::Args gpuBatchArgs(const typename Stage::Args &a,
                                           const GpuBatches<Stage> &batches, int64_t layer) {
  return Stage::atBatch(a, batches.steps, batches.first + layer);
}

/// Block `index`'s rows and terms, for blocks of `size` threads.
KEOPS_HD GpuRowBlock gpuRowBlock(const GpuRows &g, int64_t index, int64_t size) {
  if (g.blocks)
    return g.blocks[index];
  const int64_t first = index * size;
  return {first, g.rows - first < size ? g.rows : first + size, 0, 1, g.reduced};
}

/// Adds the terms t0 … t0 + count − 1 of a tile, staged in `tile`, to the block's rows: a
/// chunked stage's, in sub-tiles of kChunkTerms terms whose factors each thread keeps, and W's
/// chunks staged in turn in two buffers after the tile (a thread stages chunk c + 1 while the
/// others read chunk c), one barrier a chunk.
#if defined(__CUDACC__)
#pragma nv_exec_check_disable
#endif
template <class Stage, class Block, class Threads>
KEOPS_HD void consumeChunked(Block &block, const typename Stage::Args &a, const GpuRowBlock &d,
                             Threads &thread, typename Stage::Real *tile, int64_t t0,
                             int64_t count) {
  constexpr int64_t kChunkElements = kChunkTerms * Stage::kChunkWidth;
  typename Stage::Real *chunks = tile + int64_t(block.size()) * Stage::kTileWidth;
  typename Block::template PerThread<typename Stage::Factors> factors(block);
  for (int64_t first = 0; first < count; first += kChunkTerms) {
    const int64_t n = count - first < kChunkTerms ? count - first : kChunkTerms;
    const auto stageChunk = [&](int tid, int64_t c) {
      for (int64_t e = tid; e < n * Stage::kChunkWidth; e += block.size())
        Stage::stageChunk(chunks + (c % 2) * kChunkElements, a, t0 + first, c, e);
    };
    block.forEachThread([&](int tid) {
      stageChunk(tid, 0);
      if (d.first + tid < d.last)
        Stage::factors(thread[tid], a, d.first + tid, tile, t0, first, n, factors[tid]);
    });
    for (int64_t c = 0; c < Stage::kChunks; ++c)
      block.forEachThread([&](int tid) {
        if (c + 1 < Stage::kChunks)
          stageChunk(tid, c + 1);
        if (d.first + tid < d.last)
          Stage::consumeChunk(thread[tid], factors[tid], chunks + (c % 2) * kChunkElements, n, c);
      });
  }
}

/// Block block.index() reduces rows [d.first, d.last) over terms [from, to) of its spans (term
/// k being the k-th reduced index of the spans put end to end; dense: the one span [0,
/// g.reduced), else the table's spans [d.spanFirst, d.spanLast)), in tiles of at most block.size()
/// reduced rows that its threads stage together in `tile` (size × kTileWidth elements of shared
/// memory), then calls done(thread, r) for each row. Every thread takes part in staging and in
/// the barriers, also those past the block's last row.
#if defined(__CUDACC__)
#pragma nv_exec_check_disable
#endif
template <class Stage, class Block, class Done>
KEOPS_HD void reduceRows(Block &block, const typename Stage::Args &a, const GpuRows &g,
                         const GpuRowBlock &d, int64_t from, int64_t to, typename Stage::Real *tile,
                         Done done) {
  const GpuSpan all = {0, g.reduced};
  const GpuSpan *spans = g.blocks ? g.spans + d.spanFirst : &all;
  const int64_t size = block.size();
  typename Block::template PerThread<typename Stage::Thread> thread(block);
  block.forEachThread([&](int tid) {
    if (d.first + tid < d.last)
      Stage::begin(thread[tid], a, d.first + tid);
  });
  int64_t offset = 0; // the term number of the span's first index
  for (int64_t k = 0; k < d.spanLast - d.spanFirst && offset < to; ++k) {
    const GpuSpan span = spans[k];
    const int64_t lo = from > offset ? from - offset : 0;
    const int64_t hi = to - offset < span.end - span.begin ? to - offset : span.end - span.begin;
    for (int64_t t0 = span.begin + lo; t0 < span.begin + hi; t0 += size) {
      const int64_t count = span.begin + hi - t0 < size ? span.begin + hi - t0 : size;
      if (Stage::kTileWidth > 0)
        block.forEachThread([&](int tid) {
          if (tid < count)
            Stage::stage(tile + int64_t(tid) * Stage::kTileWidth, a, t0 + tid);
        });
      if constexpr (Stage::kChunkWidth > 0)
        consumeChunked<Stage>(block, a, d, thread, tile, t0, count);
      else
        block.forEachThread([&](int tid) {
          if (d.first + tid < d.last)
            Stage::consume(thread[tid], a, d.first + tid, tile, t0, count);
        });
    }
    offset += span.end - span.begin;
  }
  block.forEachThread([&](int tid) {
    if (d.first + tid < d.last)
      done(thread[tid], d.first + tid);
  });
}

/// A block of GPU_1D: its rows over all their terms, finished.
#if defined(__CUDACC__)
#pragma nv_exec_check_disable
#endif
template <class Stage, class Block>
KEOPS_HD void gpu1dBlock(Block &block, const typename Stage::Args &a, const GpuRows &g,
                         typename Stage::Real *tile) {
  const GpuRowBlock d = gpuRowBlock(g, block.index(), block.size());
  reduceRows<Stage>(block, a, g, d, 0, d.terms, tile,
                    [&](typename Stage::Thread &th, int64_t r) { Stage::end(th, a, r); });
}

/// GPU_2D's part length for a block of `terms` terms cut into `parts` parts: a multiple of 256
/// (the last part may be shorter, trailing parts empty).
KEOPS_HD int64_t gpu2dPartLength(int64_t terms, int64_t parts) {
  const int64_t per = (terms + parts - 1) / parts;
  return per > 0 ? (per + 255) / 256 * 256 : 256;
}

/// How many parts GPU_2D cuts each block's terms into, for `rowBlocks` row blocks whose longest
/// has `longest` terms: enough that the grid fills the device's `sms` multiprocessors about 4
/// times over, each part of at least 1024 terms (the merge reads one state per part and row);
/// 1 when the row blocks alone fill it.
KEOPS_HD int64_t gpu2dParts(int64_t rowBlocks, int64_t longest, int64_t sms) {
  const int64_t blocks = rowBlocks > 0 ? rowBlocks : 1;
  const int64_t wanted = (4 * sms + blocks - 1) / blocks;
  const int64_t most = longest / 1024 > 1 ? longest / 1024 : 1;
  const int64_t parts = wanted < most ? wanted : most;
  const int64_t length = gpu2dPartLength(longest, parts);
  return longest > 0 ? (longest + length - 1) / length : 1;
}

/// KEOPS_CUDA_AUTO's choice: GPU_2D when the row blocks fill less than half the device and the
/// longest block's terms give at least two parts.
KEOPS_HD bool gpu2dPays(int64_t rowBlocks, int64_t longest, int64_t sms) {
  return 2 * rowBlocks < sms && gpu2dParts(rowBlocks, longest, sms) > 1;
}

/// GPU_2D's workspace holds each grid layer's part states in turn: layer z's start here.
template <class Thread>
KEOPS_HD Thread *gpu2dLayerStates(Thread *states, int64_t z, int64_t parts, int64_t rows) {
  return states + z * parts * rows;
}

/// Block (block.index(), part) of GPU_2D's first kernel: its rows over the part of their terms,
/// each row's Thread (its state) left in states[part · rows + r].
#if defined(__CUDACC__)
#pragma nv_exec_check_disable
#endif
template <class Stage, class Block>
KEOPS_HD void gpu2dPartBlock(Block &block, const typename Stage::Args &a, const GpuRows &g,
                             int64_t parts, int64_t part, typename Stage::Real *tile,
                             typename Stage::Thread *states) {
  const GpuRowBlock d = gpuRowBlock(g, block.index(), block.size());
  const int64_t length = gpu2dPartLength(d.terms, parts);
  const int64_t from = part * length;
  const int64_t to = d.terms - from < length ? d.terms : from + length;
  reduceRows<Stage>(block, a, g, d, from, to, tile,
                    [&](typename Stage::Thread &th, int64_t r) { states[part * g.rows + r] = th; });
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

/// The shared memory elements of a chunked stage's two chunk buffers (0 for the others).
template <class Stage> KEOPS_HD int64_t gpuChunkElements() {
  return 2 * kChunkTerms * Stage::kChunkWidth;
}

/// Threads per block: 256, fewer (a multiple of 32) when the tile and the chunk buffers would not
/// fit in the 48 KiB of shared memory every device gives without opting in. The emitter reads
/// reduced inputs wider than 32 threads allow from global memory instead (kTileWidth = 0).
template <class Stage> KEOPS_HD int gpuBlockThreads() {
  const int64_t bytes = int64_t(sizeof(typename Stage::Real));
  const int64_t perThread = Stage::kTileWidth * bytes;
  const int64_t room = 48 * 1024 - gpuChunkElements<Stage>() * bytes;
  const int64_t threads = perThread > 0 ? (room / perThread) / 32 * 32 : 256;
  return int(threads < 32 ? 32 : threads > 256 ? 256 : threads);
}

/// The shared memory elements a block of `threads` threads stages.
template <class Stage> KEOPS_HD int64_t gpuTileElements(int64_t threads) {
  return threads * Stage::kTileWidth + gpuChunkElements<Stage>();
}

} // namespace
} // namespace keops_rt

#endif
