// bench/vector_math/ExpThroughput.cpp: which vector exp issue 11's kernels should use. Times, in
// one process, float32 exp over a 64 Ki-value array (in L2) through SLEEF (Debian's 3.5: a shared
// library, one call per vector), an inlined polynomial with the range reduction folded into the
// rounding (bench/reference/Exp2.inc's method), and scalar libm; prints ns/value and the largest
// error in ulps against float64 exp over [-20, 0]; Highway's header-only Exp too when it is
// installed. Built only when SLEEF is installed.
#include "Timing.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <immintrin.h>
#include <sleef.h>
#include <vector>

// sleef.h declares its AVX2/AVX-512 functions only when the whole file is compiled for them; this
// file picks its path at run time, so it declares the two it calls itself.
extern "C" __m512 Sleef_expf16_u10avx512f(__m512);
extern "C" __m256 Sleef_expf8_u10avx2(__m256);
// Highway's Exp, in HwyExp.cpp (compiled for AVX-512 only), when Highway is installed.
#ifdef KEOPSC_BENCH_HWY
void hwyExp512(const float *x, float *y, int n);
#endif

namespace {

typedef float vf __attribute__((vector_size(64)));
typedef int32_t vi __attribute__((vector_size(64)));

/// e^x as 2^(x·log2 e): t + 1.5·2^23 rounds t to n in the low mantissa bits, which then become
/// the exponent; 2^f on [−1/2, 1/2] is the degree-5 fit of Exp2.inc.
__attribute__((target("avx512f,fma"))) inline vf inlineExp(vf x) {
  const vf t = x * 1.4426950408889634f;
  const float magic = 12582912.0f;
  const vf tm = t + magic;
  const vf f = t - (tm - magic);
  vf p = vf{} + 1.3390863364671234e-3f;
  p = p * f + 9.6760319183220541e-3f;
  p = p * f + 5.5503571142190778e-2f;
  p = p * f + 2.4022107485308338e-1f;
  p = p * f + 6.9314718802622878e-1f;
  p = p * f + 1.0000000754548972f;
  return (vf)((vi)p + ((vi)tm << 23));
}

__attribute__((target("avx512f"))) void sleef512(const float *x, float *y, int n) {
  for (int i = 0; i < n; i += 16)
    _mm512_storeu_ps(y + i, Sleef_expf16_u10avx512f(_mm512_loadu_ps(x + i)));
}

__attribute__((target("avx2,fma"))) void sleef256(const float *x, float *y, int n) {
  for (int i = 0; i < n; i += 8)
    _mm256_storeu_ps(y + i, Sleef_expf8_u10avx2(_mm256_loadu_ps(x + i)));
}

__attribute__((target("avx512f,fma"))) void inline512(const float *x, float *y, int n) {
  for (int i = 0; i < n; i += 16) {
    vf v;
    std::memcpy(&v, x + i, sizeof v);
    const vf r = inlineExp(v);
    std::memcpy(y + i, &r, sizeof r);
  }
}

void scalar(const float *x, float *y, int n) {
  for (int i = 0; i < n; ++i)
    y[i] = std::exp(x[i]);
}

void time(const char *name, void (*fn)(const float *, float *, int), const std::vector<float> &x) {
  std::vector<float> y;
  const double seconds = bench::bestSecondsPerValue(fn, x, y, 2000);
  double maxUlp = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    const double ref = std::exp(double(x[i]));
    maxUlp =
        std::max(maxUlp, std::fabs(double(y[i]) - ref) / std::ldexp(1.0, std::ilogb(ref) - 23));
  }
  std::printf("| %s | %.3f | %.2f |\n", name, seconds * 1e9, maxUlp);
}

} // namespace

int main() {
  std::vector<float> x(1 << 16);
  for (size_t i = 0; i < x.size(); ++i)
    x[i] = -20.0f + 20.0f * float(i) / float(x.size());
  std::printf("| exp, float32 | ns/value | max error (ulp) |\n|---|---|---|\n");
  if (__builtin_cpu_supports("avx512f")) {
    time("SLEEF Sleef_expf16_u10avx512f (shared library)", sleef512, x);
    time("inlined degree-5 polynomial, AVX-512", inline512, x);
#ifdef KEOPSC_BENCH_HWY
    time("Highway hn::Exp (header-only, inlined), AVX-512", hwyExp512, x);
#endif
  }
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
    time("SLEEF Sleef_expf8_u10avx2 (shared library)", sleef256, x);
  time("libm expf, scalar", scalar, x);
  return 0;
}
