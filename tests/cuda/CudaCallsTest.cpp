// CudaCallsTest.cpp: the CUDA entry points of cuda_all.kfl (nvcc-compiled), in one of two modes.
//   --mode gpu     (ctest label cuda) on a visible GPU: inputs copied to the device, every
//                  `_cuda` entry point on the caller's stream with each cuda_scheme (1D, 2D,
//                  auto), compared with the `_cpu` result; the dispatcher with device pointers
//                  and with host pointers (its copies); all of it with block-sparse ranges too;
//                  host/device mismatches rejected.
//   --mode no-gpu  without a GPU: `_cuda` answers BACKEND_UNAVAILABLE with a message and writes
//                  nothing; the dispatcher falls back to the CPU (bitwise the `_cpu` result),
//                  also for calls large enough to go to a GPU if there were one.
// Each mode exits 77 (ctest: skipped) on a machine of the other kind. The seed is printed.
#include "TestMode.h"
#include "cuda_all.h"
#include "keops/portable/half.h"

#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <cuda_runtime.h>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace {

enum class Dtype { F16, F32, F64 };
enum Route { kCpu, kCuda, kDispatch };

size_t elementSize(Dtype t) { return t == Dtype::F16 ? 2 : t == Dtype::F32 ? 4 : 8; }

/// One entry point behind one calling convention: inputs x, y, b, g (and e for gradients) as
/// untyped pointers, outputs values and indices.
using Call = std::function<keops_status(Route, int64_t M, int64_t N, void *const *in, void *values,
                                        int64_t *indices, const keops_options *opts)>;

struct Entry {
  const char *name;
  Dtype dtype;
  int xDim, yDim; ///< x = Vi(xDim), y = Vj(yDim); b = Vj(2), g = Pm(1)
  int axis;       ///< 1: values per row i; 0: per row j
  int64_t valuesPerRow, indicesPerRow;
  int eDim = 0;        ///< gradients: e's width (per output row of the base reduction)
  bool pmRows = false; ///< a Pm gradient: one output row in all
  Call call;
};

template <class T> T *typed(void *p) { return static_cast<T *>(p); }

// Entry points whose C signature is (M, N, x, y, b, g, [e,] outputs..., opts).
#define KEOPS_ROUTED(fn) (route == kCpu ? fn##_cpu : route == kCuda ? fn##_cuda : fn)
#define VALUES(fn, T)                                                                              \
  [](Route route, int64_t M, int64_t N, void *const *in, void *v, int64_t *,                       \
     const keops_options *o) {                                                                     \
    return KEOPS_ROUTED(fn)(M, N, typed<T>(in[0]), typed<T>(in[1]), typed<T>(in[2]),               \
                            typed<T>(in[3]), typed<T>(v), o);                                      \
  }
#define INDICES(fn, T)                                                                             \
  [](Route route, int64_t M, int64_t N, void *const *in, void *, int64_t *i,                       \
     const keops_options *o) {                                                                     \
    return KEOPS_ROUTED(fn)(M, N, typed<T>(in[0]), typed<T>(in[1]), typed<T>(in[2]),               \
                            typed<T>(in[3]), i, o);                                                \
  }
#define BOTH(fn, T)                                                                                \
  [](Route route, int64_t M, int64_t N, void *const *in, void *v, int64_t *i,                      \
     const keops_options *o) {                                                                     \
    return KEOPS_ROUTED(fn)(M, N, typed<T>(in[0]), typed<T>(in[1]), typed<T>(in[2]),               \
                            typed<T>(in[3]), typed<T>(v), i, o);                                   \
  }
// Max_SumShiftExp's pair (m, s): `values` holds the M values of m, then the M of s (axis = 1).
#define PAIR(fn, T)                                                                                \
  [](Route route, int64_t M, int64_t N, void *const *in, void *v, int64_t *,                       \
     const keops_options *o) {                                                                     \
    return KEOPS_ROUTED(fn)(M, N, typed<T>(in[0]), typed<T>(in[1]), typed<T>(in[2]),               \
                            typed<T>(in[3]), typed<T>(v), typed<T>(v) + M, o);                     \
  }
#define GRADIENT(fn, T)                                                                            \
  [](Route route, int64_t M, int64_t N, void *const *in, void *v, int64_t *,                       \
     const keops_options *o) {                                                                     \
    return KEOPS_ROUTED(fn)(M, N, typed<T>(in[0]), typed<T>(in[1]), typed<T>(in[2]),               \
                            typed<T>(in[3]), typed<T>(in[4]), typed<T>(v), o);                     \
  }

std::vector<Entry> entries() {
  using F = float;
  return {
      {"sum1", Dtype::F32, 3, 3, 1, 2, 0, 0, false, VALUES(cuda_all_sum1, F)},
      {"sum0", Dtype::F32, 3, 3, 0, 2, 0, 0, false, VALUES(cuda_all_sum0, F)},
      {"sum1_kahan", Dtype::F32, 3, 3, 1, 2, 0, 0, false, VALUES(cuda_all_sum1_kahan, F)},
      {"sum1_f64", Dtype::F64, 3, 3, 1, 2, 0, 0, false, VALUES(cuda_all_sum1_f64, double)},
      {"sum1_f16", Dtype::F16, 3, 3, 1, 2, 0, 0, false, VALUES(cuda_all_sum1_f16, uint16_t)},
      {"lse1", Dtype::F32, 3, 3, 1, 1, 0, 0, false, VALUES(cuda_all_lse1, F)},
      {"lse1_w", Dtype::F32, 3, 3, 1, 2, 0, 0, false, VALUES(cuda_all_lse1_w, F)},
      {"softmax1", Dtype::F32, 3, 3, 1, 2, 0, 0, false, VALUES(cuda_all_softmax1, F)},
      {"shift1", Dtype::F32, 3, 3, 1, 2, 0, 0, false, PAIR(cuda_all_shift1, F)},
      {"min1", Dtype::F32, 3, 3, 1, 1, 0, 0, false, VALUES(cuda_all_min1, F)},
      {"argmin1", Dtype::F32, 3, 3, 1, 0, 1, 0, false, INDICES(cuda_all_argmin1, F)},
      {"minargmin1", Dtype::F32, 3, 3, 1, 1, 1, 0, false, BOTH(cuda_all_minargmin1, F)},
      {"max0", Dtype::F32, 3, 3, 0, 1, 0, 0, false, VALUES(cuda_all_max0, F)},
      {"argmax0", Dtype::F32, 3, 3, 0, 0, 1, 0, false, INDICES(cuda_all_argmax0, F)},
      {"maxargmax0", Dtype::F32, 3, 3, 0, 1, 1, 0, false, BOTH(cuda_all_maxargmax0, F)},
      {"kmin1", Dtype::F32, 3, 3, 1, 5, 0, 0, false, VALUES(cuda_all_kmin1, F)},
      {"argkmin1", Dtype::F32, 3, 3, 1, 0, 5, 0, false, INDICES(cuda_all_argkmin1, F)},
      {"kminargkmin0", Dtype::F32, 3, 3, 0, 3, 3, 0, false, BOTH(cuda_all_kminargkmin0, F)},
      {"wide1", Dtype::F32, 400, 400, 1, 2, 0, 0, false, VALUES(cuda_all_wide1, F)},
      {"lse1_dx", Dtype::F32, 3, 3, 1, 3, 0, 1, false, GRADIENT(cuda_all_lse1_dx, F)},
      {"sum1_dg", Dtype::F32, 3, 3, 1, 1, 0, 2, true, GRADIENT(cuda_all_sum1_dg, F)},
  };
}

int gFailures = 0;

void fail(const Entry &e, int64_t M, int64_t N, const std::string &what) {
  ++gFailures;
  std::printf("FAIL %s M=%" PRId64 " N=%" PRId64 ": %s\n", e.name, M, N, what.c_str());
}

/// Random inputs of one entry at (M, N), stored in its dtype.
struct Inputs {
  std::vector<std::vector<unsigned char>> arrays; // x, y, b, g, e
  std::vector<int64_t> elements;
};

void store(Dtype t, double value, unsigned char *at) {
  if (t == Dtype::F64)
    std::memcpy(at, &value, 8);
  else if (t == Dtype::F32) {
    float f = float(value);
    std::memcpy(at, &f, 4);
  } else {
    uint16_t h = keops_rt::doubleToHalf(value);
    std::memcpy(at, &h, 2);
  }
}

double load(Dtype t, const unsigned char *at) {
  if (t == Dtype::F64) {
    double d;
    std::memcpy(&d, at, 8);
    return d;
  }
  if (t == Dtype::F32) {
    float f;
    std::memcpy(&f, at, 4);
    return f;
  }
  uint16_t h;
  std::memcpy(&h, at, 2);
  return keops_rt::halfToFloat(h);
}

Inputs makeInputs(const Entry &e, int64_t M, int64_t N, std::mt19937_64 &rng) {
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const int64_t outRows = e.axis == 1 ? M : N;
  Inputs in;
  in.elements = {M * e.xDim, N * e.yDim, N * 2, 1, e.eDim > 0 ? outRows * e.eDim : 0};
  for (int64_t count : in.elements) {
    std::vector<unsigned char> bytes(size_t(count) * elementSize(e.dtype));
    for (int64_t k = 0; k < count; ++k)
      store(e.dtype, unit(rng), bytes.data() + k * elementSize(e.dtype));
    in.arrays.push_back(std::move(bytes));
  }
  store(e.dtype, 0.5, in.arrays[3].data()); // g: a Gaussian of moderate width
  return in;
}

struct Outputs {
  std::vector<unsigned char> values;
  std::vector<int64_t> indices;
};

int64_t valueCount(const Entry &e, int64_t M, int64_t N) {
  return e.pmRows ? e.valuesPerRow : (e.axis == 1 ? M : N) * e.valuesPerRow;
}

Outputs poisoned(const Entry &e, int64_t M, int64_t N) {
  Outputs o;
  o.values.assign(size_t(valueCount(e, M, N)) * elementSize(e.dtype), 0xA5);
  o.indices.assign(size_t((e.axis == 1 ? M : N) * e.indicesPerRow), -77);
  return o;
}

bool stillPoisoned(const Outputs &o) {
  for (unsigned char c : o.values)
    if (c != 0xA5)
      return false;
  for (int64_t i : o.indices)
    if (i != -77)
      return false;
  return true;
}

keops_status callHost(const Entry &e, Route route, int64_t M, int64_t N, Inputs &in, Outputs &o,
                      const keops_options *opts) {
  void *ptrs[5];
  for (int k = 0; k < 5; ++k)
    ptrs[k] = in.arrays[size_t(k)].data();
  return e.call(route, M, N, ptrs, o.values.data(), o.indices.data(), opts);
}

/// Whether `got` matches the CPU's `want`: indices exactly, values within a relative tolerance
/// of the dtype (the GPU sums in another order; SPEC.md §7.4's bounds are looser).
bool sameResults(const Entry &e, const Outputs &got, const Outputs &want, std::string &why) {
  const double tol = e.dtype == Dtype::F16 ? 2e-2 : e.dtype == Dtype::F32 ? 1e-4 : 1e-11;
  const size_t size = elementSize(e.dtype);
  for (size_t k = 0; k * size < want.values.size(); ++k) {
    const double a = load(e.dtype, got.values.data() + k * size);
    const double b = load(e.dtype, want.values.data() + k * size);
    if (!(std::fabs(a - b) <= tol * std::max(1.0, std::fabs(b))) && !(a == b)) {
      why = "value " + std::to_string(k) + ": got " + std::to_string(a) + ", cpu " +
            std::to_string(b);
      return false;
    }
  }
  for (size_t k = 0; k < want.indices.size(); ++k)
    if (got.indices[k] != want.indices[k]) {
      why = "index " + std::to_string(k) + ": got " + std::to_string(got.indices[k]) + ", cpu " +
            std::to_string(want.indices[k]);
      return false;
    }
  return true;
}

const std::pair<int64_t, int64_t> kSizes[] = {{1, 1}, {7, 1000}, {1000, 7}, {300, 2049},
                                              {0, 5}, {5, 0},    {513, 257}};

/// Without a GPU: `_cuda` refuses with a message and writes nothing; the dispatcher computes on
/// the CPU, bitwise as `_cpu`; backend = CUDA through the dispatcher refuses too.
void checkWithoutGpu(const Entry &e, int64_t M, int64_t N, std::mt19937_64 &rng) {
  Inputs in = makeInputs(e, M, N, rng);
  Outputs cpu = poisoned(e, M, N), cuda = poisoned(e, M, N), dispatched = poisoned(e, M, N);
  const keops_status cpuStatus = callHost(e, kCpu, M, N, in, cpu, nullptr);
  keops_status st = callHost(e, kCuda, M, N, in, cuda, nullptr);
  if (cpuStatus == KEOPS_ERROR_K_TOO_LARGE) { // argument checks come before the backend
    if (st != KEOPS_ERROR_K_TOO_LARGE)
      fail(e, M, N, "_cuda with K > the reduced length returned " + std::to_string(int(st)));
    return;
  }
  if (cpuStatus != KEOPS_OK)
    return fail(e, M, N, "_cpu failed: " + std::string(cuda_all_last_error()));
  if (st != KEOPS_ERROR_BACKEND_UNAVAILABLE)
    return fail(e, M, N, "_cuda without a GPU returned " + std::to_string(int(st)));
  if (!std::strstr(cuda_all_last_error(), "no CUDA device"))
    return fail(e, M, N, std::string("_cuda's message: ") + cuda_all_last_error());
  if (!stillPoisoned(cuda))
    return fail(e, M, N, "_cuda wrote into its outputs");
  if ((st = callHost(e, kDispatch, M, N, in, dispatched, nullptr)) != KEOPS_OK)
    return fail(e, M, N, "the dispatcher failed: " + std::string(cuda_all_last_error()));
  if (dispatched.values != cpu.values || dispatched.indices != cpu.indices)
    return fail(e, M, N, "the dispatcher's fallback differs from _cpu");
  keops_options opts = KEOPS_OPTIONS_DEFAULT;
  opts.backend = KEOPS_BACKEND_CUDA;
  Outputs forced = poisoned(e, M, N);
  if ((st = callHost(e, kDispatch, M, N, in, forced, &opts)) != KEOPS_ERROR_BACKEND_UNAVAILABLE)
    return fail(e, M, N, "backend = CUDA without a GPU returned " + std::to_string(int(st)));
}

/// A device copy of host bytes (freed on destruction).
struct DeviceArray {
  void *ptr = nullptr;
  DeviceArray(const void *host, size_t bytes) {
    if (bytes && cudaMalloc(&ptr, bytes) == cudaSuccess)
      cudaMemcpy(ptr, host, bytes, cudaMemcpyHostToDevice);
  }
  ~DeviceArray() { cudaFree(ptr); }
  DeviceArray(const DeviceArray &) = delete;
  DeviceArray &operator=(const DeviceArray &) = delete;
};

/// Random block-sparse ranges over M x N, both triples: clusters of output rows (gaps between
/// them stay uncovered: the empty value), each reduced over up to two random intervals.
class RandomRanges {
public:
  RandomRanges(int64_t M, int64_t N, std::mt19937_64 &rng) {
    fill(M, N, rangesI_, slicesI_, redJ_, rng);
    fill(N, M, rangesJ_, slicesJ_, redI_, rng);
    ranges = {int64_t(slicesI_.size()) - 1,
              rangesI_.data(),
              slicesI_.data(),
              int64_t(redJ_.size() / 2),
              redJ_.data(),
              int64_t(slicesJ_.size()) - 1,
              rangesJ_.data(),
              slicesJ_.data(),
              int64_t(redI_.size() / 2),
              redI_.data()};
  }
  keops_ranges ranges;

private:
  // Each vector ends with one unused element, so that no array of a triple is NULL.
  static void fill(int64_t rows, int64_t reduced, std::vector<int64_t> &out,
                   std::vector<int64_t> &slices, std::vector<int64_t> &red, std::mt19937_64 &rng) {
    for (int64_t r = 0; r < rows;) {
      const int64_t length = std::min<int64_t>(rows - r, 1 + int64_t(rng() % 300));
      if (rng() % 4 != 0) {
        out.insert(out.end(), {r, r + length});
        for (int k = 0; k < 2; ++k) {
          int64_t a = int64_t(rng() % uint64_t(reduced + 1)),
                  b = int64_t(rng() % uint64_t(reduced + 1));
          if (a > b)
            std::swap(a, b);
          if (k == 1 && !red.empty() && a < red.back()) // keep the cluster's intervals disjoint
            a = b = red.back();
          red.insert(red.end(), {a, b});
        }
        slices.push_back(int64_t(red.size() / 2));
      }
      r += length;
    }
    out.push_back(0);
    slices.push_back(0);
    red.push_back(0);
  }
  std::vector<int64_t> rangesI_, slicesI_, redJ_, rangesJ_, slicesJ_, redI_;
};

/// The device arrays of one call: inputs copied over, outputs poisoned.
class DeviceCall {
public:
  DeviceCall(const Entry &e, int64_t M, int64_t N, const Inputs &in) : e_(e), M_(M), N_(N) {
    for (int k = 0; k < 5; ++k) {
      inputs_.emplace_back(
          new DeviceArray(in.arrays[size_t(k)].data(), in.arrays[size_t(k)].size()));
      ptrs_[k] = inputs_.back()->ptr;
    }
    const Outputs o = poisoned(e, M, N);
    values_.reset(new DeviceArray(o.values.data(), o.values.size()));
    indices_.reset(new DeviceArray(o.indices.data(), o.indices.size() * sizeof(int64_t)));
  }
  void *const *inputs() const { return ptrs_; }
  void *values() const { return values_->ptr; }
  int64_t *indices() const { return static_cast<int64_t *>(indices_->ptr); }

  /// Poisons the outputs, calls through `route`, waits for the stream, copies the outputs back.
  keops_status run(Route route, const keops_options &opts, Outputs &got) {
    got = poisoned(e_, M_, N_);
    cudaMemcpy(values(), got.values.data(), got.values.size(), cudaMemcpyHostToDevice);
    cudaMemcpy(indices(), got.indices.data(), got.indices.size() * sizeof(int64_t),
               cudaMemcpyHostToDevice);
    const keops_status st = e_.call(route, M_, N_, ptrs_, values(), indices(), &opts);
    cudaStreamSynchronize(static_cast<cudaStream_t>(opts.stream));
    if (!got.values.empty())
      cudaMemcpy(got.values.data(), values(), got.values.size(), cudaMemcpyDeviceToHost);
    if (!got.indices.empty())
      cudaMemcpy(got.indices.data(), indices(), got.indices.size() * sizeof(int64_t),
                 cudaMemcpyDeviceToHost);
    return st;
  }

private:
  const Entry &e_;
  int64_t M_, N_;
  std::vector<std::unique_ptr<DeviceArray>> inputs_;
  std::unique_ptr<DeviceArray> values_, indices_;
  void *ptrs_[5];
};

const int32_t kSchemes[] = {KEOPS_CUDA_1D, KEOPS_CUDA_2D, KEOPS_CUDA_AUTO};

/// Runs one call and compares it with the CPU's `want`; false (and a failure) when it differs.
bool expectSame(const Entry &e, int64_t M, int64_t N, const std::string &name, keops_status st,
                const Outputs &got, const Outputs &want) {
  if (st != KEOPS_OK) {
    fail(e, M, N, name + " failed: " + cuda_all_last_error());
    return false;
  }
  std::string why;
  if (!sameResults(e, got, want, why)) {
    fail(e, M, N, name + ": " + why);
    return false;
  }
  return true;
}

/// On a GPU, against `_cpu` (with the same options): `_cuda` on device arrays and a stream with
/// each scheme, the dispatcher on device arrays, the dispatcher on host arrays (copies) with
/// backend = CUDA and each scheme; all of it again under random block-sparse ranges. Refused:
/// `_cpu` on device arrays, `_cuda` on host arrays, a mix of host and device arrays.
void checkOnGpu(const Entry &e, int64_t M, int64_t N, cudaStream_t stream, std::mt19937_64 &rng) {
  Inputs in = makeInputs(e, M, N, rng);
  const RandomRanges random(M, N, rng);
  DeviceCall device(e, M, N, in);
  for (const keops_ranges *ranges : {static_cast<const keops_ranges *>(nullptr), &random.ranges}) {
    const std::string with = ranges ? " with ranges" : "";
    keops_options cpuOpts = KEOPS_OPTIONS_DEFAULT;
    cpuOpts.ranges = ranges;
    Outputs cpu = poisoned(e, M, N), got;
    const keops_status cpuStatus = callHost(e, kCpu, M, N, in, cpu, &cpuOpts);
    if (cpuStatus == KEOPS_ERROR_K_TOO_LARGE)
      return; // the same argument check on every backend (checked without a GPU)
    if (cpuStatus != KEOPS_OK)
      return fail(e, M, N, "_cpu" + with + " failed: " + std::string(cuda_all_last_error()));
    for (int32_t scheme : kSchemes) {
      keops_options opts = cpuOpts;
      opts.stream = stream;
      opts.cuda_scheme = scheme;
      const std::string tag = " (cuda_scheme " + std::to_string(scheme) + ")" + with;
      if (!expectSame(e, M, N, "_cuda" + tag, device.run(kCuda, opts, got), got, cpu))
        return;
      opts.backend = KEOPS_BACKEND_CUDA;
      got = poisoned(e, M, N);
      if (!expectSame(e, M, N, "the dispatcher on host arrays" + tag,
                      callHost(e, kDispatch, M, N, in, got, &opts), got, cpu))
        return;
    }
    keops_options opts = cpuOpts;
    opts.stream = stream;
    if (!expectSame(e, M, N, "the dispatcher on device arrays" + with,
                    device.run(kDispatch, opts, got), got, cpu))
      return;
  }
  if (M > 0 && N > 0) {
    Outputs host = poisoned(e, M, N);
    if (callHost(e, kCuda, M, N, in, host, nullptr) != KEOPS_ERROR_BACKEND_MISMATCH)
      fail(e, M, N, "_cuda accepted host pointers");
    if (e.call(kCpu, M, N, device.inputs(), device.values(), device.indices(), nullptr) !=
        KEOPS_ERROR_BACKEND_MISMATCH)
      fail(e, M, N, "_cpu accepted device pointers");
    if (e.call(kDispatch, M, N, device.inputs(), host.values.data(), host.indices.data(),
               nullptr) != KEOPS_ERROR_BACKEND_MISMATCH)
      fail(e, M, N, "the dispatcher accepted device inputs with host outputs");
  }
}

/// KEOPS_BACKEND_AUTO on host arrays of keops_rt::kAutoGpuMinTerms terms: on a GPU (copies) or,
/// without one, on the CPU; either way the CPU's results.
void checkAutomaticHostCall(std::mt19937_64 &rng, bool gpu) {
  const Entry e = entries()[0];     // sum1
  const int64_t M = 8192, N = 8192; // 2^26 terms: the threshold
  Inputs in = makeInputs(e, M, N, rng);
  Outputs cpu = poisoned(e, M, N), automatic = poisoned(e, M, N);
  if (callHost(e, kCpu, M, N, in, cpu, nullptr) != KEOPS_OK)
    return fail(e, M, N, "_cpu failed: " + std::string(cuda_all_last_error()));
  const keops_status st = callHost(e, kDispatch, M, N, in, automatic, nullptr);
  if (!expectSame(e, M, N, "the automatic dispatcher on large host arrays", st, automatic, cpu))
    return;
  if (!gpu && automatic.values != cpu.values)
    fail(e, M, N, "without a GPU, the automatic dispatcher is not bitwise the CPU's");
}

} // namespace

int main(int argc, char **argv) {
  bool gpu = false;
  uint64_t seed = 0;
  if (const int exitCode = startTestMode(argc, argv, "cuda_all", gpu, seed); exitCode >= 0)
    return exitCode;
  std::mt19937_64 rng(seed);
  cudaStream_t stream = nullptr;
  if (gpu)
    cudaStreamCreate(&stream);
  int calls = 0;
  checkAutomaticHostCall(rng, gpu);
  for (const Entry &e : entries())
    for (const auto &[M, N] : kSizes) {
      if (gpu)
        checkOnGpu(e, M, N, stream, rng);
      else
        checkWithoutGpu(e, M, N, rng);
      ++calls;
    }
  if (gpu)
    cudaStreamDestroy(stream);
  std::printf("%s: %d entry-point x size checks, %d failures\n", gFailures ? "FAILED" : "OK", calls,
              gFailures);
  return gFailures ? 1 : 0;
}
