// keops/host/checks.h: run-time validation of entry-point arguments (SPEC.md §7.3), done before
// anything is written. It formats messages into the caller's buffer; it never throws or exits.
#ifndef KEOPS_RUNTIME_CHECKS_H
#define KEOPS_RUNTIME_CHECKS_H

#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <new>

namespace keops_rt {
namespace {

/// Where messages go: the module's thread-local last-error buffer.
struct ErrorSink {
  char *buffer;
  size_t size;
  keops_status fail(keops_status status, const char *format, ...) const
      __attribute__((format(printf, 3, 4))) {
    va_list args;
    va_start(args, format);
    std::vsnprintf(buffer, size, format, args);
    va_end(args);
    return status;
  }
  void clear() const { buffer[0] = '\0'; }
};

/// Which C function a call came through: `_cpu`, `_cuda`, or the dispatching one (which follows
/// keops_options::backend).
enum class Route { Cpu, Cuda, Dispatch };

/// Where a call's arrays live (`<module>_gpu_memory`): all in host memory, all on a GPU (device
/// or managed memory), some of each (an error), or in an emulated GPU's memory, which is host
/// memory (keops/host/gpu_emulator.h). Arrays of no bytes do not count.
constexpr int kHostMemory = 0, kGpuMemory = 1, kEmulatedGpu = 2, kMixedMemory = 3;

/// How the CUDA run function of an entry point treats its arrays: as device memory (`_cuda`), or
/// as host memory it copies to the device and the outputs back (the dispatcher on host arrays);
/// kGpuSynchronize: return with the outputs complete (the dispatcher), else only enqueue.
constexpr int kGpuDeviceArrays = 0, kGpuCopyArrays = 1, kGpuSynchronize = 2;

/// KEOPS_BACKEND_AUTO on host arrays copies them to a visible GPU from this many terms
/// (batches × M × N) on: below it the copies and the CUDA start cost more than the CPU's work.
/// 2^26 terms: a Gaussian sum over 8192 x 8192 points, about 10 ms on a many-core CPU.
constexpr int64_t kAutoGpuMinTerms = int64_t(1) << 26;

/// Whether an automatic call on host arrays of this size should go to a GPU, when one is visible.
inline bool gpuCopiesPay(int64_t batches, int64_t M, int64_t N) {
  int64_t terms = 0;
  return __builtin_mul_overflow(batches, M, &terms) || __builtin_mul_overflow(terms, N, &terms) ||
         terms >= kAutoGpuMinTerms;
}

/// One array argument: `blocks` (batches) × `rows` × `cols` elements of `elementSize` bytes.
struct ArrayArg {
  const char *name;
  const void *ptr;
  int64_t blocks;
  int64_t rows;
  int64_t cols;
  int64_t elementSize;
  bool output;
};

inline bool byteSize(const ArrayArg &a, int64_t &bytes) {
  int64_t rows, elements;
  return !__builtin_mul_overflow(a.blocks, a.rows, &rows) &&
         !__builtin_mul_overflow(rows, a.cols, &elements) &&
         !__builtin_mul_overflow(elements, a.elementSize, &bytes);
}

/// "1000 x 3", or "4 x 1000 x 3" for a batch of 4.
inline const char *shapeText(const ArrayArg &a, char *buffer, size_t size) {
  if (a.blocks == 1)
    std::snprintf(buffer, size, "%lld x %lld", (long long)a.rows, (long long)a.cols);
  else
    std::snprintf(buffer, size, "%lld x %lld x %lld", (long long)a.blocks, (long long)a.rows,
                  (long long)a.cols);
  return buffer;
}

inline bool overlaps(const ArrayArg &a, int64_t aBytes, const ArrayArg &b, int64_t bBytes) {
  if (aBytes == 0 || bBytes == 0 || !a.ptr || !b.ptr)
    return false;
  auto a0 = reinterpret_cast<uintptr_t>(a.ptr), b0 = reinterpret_cast<uintptr_t>(b.ptr);
  return a0 < b0 + static_cast<uintptr_t>(bBytes) && b0 < a0 + static_cast<uintptr_t>(aBytes);
}

/// Null, size, alignment and overlap checks of every array, in that order.
inline keops_status checkArrays(const ArrayArg *arrays, int count, const ErrorSink &err) {
  for (int k = 0; k < count; ++k) {
    const ArrayArg &a = arrays[k];
    int64_t bytes = 0;
    char shape[96];
    if (!byteSize(a, bytes))
      return err.fail(KEOPS_ERROR_INVALID_SIZE, "the size of '%s' (%s) overflows int64_t", a.name,
                      shapeText(a, shape, sizeof shape));
    if (bytes > 0 && !a.ptr)
      return err.fail(KEOPS_ERROR_NULL_POINTER, "'%s' is NULL but holds %s elements", a.name,
                      shapeText(a, shape, sizeof shape));
    if (reinterpret_cast<uintptr_t>(a.ptr) % static_cast<uintptr_t>(a.elementSize) != 0)
      return err.fail(KEOPS_ERROR_MISALIGNED, "'%s' is not aligned to %lld bytes", a.name,
                      (long long)a.elementSize);
  }
  // Sizes are known not to overflow from here on.
  for (int k = 0; k < count; ++k) {
    if (!arrays[k].output)
      continue;
    int64_t kBytes = 0;
    byteSize(arrays[k], kBytes);
    for (int l = 0; l < count; ++l) {
      int64_t lBytes = 0;
      byteSize(arrays[l], lBytes);
      if (k != l && (l < k || !arrays[l].output) && overlaps(arrays[k], kBytes, arrays[l], lBytes))
        return err.fail(KEOPS_ERROR_OVERLAP, "output '%s' overlaps '%s'", arrays[k].name,
                        arrays[l].name);
    }
  }
  return KEOPS_OK;
}

/// Checks every keops_options field; `out` receives the options to use (defaults for NULL).
inline keops_status checkOptions(const keops_options *opts, keops_options &out,
                                 const ErrorSink &err) {
  keops_options defaults = KEOPS_OPTIONS_DEFAULT;
  out = opts ? *opts : defaults;
  if (out.backend < KEOPS_BACKEND_AUTO || out.backend > KEOPS_BACKEND_CUDA)
    return err.fail(KEOPS_ERROR_INVALID_BACKEND, "unknown backend %d", (int)out.backend);
  if (out.cuda_scheme < KEOPS_CUDA_AUTO || out.cuda_scheme > KEOPS_CUDA_2D)
    return err.fail(KEOPS_ERROR_INVALID_SCHEME, "unknown cuda_scheme %d", (int)out.cuda_scheme);
  if (out.device_id < -1)
    return err.fail(KEOPS_ERROR_INVALID_DEVICE, "bad device_id %d", (int)out.device_id);
  if (out.num_threads < 0)
    return err.fail(KEOPS_ERROR_INVALID_OPTION, "num_threads must be >= 0, got %d",
                    (int)out.num_threads);
  if (out.deterministic != 0 && out.deterministic != 1)
    return err.fail(KEOPS_ERROR_INVALID_OPTION, "deterministic must be 0 or 1, got %d",
                    (int)out.deterministic);
  if (out.batch < 0)
    return err.fail(KEOPS_ERROR_INVALID_BATCH, "batch must be >= 0, got %lld",
                    (long long)out.batch);
  if (out.batch_shared && out.batch <= 1)
    return err.fail(KEOPS_ERROR_INVALID_BATCH, "batch_shared is set but batch is %lld",
                    (long long)out.batch);
  if (out.ranges && out.batch > 1)
    return err.fail(KEOPS_ERROR_INVALID_BATCH, "ranges cannot be combined with a batch");
  return KEOPS_OK;
}

/// Runs an entry point's body; no exception crosses the C boundary.
/// count = blocks × rows × width, the elements of an internal workspace, or OUT_OF_MEMORY when
/// its byte size would overflow.
inline keops_status workspaceElements(int64_t blocks, int64_t rows, int64_t width,
                                      int64_t elementSize, int64_t &count, const ErrorSink &err) {
  int64_t total = 0;
  if (__builtin_mul_overflow(blocks, rows, &total) ||
      __builtin_mul_overflow(total, width * elementSize, &total))
    return err.fail(KEOPS_ERROR_OUT_OF_MEMORY,
                    "a workspace of %lld x %lld x %lld elements is too large", (long long)blocks,
                    (long long)rows, (long long)width);
  count = total / elementSize;
  return KEOPS_OK;
}

template <class Body> keops_status guarded(const ErrorSink &err, Body body) {
  try {
    return body();
  } catch (const std::bad_alloc &) {
    return err.fail(KEOPS_ERROR_OUT_OF_MEMORY, "out of memory");
  } catch (const std::exception &e) {
    return err.fail(KEOPS_ERROR_INTERNAL, "internal error: %s", e.what());
  } catch (...) {
    return err.fail(KEOPS_ERROR_INTERNAL, "internal error");
  }
}

} // namespace
} // namespace keops_rt

#endif
