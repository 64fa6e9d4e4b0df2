// keops/cuda/device.h: what a `_cuda` entry point needs of the CUDA runtime, compiled by nvcc
// only: the call's device and stream, device-pointer checks, workspaces, and the launches of
// the GPU schedules (keops/portable/gpu_schedule.h), device copies of host arrays. Every CUDA
// failure becomes a keops_status with a message; nothing aborts, and nothing synchronises but
// the dispatcher's gpuSynchronize (the caller's stream orders the work).
// keops/host/gpu_emulator.h offers the same interface on the CPU.
#ifndef KEOPS_CUDA_DEVICE_H
#define KEOPS_CUDA_DEVICE_H

#if defined(__CUDACC__) && !defined(KEOPS_GPU_EMULATE)

#include "keops/host/checks.h"
#include "keops/portable/gpu_schedule.h"
#include "keops/portable/row_sum.h"

#include <cstdint>
#include <cuda_runtime.h>
#include <vector>

namespace keops_rt {
namespace {

/// The device and stream a call runs on; the calling thread's device is restored on close.
struct GpuContext {
  int device = -1;
  int previous = -1;
  cudaStream_t stream = nullptr;
  int sms = 1; ///< the device's multiprocessors (KEOPS_CUDA_AUTO's choice of scheme)
};

inline keops_status cudaFailure(cudaError_t e, const char *what, const ErrorSink &err) {
  return err.fail(e == cudaErrorMemoryAllocation ? KEOPS_ERROR_OUT_OF_MEMORY : KEOPS_ERROR_CUDA,
                  "%s failed: %s (%s)", what, cudaGetErrorString(e), cudaGetErrorName(e));
}

inline void gpuClose(const GpuContext &ctx) {
  if (ctx.previous >= 0 && ctx.device != ctx.previous)
    cudaSetDevice(ctx.previous);
}

/// Picks the call's device (device_id, or the thread's current one) and stream.
inline keops_status gpuOpen(const keops_options &o, GpuContext &ctx, const ErrorSink &err) {
  int count = 0;
  cudaError_t e = cudaGetDeviceCount(&count);
  if (e != cudaSuccess || count == 0) {
    cudaGetLastError(); // reset CUDA's last error, so that later calls start clean
    return err.fail(KEOPS_ERROR_BACKEND_UNAVAILABLE, "no CUDA device is visible (%s)",
                    e == cudaSuccess ? "0 devices" : cudaGetErrorString(e));
  }
  if ((e = cudaGetDevice(&ctx.previous)) != cudaSuccess)
    return cudaFailure(e, "cudaGetDevice", err);
  ctx.device = o.device_id < 0 ? ctx.previous : o.device_id;
  if (ctx.device >= count)
    return err.fail(KEOPS_ERROR_INVALID_DEVICE, "device_id = %d, but %d CUDA devices are visible",
                    int(o.device_id), count);
  if (ctx.device != ctx.previous && (e = cudaSetDevice(ctx.device)) != cudaSuccess)
    return cudaFailure(e, "cudaSetDevice", err);
  ctx.stream = static_cast<cudaStream_t>(o.stream);
  if ((e = cudaDeviceGetAttribute(&ctx.sms, cudaDevAttrMultiProcessorCount, ctx.device)) !=
      cudaSuccess) {
    gpuClose(ctx); // no closer exists yet: give the thread its device back here
    return cudaFailure(e, "cudaDeviceGetAttribute", err);
  }
  return KEOPS_OK;
}

/// Restores the calling thread's device when the call returns.
struct GpuCloser {
  const GpuContext &ctx;
  ~GpuCloser() { gpuClose(ctx); }
};

/// Every array of a `_cuda` call must be device (or managed) memory of the call's device.
inline keops_status gpuCheckPointers(const GpuContext &ctx, const ArrayArg *arrays, int count,
                                     const ErrorSink &err) {
  for (int k = 0; k < count; ++k) {
    if (!arrays[k].ptr)
      continue;
    cudaPointerAttributes attributes;
    cudaError_t e = cudaPointerGetAttributes(&attributes, arrays[k].ptr);
    if (e != cudaSuccess) {
      cudaGetLastError();
      return cudaFailure(e, "cudaPointerGetAttributes", err);
    }
    if (attributes.type != cudaMemoryTypeDevice && attributes.type != cudaMemoryTypeManaged)
      return err.fail(KEOPS_ERROR_BACKEND_MISMATCH,
                      "%s is not device memory: _cuda entry points take device pointers (the "
                      "dispatching entry point copies host data)",
                      arrays[k].name);
    if (attributes.type == cudaMemoryTypeDevice && attributes.device != ctx.device)
      return err.fail(KEOPS_ERROR_BACKEND_MISMATCH, "%s is on device %d, the call runs on %d",
                      arrays[k].name, attributes.device, ctx.device);
  }
  return KEOPS_OK;
}

/// Where the arrays of a call live (kHostMemory, kGpuMemory or kMixedMemory): device and
/// managed memory (of any device) count as GPU memory; without a CUDA driver all is host memory.
inline int gpuMemoryKind(const ArrayArg *arrays, int count) {
  bool host = false, gpu = false;
  for (int k = 0; k < count; ++k) {
    int64_t bytes = 0;
    if (!arrays[k].ptr || !byteSize(arrays[k], bytes) || bytes == 0)
      continue;
    cudaPointerAttributes attributes;
    if (cudaPointerGetAttributes(&attributes, arrays[k].ptr) != cudaSuccess) {
      cudaGetLastError();
      host = true;
      continue;
    }
    const bool onGpu =
        attributes.type == cudaMemoryTypeDevice || attributes.type == cudaMemoryTypeManaged;
    (onGpu ? gpu : host) = true;
  }
  return gpu ? (host ? kMixedMemory : kGpuMemory) : kHostMemory;
}

/// The CUDA devices this process sees (0 without a driver or a device).
inline int gpuDeviceCount() {
  int count = 0;
  if (cudaGetDeviceCount(&count) != cudaSuccess) {
    cudaGetLastError();
    return 0;
  }
  return count;
}

/// Waits for the call's stream: the dispatcher returns with its outputs complete, and reports
/// what went wrong in its kernels.
inline keops_status gpuSynchronize(const GpuContext &ctx, const ErrorSink &err) {
  cudaError_t e = cudaStreamSynchronize(ctx.stream);
  return e == cudaSuccess ? KEOPS_OK : cudaFailure(e, "the CUDA work of the call", err);
}

/// A workspace of device memory, allocated and freed in stream order.
template <class T> class GpuBuffer {
public:
  explicit GpuBuffer(const GpuContext &ctx) : ctx_(ctx) {}
  ~GpuBuffer() {
    if (data_)
      cudaFreeAsync(data_, ctx_.stream);
  }
  GpuBuffer(const GpuBuffer &) = delete;
  GpuBuffer &operator=(const GpuBuffer &) = delete;
  keops_status allocate(int64_t count, const ErrorSink &err) {
    cudaError_t e = cudaMallocAsync(reinterpret_cast<void **>(&data_),
                                    size_t(count > 0 ? count : 1) * sizeof(T), ctx_.stream);
    return e == cudaSuccess ? KEOPS_OK : cudaFailure(e, "cudaMallocAsync (a workspace)", err);
  }
  T *get() const { return data_; }
  /// Copies count elements of host memory in, in stream order. The host memory may go once this
  /// returns: CUDA stages pageable memory before cudaMemcpyAsync returns.
  keops_status upload(const T *host, int64_t count, const ErrorSink &err) {
    cudaError_t e = cudaMemcpyAsync(data_, host, size_t(count) * sizeof(T), cudaMemcpyHostToDevice,
                                    ctx_.stream);
    return e == cudaSuccess ? KEOPS_OK : cudaFailure(e, "cudaMemcpyAsync (a range table)", err);
  }

private:
  const GpuContext &ctx_;
  T *data_ = nullptr;
};

/// The device arrays of a call: its own arrays (kGpuDeviceArrays), or device copies of its host
/// arrays (kGpuCopyArrays) that upload() fills from the inputs and download() copies to the
/// outputs. Copies are allocated and freed in stream order.
class GpuCopies {
public:
  GpuCopies(const GpuContext &ctx, const ArrayArg *arrays, int count, bool copy)
      : ctx_(ctx), arrays_(arrays), count_(count), copy_(copy) {}
  ~GpuCopies() {
    for (void *p : copies_)
      if (p)
        cudaFreeAsync(p, ctx_.stream);
  }
  GpuCopies(const GpuCopies &) = delete;
  GpuCopies &operator=(const GpuCopies &) = delete;

  keops_status upload(const ErrorSink &err) {
    if (!copy_)
      return KEOPS_OK;
    copies_.assign(size_t(count_), nullptr);
    for (int k = 0; k < count_; ++k) {
      int64_t bytes = 0;
      byteSize(arrays_[k], bytes); // checked before the call came here
      if (bytes == 0)
        continue;
      cudaError_t e = cudaMallocAsync(&copies_[size_t(k)], size_t(bytes), ctx_.stream);
      if (e != cudaSuccess)
        return cudaFailure(e, "cudaMallocAsync (a device copy of a host array)", err);
      if (!arrays_[k].output &&
          (e = cudaMemcpyAsync(copies_[size_t(k)], arrays_[k].ptr, size_t(bytes),
                               cudaMemcpyHostToDevice, ctx_.stream)) != cudaSuccess)
        return cudaFailure(e, "cudaMemcpyAsync (a host array to the device)", err);
    }
    return KEOPS_OK;
  }

  /// Array k's device address.
  void *at(int k) const {
    return copy_ && copies_[size_t(k)] ? copies_[size_t(k)] : const_cast<void *>(arrays_[k].ptr);
  }

  keops_status download(const ErrorSink &err) {
    for (int k = 0; copy_ && k < count_; ++k) {
      int64_t bytes = 0;
      byteSize(arrays_[k], bytes);
      if (!arrays_[k].output || bytes == 0)
        continue;
      cudaError_t e = cudaMemcpyAsync(const_cast<void *>(arrays_[k].ptr), copies_[size_t(k)],
                                      size_t(bytes), cudaMemcpyDeviceToHost, ctx_.stream);
      if (e != cudaSuccess)
        return cudaFailure(e, "cudaMemcpyAsync (an output back to the host)", err);
    }
    return KEOPS_OK;
  }

private:
  const GpuContext &ctx_;
  const ArrayArg *arrays_;
  int count_;
  bool copy_;
  std::vector<void *> copies_;
};

/// The block executor of gpu_schedule.h on the GPU: the CUDA block itself.
struct CudaBlock {
  __device__ int index() const { return int(blockIdx.x); }
  __device__ int size() const { return int(blockDim.x); }
  template <class F> __device__ void forEachThread(F &&f) {
    f(int(threadIdx.x));
    __syncthreads();
  }
  /// A thread's own value: it lives in registers (or local memory), one per CUDA thread.
  template <class T> struct PerThread {
    T value;
    __device__ explicit PerThread(CudaBlock &) {}
    __device__ T &operator[](int) { return value; }
  };
};

template <class Stage>
__global__ void gpu1dKernel(typename Stage::Args a, GpuBatches<Stage> batches, GpuRows g) {
  extern __shared__ __align__(16) unsigned char keopsSharedTile[];
  CudaBlock block;
  gpu1dBlock<Stage>(block, gpuBatchArgs(a, batches, blockIdx.z), g,
                    reinterpret_cast<typename Stage::Real *>(keopsSharedTile));
}

template <class Stage>
__global__ void gpu2dPartKernel(typename Stage::Args a, GpuBatches<Stage> batches, GpuRows g,
                                int64_t parts, typename Stage::Thread *states) {
  extern __shared__ __align__(16) unsigned char keopsSharedTile[];
  CudaBlock block;
  gpu2dPartBlock<Stage>(block, gpuBatchArgs(a, batches, blockIdx.z), g, parts, int64_t(blockIdx.y),
                        reinterpret_cast<typename Stage::Real *>(keopsSharedTile),
                        gpu2dLayerStates(states, int64_t(blockIdx.z), parts, g.rows));
}

template <class Stage>
__global__ void gpu2dMergeKernel(typename Stage::Args a, GpuBatches<Stage> batches, int64_t rows,
                                 int64_t parts, typename Stage::Thread *states) {
  const int64_t r = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
  if (r < rows)
    gpu2dMergeRow<Stage>(gpuBatchArgs(a, batches, blockIdx.y), rows, parts,
                         gpu2dLayerStates(states, int64_t(blockIdx.y), parts, rows), r);
}

inline keops_status launched(const char *what, const ErrorSink &err) {
  cudaError_t e = cudaGetLastError();
  return e == cudaSuccess ? KEOPS_OK : cudaFailure(e, what, err);
}

template <class Stage> size_t gpuSharedBytes(int threads) {
  return size_t(gpuTileElements<Stage>(threads)) * sizeof(typename Stage::Real);
}

/// GPU_1D: one block per row block and batch (`layers` batches from batches.first), enqueued
/// on the call's stream.
template <class Stage>
keops_status gpuLaunch1d(const GpuContext &ctx, const typename Stage::Args &a,
                         const GpuBatches<Stage> &batches, int64_t layers, const GpuRows &g,
                         int64_t rowBlocks, int threads, const ErrorSink &err) {
  gpu1dKernel<Stage><<<dim3(unsigned(rowBlocks), 1u, unsigned(layers)), unsigned(threads),
                       gpuSharedBytes<Stage>(threads), ctx.stream>>>(a, batches, g);
  return launched("a GPU_1D kernel launch", err);
}

/// GPU_2D: row blocks × parts × batches, then the merge of each row's part states.
template <class Stage>
keops_status gpuLaunch2d(const GpuContext &ctx, const typename Stage::Args &a,
                         const GpuBatches<Stage> &batches, int64_t layers, const GpuRows &g,
                         int64_t rowBlocks, int64_t parts, int threads,
                         typename Stage::Thread *states, const ErrorSink &err) {
  gpu2dPartKernel<Stage>
      <<<dim3(unsigned(rowBlocks), unsigned(parts), unsigned(layers)), unsigned(threads),
         gpuSharedBytes<Stage>(threads), ctx.stream>>>(a, batches, g, parts, states);
  keops_status status = launched("a GPU_2D kernel launch", err);
  if (status != KEOPS_OK)
    return status;
  gpu2dMergeKernel<Stage>
      <<<dim3(unsigned((g.rows + 127) / 128), unsigned(layers)), 128u, 0, ctx.stream>>>(
          a, batches, g.rows, parts, states);
  return launched("a GPU_2D merge kernel launch", err);
}

template <class Acc, class In, class Out>
__global__ void rowSumKernel(RowSumScheme scheme, const In *in, int64_t per, int64_t groups,
                             int64_t width, Out *out) {
  const int64_t column = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
  if (column < groups * width)
    sumRowGroupColumn<Acc>(scheme, in, per, width, column / width, column % width, out);
}

/// keops/portable/row_sum.h's sumRowGroups on the device: one thread per output component.
template <class Acc, class In, class Out>
keops_status gpuRowSums(const GpuContext &ctx, RowSumScheme scheme, const In *in, int64_t rows,
                        int64_t groups, int64_t width, Out *out, const ErrorSink &err) {
  const int64_t columns = groups * width, threads = 128;
  if (columns == 0)
    return KEOPS_OK;
  const int64_t blocks = (columns + threads - 1) / threads;
  rowSumKernel<Acc><<<unsigned(blocks), unsigned(threads), 0, ctx.stream>>>(
      scheme, in, groups > 0 ? rows / groups : 0, groups, width, out);
  cudaError_t e = cudaGetLastError();
  return e == cudaSuccess ? KEOPS_OK : cudaFailure(e, "a row-sum kernel launch", err);
}

} // namespace
} // namespace keops_rt

#endif
#endif
