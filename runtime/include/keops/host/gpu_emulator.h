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
#include <vector>

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
inline int gpuDeviceCount() { return 1; }
inline keops_status gpuSynchronize(const GpuContext &, const ErrorSink &) { return KEOPS_OK; }

/// The device's copies of host arrays, as fresh host buffers: outputs start as garbage, as device
/// memory does, so an output element a kernel leaves unwritten shows after download(). Bytes of
/// 0x7f read as no plausible result: about 3.4e38 in float32, 1.4e306 in float64, NaN in float16,
/// an index far out of range (all bits set would read as index -1, a valid empty slot).
class GpuCopies {
public:
  GpuCopies(const GpuContext &, const ArrayArg *arrays, int count, bool copy)
      : arrays_(arrays), count_(count), copy_(copy) {}

  keops_status upload(const ErrorSink &) {
    for (int k = 0; copy_ && k < count_; ++k) {
      int64_t bytes = 0;
      byteSize(arrays_[k], bytes);
      copies_.emplace_back(new unsigned char[size_t(bytes > 0 ? bytes : 1)]);
      const unsigned char *from = static_cast<const unsigned char *>(arrays_[k].ptr);
      if (arrays_[k].output)
        std::fill(copies_.back().get(), copies_.back().get() + bytes, 0x7f);
      else if (bytes > 0)
        std::copy(from, from + bytes, copies_.back().get());
    }
    return KEOPS_OK;
  }

  void *at(int k) const {
    return copy_ ? copies_[size_t(k)].get() : const_cast<void *>(arrays_[k].ptr);
  }

  keops_status download(const ErrorSink &) {
    for (int k = 0; copy_ && k < count_; ++k) {
      int64_t bytes = 0;
      byteSize(arrays_[k], bytes);
      if (arrays_[k].output && bytes > 0)
        std::copy(copies_[size_t(k)].get(), copies_[size_t(k)].get() + bytes,
                  static_cast<unsigned char *>(const_cast<void *>(arrays_[k].ptr)));
    }
    return KEOPS_OK;
  }

private:
  const ArrayArg *arrays_;
  int count_;
  bool copy_;
  std::vector<std::unique_ptr<unsigned char[]>> copies_;
};

template <class T> class GpuBuffer {
public:
  explicit GpuBuffer(const GpuContext &) {}
  keops_status allocate(int64_t count, const ErrorSink &) {
    data_.reset(new T[size_t(count > 0 ? count : 1)]);
    return KEOPS_OK;
  }
  T *get() const { return data_.get(); }
  /// Copies count elements of host memory in (the device's is stream-ordered).
  keops_status upload(const T *host, int64_t count, const ErrorSink &) {
    std::copy(host, host + count, data_.get());
    return KEOPS_OK;
  }

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

/// A launch's shared-memory tile, NaN before each block as shared memory starts as garbage on a
/// GPU: a read of an unstaged slot shows.
template <class Stage> class EmulatedTile {
public:
  explicit EmulatedTile(int threads)
      : size_(size_t(std::max<int64_t>(gpuTileElements<Stage>(threads), 1))),
        data_(new typename Stage::Real[size_]) {}
  typename Stage::Real *fresh() {
    std::fill(data_.get(), data_.get() + size_, quietNan<typename Stage::Real>());
    return data_.get();
  }

private:
  size_t size_;
  std::unique_ptr<typename Stage::Real[]> data_;
};

template <class Stage>
keops_status gpuLaunch1d(const GpuContext &, const typename Stage::Args &a,
                         const GpuBatches<Stage> &batches, int64_t layers, const GpuRows &g,
                         int64_t rowBlocks, int threads, const ErrorSink &) {
  EmulatedTile<Stage> tile(threads);
  for (int64_t z = 0; z < layers; ++z)
    for (int64_t b = 0; b < rowBlocks; ++b) {
      SequentialBlock block{int(b), threads};
      gpu1dBlock<Stage>(block, gpuBatchArgs(a, batches, z), g, tile.fresh());
    }
  return KEOPS_OK;
}

template <class Stage>
keops_status gpuLaunch2d(const GpuContext &, const typename Stage::Args &a,
                         const GpuBatches<Stage> &batches, int64_t layers, const GpuRows &g,
                         int64_t rowBlocks, int64_t parts, int threads,
                         typename Stage::Thread *states, const ErrorSink &) {
  EmulatedTile<Stage> tile(threads);
  for (int64_t z = 0; z < layers; ++z)
    for (int64_t p = 0; p < parts; ++p)
      for (int64_t b = 0; b < rowBlocks; ++b) {
        SequentialBlock block{int(b), threads};
        gpu2dPartBlock<Stage>(block, gpuBatchArgs(a, batches, z), g, parts, p, tile.fresh(),
                              gpu2dLayerStates(states, z, parts, g.rows));
      }
  for (int64_t z = 0; z < layers; ++z)
    for (int64_t r = 0; r < g.rows; ++r)
      gpu2dMergeRow<Stage>(gpuBatchArgs(a, batches, z), g.rows, parts,
                           gpu2dLayerStates(states, z, parts, g.rows), r);
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
