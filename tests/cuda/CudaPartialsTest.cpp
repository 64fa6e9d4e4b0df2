// CudaPartialsTest.cpp: the sharding entry points of cuda_all.kfl (README, "Sharding") with the
// cuda backend, in one of two modes.
//   --mode gpu     (ctest label cuda) on a visible GPU: the reduced axis cut in three parts at
//                  random, the first reduced on the GPU from device arrays (the automatic
//                  backend, on a stream, each cuda_scheme in turn), the second from host arrays
//                  with backend = CUDA (copies), the third on the CPU; the states merged on the
//                  host and finalized, against the one-call `_cpu` result (indices exactly,
//                  values within the dtype's tolerance). Host and device arrays mixed are refused.
//   --mode no-gpu  without a GPU: backend = CUDA answers BACKEND_UNAVAILABLE and leaves the state
//                  alone; the automatic backend's parts run on the CPU and merge to the one-call
//                  result (bitwise for the indices).
// Each mode exits 77 (ctest: skipped) on a machine of the other kind. The seed is printed.
#include "TestMode.h"
#include "cuda_all.h"

#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <cuda_runtime.h>
#include <functional>
#include <random>
#include <string>
#include <vector>

namespace {

/// x = Vi(3), y = Vj(3), b = Vj(2), g = Pm(1): the arrays of every reduction used here.
struct Data {
  int64_t M, N;
  std::vector<float> x, y, b, g;
};

using PartialFn = std::function<keops_status(int64_t M, int64_t N, const float *x, const float *y,
                                             const float *b, const float *g, int64_t offset,
                                             void *state, const keops_options *opts)>;
using OneCallFn = std::function<keops_status(const Data &d, float *values, int64_t *indices)>;
using FinalizeFn =
    std::function<keops_status(int64_t rows, const void *state, float *values, int64_t *indices)>;

struct Sharded {
  const char *name;
  int axis;
  int64_t valuesPerRow, indicesPerRow, stateBytes;
  int64_t K; ///< the K-min family's K (the one call refuses fewer terms), else 1
  PartialFn partial;
  keops_status (*merge)(int64_t, void *, const void *);
  FinalizeFn finalize;
  OneCallFn cpu;
};

#define SHARDED_PARTS(fn)                                                                          \
  [](int64_t M, int64_t N, const float *x, const float *y, const float *b, const float *g,         \
     int64_t offset, void *state,                                                                  \
     const keops_options *o) { return fn##_partial(M, N, x, y, b, g, offset, state, o); },         \
      &fn##_merge
#define CPU_ARGS(d) d.M, d.N, d.x.data(), d.y.data(), d.b.data(), d.g.data()

std::vector<Sharded> shardedEntries() {
  return {
      {"sum1", 1, 2, 0, CUDA_ALL_SUM1_STATE_BYTES, 1, SHARDED_PARTS(cuda_all_sum1),
       [](int64_t rows, const void *s, float *v, int64_t *) {
         return cuda_all_sum1_finalize(rows, s, v);
       },
       [](const Data &d, float *v, int64_t *) {
         return cuda_all_sum1_cpu(CPU_ARGS(d), v, nullptr);
       }},
      {"lse1", 1, 1, 0, CUDA_ALL_LSE1_STATE_BYTES, 1, SHARDED_PARTS(cuda_all_lse1),
       [](int64_t rows, const void *s, float *v, int64_t *) {
         return cuda_all_lse1_finalize(rows, s, v);
       },
       [](const Data &d, float *v, int64_t *) {
         return cuda_all_lse1_cpu(CPU_ARGS(d), v, nullptr);
       }},
      {"argkmin1", 1, 0, 5, CUDA_ALL_ARGKMIN1_STATE_BYTES, 5, SHARDED_PARTS(cuda_all_argkmin1),
       [](int64_t rows, const void *s, float *, int64_t *i) {
         return cuda_all_argkmin1_finalize(rows, s, i);
       },
       [](const Data &d, float *, int64_t *i) {
         return cuda_all_argkmin1_cpu(CPU_ARGS(d), i, nullptr);
       }},
      {"maxargmax0", 0, 1, 1, CUDA_ALL_MAXARGMAX0_STATE_BYTES, 1,
       SHARDED_PARTS(cuda_all_maxargmax0),
       [](int64_t rows, const void *s, float *v, int64_t *i) {
         return cuda_all_maxargmax0_finalize(rows, s, v, i);
       },
       [](const Data &d, float *v, int64_t *i) {
         return cuda_all_maxargmax0_cpu(CPU_ARGS(d), v, i, nullptr);
       }},
      {"kminargkmin0", 0, 3, 3, CUDA_ALL_KMINARGKMIN0_STATE_BYTES, 3,
       SHARDED_PARTS(cuda_all_kminargkmin0),
       [](int64_t rows, const void *s, float *v, int64_t *i) {
         return cuda_all_kminargkmin0_finalize(rows, s, v, i);
       },
       [](const Data &d, float *v, int64_t *i) {
         return cuda_all_kminargkmin0_cpu(CPU_ARGS(d), v, i, nullptr);
       }},
  };
}

int gFailures = 0;

void fail(const Sharded &e, const std::string &what) {
  ++gFailures;
  std::printf("FAIL %s: %s (%s)\n", e.name, what.c_str(), cuda_all_last_error());
}

Data makeData(int64_t M, int64_t N, std::mt19937_64 &rng) {
  std::uniform_real_distribution<float> unit(0.0f, 1.0f);
  Data d{M,
         N,
         std::vector<float>(size_t(M * 3)),
         std::vector<float>(size_t(N * 3)),
         std::vector<float>(size_t(N * 2)),
         {0.5f}};
  for (std::vector<float> *v : {&d.x, &d.y, &d.b})
    for (float &f : *v)
      f = unit(rng);
  return d;
}

/// The arrays of the part [lo, hi) of the reduced axis: x's rows for axis 0, y's and b's for 1.
struct Part {
  int64_t M, N, offset;
  const float *x, *y, *b, *g;
};

Part partOf(const Sharded &e, const Data &d, int64_t lo, int64_t hi) {
  if (e.axis == 1)
    return {d.M, hi - lo, lo, d.x.data(), d.y.data() + lo * 3, d.b.data() + lo * 2, d.g.data()};
  return {hi - lo, d.N, lo, d.x.data() + lo * 3, d.y.data(), d.b.data(), d.g.data()};
}

/// A device copy of host floats, or a device buffer of bytes (freed on destruction).
struct DeviceBuffer {
  void *ptr = nullptr;
  DeviceBuffer(const void *host, size_t bytes) {
    if (bytes && cudaMalloc(&ptr, bytes) == cudaSuccess && host)
      cudaMemcpy(ptr, host, bytes, cudaMemcpyHostToDevice);
  }
  ~DeviceBuffer() { cudaFree(ptr); }
  DeviceBuffer(const DeviceBuffer &) = delete;
  DeviceBuffer &operator=(const DeviceBuffer &) = delete;
  float *floats() const { return static_cast<float *>(ptr); }
};

/// Part p on the GPU from device arrays (the automatic backend on `stream`), its state copied
/// back into `state`. Empty arrays get a float each: device pointers, not null ones.
keops_status partialOnDevice(const Sharded &e, const Part &p, int32_t scheme, cudaStream_t stream,
                             std::vector<unsigned char> &state) {
  auto bytes = [](int64_t floats) { return size_t(std::max<int64_t>(floats, 1)) * 4; };
  DeviceBuffer x(p.x, bytes(p.M * 3)), y(p.y, bytes(p.N * 3)), b(p.b, bytes(p.N * 2)), g(p.g, 4),
      s(state.data(), state.size());
  keops_options o = KEOPS_OPTIONS_DEFAULT;
  o.stream = stream;
  o.cuda_scheme = scheme;
  const keops_status st =
      e.partial(p.M, p.N, x.floats(), y.floats(), b.floats(), g.floats(), p.offset, s.ptr, &o);
  cudaStreamSynchronize(stream);
  cudaMemcpy(state.data(), s.ptr, state.size(), cudaMemcpyDeviceToHost);
  return st;
}

/// Merges states[1…] into states[0], finalizes, and compares with the one-call `_cpu` result.
void expectOneCallResult(const Sharded &e, const Data &d,
                         std::vector<std::vector<unsigned char>> &states, const std::string &how) {
  const int64_t rows = e.axis == 1 ? d.M : d.N;
  for (size_t p = 1; p < states.size(); ++p)
    if (e.merge(rows, states[0].data(), states[p].data()) != KEOPS_OK)
      return fail(e, how + ": merge failed");
  std::vector<float> values(size_t(rows * e.valuesPerRow), NAN), want(values.size(), NAN);
  std::vector<int64_t> indices(size_t(rows * e.indicesPerRow), -77), wantIdx(indices.size(), -77);
  if (e.finalize(rows, states[0].data(), values.data(), indices.data()) != KEOPS_OK)
    return fail(e, how + ": finalize failed");
  if (e.cpu(d, want.data(), wantIdx.data()) != KEOPS_OK)
    return fail(e, how + ": _cpu failed");
  for (size_t k = 0; k < values.size(); ++k)
    if (!(std::fabs(values[k] - want[k]) <= 1e-4 * std::max(1.0f, std::fabs(want[k]))))
      return fail(e, how + ": value " + std::to_string(k) + " " + std::to_string(values[k]) +
                         ", one call " + std::to_string(want[k]));
  for (size_t k = 0; k < indices.size(); ++k)
    if (indices[k] != wantIdx[k])
      return fail(e, how + ": index " + std::to_string(k) + " " + std::to_string(indices[k]) +
                         ", one call " + std::to_string(wantIdx[k]));
}

/// Three parts: device arrays, host arrays with backend = CUDA, the CPU.
void checkOnGpu(const Sharded &e, const Data &d, int32_t scheme, cudaStream_t stream,
                std::mt19937_64 &rng) {
  const int64_t reduced = e.axis == 1 ? d.N : d.M, rows = e.axis == 1 ? d.M : d.N;
  const int64_t a = int64_t(rng() % uint64_t(reduced + 1));
  const int64_t b = a + int64_t(rng() % uint64_t(reduced - a + 1));
  const std::string how = "parts [0, " + std::to_string(a) + ") [" + std::to_string(a) + ", " +
                          std::to_string(b) + ") [" + std::to_string(b) + ", " +
                          std::to_string(reduced) + "), cuda_scheme " + std::to_string(scheme);
  std::vector<std::vector<unsigned char>> states(
      3, std::vector<unsigned char>(size_t(rows * e.stateBytes), 0xA5));
  if (partialOnDevice(e, partOf(e, d, 0, a), scheme, stream, states[0]) != KEOPS_OK)
    return fail(e, how + ": the part on device arrays failed");
  keops_options o = KEOPS_OPTIONS_DEFAULT;
  o.backend = KEOPS_BACKEND_CUDA;
  o.cuda_scheme = scheme;
  Part p = partOf(e, d, a, b);
  if (e.partial(p.M, p.N, p.x, p.y, p.b, p.g, p.offset, states[1].data(), &o) != KEOPS_OK)
    return fail(e, how + ": the part on host arrays with backend = CUDA failed");
  o.backend = KEOPS_BACKEND_CPU;
  p = partOf(e, d, b, reduced);
  if (e.partial(p.M, p.N, p.x, p.y, p.b, p.g, p.offset, states[2].data(), &o) != KEOPS_OK)
    return fail(e, how + ": the part on the CPU failed");
  expectOneCallResult(e, d, states, how);
}

/// Device inputs with a host state, and device arrays on the CPU backend: refused.
void checkMismatches(const Sharded &e, const Data &d) {
  const int64_t rows = e.axis == 1 ? d.M : d.N;
  DeviceBuffer x(d.x.data(), d.x.size() * 4), y(d.y.data(), d.y.size() * 4),
      b(d.b.data(), d.b.size() * 4), g(d.g.data(), 4), s(nullptr, size_t(rows * e.stateBytes));
  std::vector<unsigned char> host(size_t(rows * e.stateBytes), 0xA5);
  if (e.partial(d.M, d.N, x.floats(), y.floats(), b.floats(), g.floats(), 0, host.data(),
                nullptr) != KEOPS_ERROR_BACKEND_MISMATCH)
    fail(e, "device inputs with a host state were accepted");
  keops_options o = KEOPS_OPTIONS_DEFAULT;
  o.backend = KEOPS_BACKEND_CPU;
  if (e.partial(d.M, d.N, x.floats(), y.floats(), b.floats(), g.floats(), 0, s.ptr, &o) !=
      KEOPS_ERROR_BACKEND_MISMATCH)
    fail(e, "device arrays on the CPU backend were accepted");
}

/// Without a GPU: backend = CUDA refuses and writes nothing; automatic parts run on the CPU.
void checkWithoutGpu(const Sharded &e, const Data &d) {
  const int64_t reduced = e.axis == 1 ? d.N : d.M, rows = e.axis == 1 ? d.M : d.N;
  std::vector<std::vector<unsigned char>> states(
      2, std::vector<unsigned char>(size_t(rows * e.stateBytes), 0xA5));
  keops_options o = KEOPS_OPTIONS_DEFAULT;
  o.backend = KEOPS_BACKEND_CUDA;
  Part p = partOf(e, d, 0, reduced / 2);
  if (e.partial(p.M, p.N, p.x, p.y, p.b, p.g, p.offset, states[0].data(), &o) !=
      KEOPS_ERROR_BACKEND_UNAVAILABLE)
    return fail(e, "backend = CUDA without a GPU was not BACKEND_UNAVAILABLE");
  if (!std::strstr(cuda_all_last_error(), "no CUDA device"))
    return fail(e, "backend = CUDA without a GPU: an unclear message");
  for (unsigned char c : states[0])
    if (c != 0xA5)
      return fail(e, "backend = CUDA without a GPU wrote into the state");
  if (e.partial(p.M, p.N, p.x, p.y, p.b, p.g, p.offset, states[0].data(), nullptr) != KEOPS_OK)
    return fail(e, "the automatic first part failed");
  p = partOf(e, d, reduced / 2, reduced);
  if (e.partial(p.M, p.N, p.x, p.y, p.b, p.g, p.offset, states[1].data(), nullptr) != KEOPS_OK)
    return fail(e, "the automatic second part failed");
  expectOneCallResult(e, d, states, "two automatic parts without a GPU");
}

const std::pair<int64_t, int64_t> kSizes[] = {
    {1, 1}, {7, 1000}, {1000, 7}, {300, 2049}, {513, 257}};
const int32_t kSchemes[] = {KEOPS_CUDA_1D, KEOPS_CUDA_2D, KEOPS_CUDA_AUTO};

} // namespace

int main(int argc, char **argv) {
  bool gpu = false;
  uint64_t seed = 0;
  if (const int exitCode = startTestMode(argc, argv, "cuda_all partials", gpu, seed); exitCode >= 0)
    return exitCode;
  std::mt19937_64 rng(seed);
  cudaStream_t stream = nullptr;
  if (gpu)
    cudaStreamCreate(&stream);
  int checks = 0;
  for (const Sharded &e : shardedEntries())
    for (const auto &[M, N] : kSizes) {
      if ((e.axis == 1 ? N : M) < e.K)
        continue; // the one call to compare with refuses it (SPEC.md §7.3)
      const Data d = makeData(M, N, rng);
      if (!gpu) {
        checkWithoutGpu(e, d);
        ++checks;
        continue;
      }
      for (int32_t scheme : kSchemes) {
        checkOnGpu(e, d, scheme, stream, rng);
        ++checks;
      }
      checkMismatches(e, d);
    }
  if (gpu)
    cudaStreamDestroy(stream);
  std::printf("%s: %d checks, %d failures\n", gFailures ? "FAILED" : "OK", checks, gFailures);
  return gFailures ? 1 : 0;
}
