// bench/reference/Dispatch.cpp: the C entry points of Reference.h: picks the ISA path at the
// first call, lays y out for it (transposed, padded, pre-scaled), splits rows over threads.
// Not the kernels (the .inc files).
#include "Kernels.h"
#include "Reference.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

namespace keopsc_ref {
namespace {

bool cpuHas(const char *isa) {
  if (std::strcmp(isa, "avx512") == 0)
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
           __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl");
  if (std::strcmp(isa, "avx2") == 0)
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") &&
           __builtin_cpu_supports("bmi2");
  return true;
}

const KernelTable &pick() {
  static const KernelTable *table = [] {
    __builtin_cpu_init();
    const char *forced = std::getenv("KEOPSC_REF_ISA");
    const KernelTable *all[] = {&avx512Table, &avx2Table, &baselineTable};
    for (const KernelTable *t : all)
      if (cpuHas(t->name) && (!forced || std::strcmp(forced, t->name) == 0))
        return t;
    return &baselineTable; // a forced path the CPU lacks: the baseline, never a fault
  }();
  return *table;
}

constexpr int64_t kPad = 64; // every path's lane count and j tile divide it

// y (N x D, row-major) to D rows of Npad, times scale (for D > 3 in tiles of kPad points, see
// Soa); b times bScale, padding bPad; norms: |y_j|^2 of the scaled y.
template <class T> struct SoaBuffer {
  std::vector<T> y, b, sq;
  Soa<T> soa;
  SoaBuffer(int64_t N, int64_t D, const T *src, const T *bSrc, T scale, T bScale, T bPad,
            bool norms) {
    int64_t Npad = (N + kPad - 1) / kPad * kPad, t = D > 3 ? kPad : 0;
    auto at = [&](int64_t d, int64_t j) {
      return (size_t)(t ? (j / t) * t * D + d * t + j % t : d * Npad + j);
    };
    y.assign((size_t)(D * Npad), T(0));
    for (int64_t j = 0; j < N; ++j)
      for (int64_t d = 0; d < D; ++d)
        y[at(d, j)] = src[j * D + d] * scale;
    if (bSrc) {
      b.assign((size_t)Npad, bPad);
      for (int64_t j = 0; j < N; ++j)
        b[(size_t)j] = bSrc[j] * bScale;
    }
    if (norms) {
      sq.assign((size_t)Npad, T(0));
      for (int64_t d = 0; d < D; ++d)
        for (int64_t j = 0; j < Npad; ++j)
          sq[(size_t)j] += y[at(d, j)] * y[at(d, j)];
    }
    soa = {N, Npad, D, y.data(), bSrc ? b.data() : nullptr, norms ? sq.data() : nullptr, t, src};
  }
};

template <class T> std::vector<T> scaled(const T *x, int64_t n, T scale) {
  std::vector<T> v((size_t)n);
  for (int64_t k = 0; k < n; ++k)
    v[(size_t)k] = x[k] * scale;
  return v;
}

// Rows split in equal contiguous ranges, a multiple of 8 rows each (the row blocks).
template <class F> void parallelRows(int64_t M, int threads, F run) {
  int n = threads > 0 ? threads : 2;
  if (n == 1 || M < 64) {
    run(0, M);
    return;
  }
  std::vector<std::thread> pool;
  int64_t per = ((M + n - 1) / n + 7) / 8 * 8;
  for (int t = 0; t < n; ++t) {
    int64_t i0 = t * per, i1 = i0 + per < M ? i0 + per : M;
    if (i0 < i1)
      pool.emplace_back(run, i0, i1);
  }
  for (std::thread &th : pool)
    th.join();
}

const float kLog2e = 1.4426950408889634f;

} // namespace
} // namespace keopsc_ref

using namespace keopsc_ref;

extern "C" {

const char *ref_isa_name(void) { return pick().name; }

void ref_gauss_f32(int64_t M, int64_t N, int64_t D, const float *x, const float *y, const float *b,
                   float g, float *out, int threads) {
  const KernelTable &k = pick();
  float s = std::sqrt(g * kLog2e);
  SoaBuffer<float> ys(N, D, y, b, s, 1.0f, 0.0f, D != 3);
  std::vector<float> xs = scaled(x, M * D, s);
  parallelRows(M, threads,
               [&](int64_t i0, int64_t i1) { k.gauss(i0, i1, xs.data(), ys.soa, out); });
}

void ref_laplace_f32(int64_t M, int64_t N, const float *x, const float *y, const float *b, float g,
                     float *out, int threads) {
  const KernelTable &k = pick();
  float s = g * kLog2e;
  SoaBuffer<float> ys(N, 3, y, b, s, 1.0f, 0.0f, false);
  std::vector<float> xs = scaled(x, M * 3, s);
  parallelRows(M, threads,
               [&](int64_t i0, int64_t i1) { k.laplace(i0, i1, xs.data(), ys.soa, out); });
}

void ref_lse_f32(int64_t M, int64_t N, const float *x, const float *y, const float *b, float g,
                 float *out, int threads) {
  const KernelTable &k = pick();
  float s = std::sqrt(g * kLog2e);
  SoaBuffer<float> ys(N, 3, y, b, s, kLog2e, -1.0e4f, false);
  std::vector<float> xs = scaled(x, M * 3, s);
  parallelRows(M, threads, [&](int64_t i0, int64_t i1) { k.lse(i0, i1, xs.data(), ys.soa, out); });
}

void ref_gauss_dx_f32(int64_t M, int64_t N, const float *x, const float *y, const float *b, float g,
                      const float *e, float *grad, int threads) {
  const KernelTable &k = pick();
  float s = std::sqrt(g * kLog2e);
  SoaBuffer<float> ys(N, 3, y, b, s, 1.0f, 0.0f, false);
  std::vector<float> xs = scaled(x, M * 3, s);
  parallelRows(M, threads, [&](int64_t i0, int64_t i1) {
    k.gaussDx(i0, i1, xs.data(), ys.soa, -2.0f * g / s, e, grad);
  });
}

void ref_argkmin10_f32(int64_t M, int64_t N, int64_t D, const float *x, const float *y,
                       int64_t *idx, int threads) {
  const KernelTable &k = pick();
  SoaBuffer<float> ys(N, D, y, nullptr, 1.0f, 1.0f, 0.0f, D != 3);
  parallelRows(M, threads, [&](int64_t i0, int64_t i1) { k.argKMin10(i0, i1, x, ys.soa, idx); });
}

void ref_gauss_f64(int64_t M, int64_t N, const double *x, const double *y, const double *b,
                   double g, double *out, int threads) {
  const KernelTable &k = pick();
  double s = std::sqrt(g * 1.4426950408889634);
  SoaBuffer<double> ys(N, 3, y, b, s, 1.0, 0.0, false);
  std::vector<double> xs = scaled(x, M * 3, s);
  parallelRows(M, threads,
               [&](int64_t i0, int64_t i1) { k.gauss64(i0, i1, xs.data(), ys.soa, out); });
}

} // extern "C"
