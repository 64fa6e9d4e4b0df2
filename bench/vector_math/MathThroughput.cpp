// bench/vector_math/MathThroughput.cpp: whether issue 11's kernels should take log, sin and cos
// from SLEEF or from keops/host/simd_math.h. Times, in one process, float32 and float64 log, sin
// and cos over 64 Ki values (in L2) through SLEEF's 1-ulp AVX-512 functions (Debian's 3.5: a
// shared library, one call per vector), keopsc's runtime header (inlined, compiled here for
// x86-64-v4) and scalar libm; prints ns/value and the largest error in ulps against long double.
// Built only when SLEEF is installed; runs where the CPU has AVX-512.
#include "keops/host/simd_math.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <immintrin.h>
#include <sleef.h>
#include <vector>

#pragma GCC diagnostic ignored "-Wpsabi"

namespace {

double now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

template <class T> double ulps(T got, long double want) {
  const long double spacing =
      std::ldexp(1.0L, std::ilogb(static_cast<double>(want)) - std::numeric_limits<T>::digits + 1);
  return static_cast<double>(std::fabs(static_cast<long double>(got) - want) / spacing);
}

/// Best of 5 rounds of `reps` passes of fn over x; prints ns/value and the worst ulp error.
template <class T, class Fn>
void time(const char *name, Fn fn, const std::vector<T> &x, long double (*ref)(long double)) {
  const int n = static_cast<int>(x.size()), reps = 400;
  std::vector<T> y(x.size());
  double best = 1e30;
  for (int round = 0; round < 5; ++round) {
    const double start = now();
    for (int r = 0; r < reps; ++r) {
      fn(x.data(), y.data(), n);
      asm volatile("" ::: "memory"); // every repetition computes
    }
    best = std::min(best, now() - start);
  }
  double worst = 0;
  for (size_t i = 0; i < x.size(); ++i)
    worst = std::max(worst, ulps<T>(y[i], ref(static_cast<long double>(x[i]))));
  std::printf("| %s | %.3f | %.2f |\n", name, best / (double(n) * reps) * 1e9, worst);
}

template <class T, class VecFn> void keopsc(const T *x, T *y, int n, VecFn f) {
  using V = keops_rt::simd::Vec<T, 64 / int(sizeof(T))>;
  for (int i = 0; i < n; i += V::kLanes) {
    const V r = f(V::load(x + i));
    std::memcpy(y + i, &r, sizeof r);
  }
}

#define KEOPSC_SLEEF(NAME, T, CALL, LOAD, STORE, LANES)                                            \
  [](const T *x, T *y, int n) {                                                                    \
    for (int i = 0; i < n; i += LANES)                                                             \
      STORE(y + i, CALL(LOAD(x + i)));                                                             \
  }

template <class T> std::vector<T> inputs(T lo, T hi) {
  std::vector<T> x(1 << 16);
  for (size_t i = 0; i < x.size(); ++i)
    x[i] = lo + (hi - lo) * T(i) / T(x.size());
  return x;
}

long double logRef(long double x) { return std::log(x); }
long double sinRef(long double x) { return std::sin(x); }
long double cosRef(long double x) { return std::cos(x); }

void floats() {
  const std::vector<float> pos = inputs<float>(1e-3f, 1e3f), ang = inputs<float>(-100.0f, 100.0f);
  std::printf("| float32 | ns/value | max error (ulp) |\n|---|---|---|\n");
  time("log: SLEEF Sleef_logf16_u10avx512f",
       KEOPSC_SLEEF(log, float, Sleef_logf16_u10avx512f, _mm512_loadu_ps, _mm512_storeu_ps, 16),
       pos, logRef);
  time(
      "log: keopsc simd_math.h, AVX-512",
      [](const float *x, float *y, int n) {
        keopsc(x, y, n, [](auto v) { return keops_rt::op_log(v); });
      },
      pos, logRef);
  time(
      "log: libm, scalar",
      [](const float *x, float *y, int n) {
        for (int i = 0; i < n; ++i)
          y[i] = std::log(x[i]);
      },
      pos, logRef);
  time("sin: SLEEF Sleef_sinf16_u10avx512f",
       KEOPSC_SLEEF(sin, float, Sleef_sinf16_u10avx512f, _mm512_loadu_ps, _mm512_storeu_ps, 16),
       ang, sinRef);
  time(
      "sin: keopsc simd_math.h, AVX-512",
      [](const float *x, float *y, int n) {
        keopsc(x, y, n, [](auto v) { return keops_rt::op_sin(v); });
      },
      ang, sinRef);
  time(
      "sin: libm, scalar",
      [](const float *x, float *y, int n) {
        for (int i = 0; i < n; ++i)
          y[i] = std::sin(x[i]);
      },
      ang, sinRef);
  time("cos: SLEEF Sleef_cosf16_u10avx512f",
       KEOPSC_SLEEF(cos, float, Sleef_cosf16_u10avx512f, _mm512_loadu_ps, _mm512_storeu_ps, 16),
       ang, cosRef);
  time(
      "cos: keopsc simd_math.h, AVX-512",
      [](const float *x, float *y, int n) {
        keopsc(x, y, n, [](auto v) { return keops_rt::op_cos(v); });
      },
      ang, cosRef);
}

void doubles() {
  const std::vector<double> pos = inputs<double>(1e-3, 1e3), ang = inputs<double>(-100.0, 100.0);
  std::printf("\n| float64 | ns/value | max error (ulp) |\n|---|---|---|\n");
  time("log: SLEEF Sleef_logd8_u10avx512f",
       KEOPSC_SLEEF(log, double, Sleef_logd8_u10avx512f, _mm512_loadu_pd, _mm512_storeu_pd, 8), pos,
       logRef);
  time(
      "log: keopsc simd_math.h, AVX-512",
      [](const double *x, double *y, int n) {
        keopsc(x, y, n, [](auto v) { return keops_rt::op_log(v); });
      },
      pos, logRef);
  time("sin: SLEEF Sleef_sind8_u10avx512f",
       KEOPSC_SLEEF(sin, double, Sleef_sind8_u10avx512f, _mm512_loadu_pd, _mm512_storeu_pd, 8), ang,
       sinRef);
  time(
      "sin: keopsc simd_math.h, AVX-512",
      [](const double *x, double *y, int n) {
        keopsc(x, y, n, [](auto v) { return keops_rt::op_sin(v); });
      },
      ang, sinRef);
}

} // namespace

int main() {
  if (!__builtin_cpu_supports("avx512f")) {
    std::printf("no AVX-512 on this CPU: nothing to compare\n");
    return 0;
  }
  floats();
  doubles();
  return 0;
}
