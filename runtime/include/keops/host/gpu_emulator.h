// keops/host/gpu_emulator.h: keops/cuda/device.h's interface on the CPU, for testing. A library
// whose CUDA source is compiled as C++ with -DKEOPS_GPU_EMULATE (keopsc --cuda-emulate) runs its
// `_cuda` entry points on host memory: every block of every launch in turn, each phase of a
// block for every thread index before the next phase, with the launch geometry the GPU would
// use. So the schedules' index arithmetic, tiling and merges are checked by the conformance
// suite on machines without a GPU. It is not a fast path.
#ifndef KEOPS_HOST_GPU_EMULATOR_H
#define KEOPS_HOST_GPU_EMULATOR_H

#if defined(KEOPS_GPU_EMULATE)

#include "keops/host/checks.h"
#include "keops/portable/config.h"
#include "keops/portable/gpu_schedule.h"
#include "keops/portable/row_sum.h"

#include <algorithm>
#include <cstdint>
#include <memory>

namespace keops_rt {
namespace {

/// The emulated device's multiprocessors: few, so that KEOPS_CUDA_AUTO takes GPU_2D on the
/// conformance suites' small problems (a few rows against thousands of terms) too.
constexpr int kEmulatedSms = 8;

struct GpuContext {
  int sms = kEmulatedSms;
};

inline keops_status gpuOpen(const keops_options &, GpuContext &, const ErrorSink &) {
  return KEOPS_OK;
}
struct GpuCloser {
  const GpuContext &ctx;
  ~GpuCloser() {} // user-provided, like the device's: a closer is never an unused variable
};
/// Host memory is the emulated device's memory: nothing to check.
inline keops_status gpuCheckPointers(const GpuContext &, const ArrayArg *, int, const ErrorSink &) {
  return KEOPS_OK;
}

inline int gpuMemoryKind(const ArrayArg *, int) { return kEmulatedGpu; }

template <class T> class GpuBuffer {
public:
  explicit GpuBuffer(const GpuContext &) {}
  keops_status allocate(int64_t count, const ErrorSink &) {
    data_.reset(new T[size_t(count > 0 ? count : 1)]);
    return KEOPS_OK;
  }
  T *get() const { return data_.get(); }

private:
  std::unique_ptr<T[]> data_;
};

/// The block executor of gpu_schedule.h, sequential: a phase runs every thread index in turn,
/// which is what a barrier after it guarantees on the GPU.
struct SequentialBlock {
  int blockIndex;
  int threads;
  int index() const { return blockIndex; }
  int size() const { return threads; }
  template <class F> void forEachThread(F &&f) {
    for (int tid = 0; tid < threads; ++tid)
      f(tid);
  }
  template <class T> struct PerThread {
    std::unique_ptr<T[]> values;
    explicit PerThread(SequentialBlock &b) : values(new T[size_t(b.threads)]) {}
    T &operator[](int tid) { return values[size_t(tid)]; }
  };
};

template <class Stage>
keops_status gpuRun(const GpuContext &ctx, const typename Stage::Args &a, int64_t rows,
                    int64_t reduced, int32_t scheme, const ErrorSink &) {
  using Real = typename Stage::Real;
  using Thread = typename Stage::Thread;
  const int threads = gpuBlockThreads<Stage>();
  const int64_t rowBlocks = (rows + threads - 1) / threads;
  const size_t tileSize = size_t(std::max<int64_t>(gpuTileElements<Stage>(threads), 1));
  std::unique_ptr<Real[]> tile(new Real[tileSize]);
  // Shared memory starts as garbage on a GPU: NaN makes a read of an unstaged slot visible.
  auto freshTile = [&]() { std::fill(tile.get(), tile.get() + tileSize, quietNan<Real>()); };
  const bool twoD = scheme == KEOPS_CUDA_2D ||
                    (scheme == KEOPS_CUDA_AUTO && gpu2dPays(rows, reduced, threads, ctx.sms));
  if (!twoD) {
    for (int64_t b = 0; b < rowBlocks; ++b) {
      freshTile();
      SequentialBlock block{int(b), threads};
      gpu1dBlock<Stage>(block, a, rows, reduced, tile.get());
    }
    return KEOPS_OK;
  }
  const GpuSplit split = gpu2dSplit(rows, reduced, threads, ctx.sms);
  std::unique_ptr<Thread[]> states(new Thread[size_t(std::max<int64_t>(split.parts * rows, 1))]);
  for (int64_t p = 0; p < split.parts; ++p)
    for (int64_t b = 0; b < rowBlocks; ++b) {
      freshTile();
      SequentialBlock block{int(b), threads};
      gpu2dPartBlock<Stage>(block, a, rows, reduced, split, p, tile.get(), states.get());
    }
  for (int64_t r = 0; r < rows; ++r)
    gpu2dMergeRow<Stage>(a, rows, split.parts, states.get(), r);
  return KEOPS_OK;
}

template <class Acc, class In, class Out>
keops_status gpuRowSums(const GpuContext &, RowSumScheme scheme, const In *in, int64_t rows,
                        int64_t groups, int64_t width, Out *out, const ErrorSink &) {
  const int64_t per = groups > 0 ? rows / groups : 0;
  for (int64_t column = 0; column < groups * width; ++column)
    sumRowGroupColumn<Acc>(scheme, in, per, width, column / width, column % width, out);
  return KEOPS_OK;
}

} // namespace
} // namespace keops_rt

#endif
#endif
