// bench/vector_math/MathThroughput.cpp: whether issue 11's kernels should take log, sin and cos
// from SLEEF or from keops/host/simd_math.h. Times, in one process, float32 and float64 log, sin
// and cos over 64 Ki values (in L2) through SLEEF's 1-ulp AVX-512 functions (Debian's 3.5: a
// shared library, one call per vector), keopsc's runtime header (inlined, compiled here for
// x86-64-v4) and scalar libm; prints ns/value and the largest error in ulps against long double.
// Built only when SLEEF is installed; runs where the CPU has AVX-512.
#include "Timing.h"
#include "keops/host/simd_math.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <immintrin.h>
#include <iterator>
#include <sleef.h>
#include <vector>

#pragma GCC diagnostic ignored "-Wpsabi"

namespace {

template <class T> double ulps(T got, long double want) {
  const long double spacing =
      std::ldexp(1.0L, std::ilogb(static_cast<double>(want)) - std::numeric_limits<T>::digits + 1);
  return static_cast<double>(std::fabs(static_cast<long double>(got) - want) / spacing);
}

/// A function compared: keopsc's vector form, libm's scalar one, the long double reference.
struct Log {
  template <class X> static X keopsc(X v) { return keops_rt::op_log(v); }
  template <class X> static X libm(X v) { return std::log(v); }
  static long double ref(long double x) { return std::log(x); }
};
struct Sin {
  template <class X> static X keopsc(X v) { return keops_rt::op_sin(v); }
  template <class X> static X libm(X v) { return std::sin(v); }
  static long double ref(long double x) { return std::sin(x); }
};
struct Cos {
  template <class X> static X keopsc(X v) { return keops_rt::op_cos(v); }
  template <class X> static X libm(X v) { return std::cos(v); }
  static long double ref(long double x) { return std::cos(x); }
};

template <class T, class Fn> void viaKeopsc(const T *x, T *y, int n) {
  using V = keops_rt::simd::Vec<T, 64 / int(sizeof(T))>;
  for (int i = 0; i < n; i += V::kLanes) {
    const V r = Fn::keopsc(V::load(x + i));
    std::memcpy(y + i, &r, sizeof r);
  }
}

template <class T, class Fn> void viaLibm(const T *x, T *y, int n) {
  for (int i = 0; i < n; ++i)
    y[i] = Fn::libm(x[i]);
}

// SLEEF's functions one vector per call. (Not templates over the function: __m512's attributes
// are dropped from template arguments.)
#define KEOPSC_SLEEF_LOOP(NAME, T, CALL, LOAD, STORE, LANES)                                       \
  void NAME(const T *x, T *y, int n) {                                                             \
    for (int i = 0; i < n; i += LANES)                                                             \
      STORE(y + i, CALL(LOAD(x + i)));                                                             \
  }
KEOPSC_SLEEF_LOOP(sleefLogf, float, Sleef_logf16_u10avx512f, _mm512_loadu_ps, _mm512_storeu_ps, 16)
KEOPSC_SLEEF_LOOP(sleefSinf, float, Sleef_sinf16_u10avx512f, _mm512_loadu_ps, _mm512_storeu_ps, 16)
KEOPSC_SLEEF_LOOP(sleefCosf, float, Sleef_cosf16_u10avx512f, _mm512_loadu_ps, _mm512_storeu_ps, 16)
KEOPSC_SLEEF_LOOP(sleefLog, double, Sleef_logd8_u10avx512f, _mm512_loadu_pd, _mm512_storeu_pd, 8)
KEOPSC_SLEEF_LOOP(sleefSin, double, Sleef_sind8_u10avx512f, _mm512_loadu_pd, _mm512_storeu_pd, 8)

template <class T> std::vector<T> inputs(T lo, T hi) {
  std::vector<T> x(1 << 16);
  for (size_t i = 0; i < x.size(); ++i)
    x[i] = lo + (hi - lo) * T(i) / T(x.size());
  return x;
}

template <class T> struct Case {
  const char *name;
  void (*fn)(const T *, T *, int);
  bool angles; ///< inputs in [−100, 100], else in [10^−3, 10^3]
  long double (*ref)(long double);
};

/// Prints ns/value and the worst ulp error of each case.
template <class T> void run(const char *title, const Case<T> *cases, int count) {
  const std::vector<T> pos = inputs<T>(T(1e-3), T(1e3)), ang = inputs<T>(T(-100), T(100));
  std::printf("\n| %s | ns/value | max error (ulp) |\n|---|---|---|\n", title);
  std::vector<T> y;
  for (int c = 0; c < count; ++c) {
    const std::vector<T> &x = cases[c].angles ? ang : pos;
    const double seconds = bench::bestSecondsPerValue(cases[c].fn, x, y, 400);
    double worst = 0;
    for (size_t i = 0; i < x.size(); ++i)
      worst = std::max(worst, ulps<T>(y[i], cases[c].ref(static_cast<long double>(x[i]))));
    std::printf("| %s | %.3f | %.2f |\n", cases[c].name, seconds * 1e9, worst);
  }
}

const Case<float> kFloats[] = {
    {"log: SLEEF Sleef_logf16_u10avx512f", sleefLogf, false, Log::ref},
    {"log: keopsc simd_math.h, AVX-512", viaKeopsc<float, Log>, false, Log::ref},
    {"log: libm, scalar", viaLibm<float, Log>, false, Log::ref},
    {"sin: SLEEF Sleef_sinf16_u10avx512f", sleefSinf, true, Sin::ref},
    {"sin: keopsc simd_math.h, AVX-512", viaKeopsc<float, Sin>, true, Sin::ref},
    {"sin: libm, scalar", viaLibm<float, Sin>, true, Sin::ref},
    {"cos: SLEEF Sleef_cosf16_u10avx512f", sleefCosf, true, Cos::ref},
    {"cos: keopsc simd_math.h, AVX-512", viaKeopsc<float, Cos>, true, Cos::ref},
};

const Case<double> kDoubles[] = {
    {"log: SLEEF Sleef_logd8_u10avx512f", sleefLog, false, Log::ref},
    {"log: keopsc simd_math.h, AVX-512", viaKeopsc<double, Log>, false, Log::ref},
    {"sin: SLEEF Sleef_sind8_u10avx512f", sleefSin, true, Sin::ref},
    {"sin: keopsc simd_math.h, AVX-512", viaKeopsc<double, Sin>, true, Sin::ref},
};

} // namespace

int main() {
  if (!__builtin_cpu_supports("avx512f")) {
    std::printf("no AVX-512 on this CPU: nothing to compare\n");
    return 0;
  }
  run("float32", kFloats, int(std::size(kFloats)));
  run("float64", kDoubles, int(std::size(kDoubles)));
  return 0;
}
