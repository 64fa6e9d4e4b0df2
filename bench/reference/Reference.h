/* bench/reference/Reference.h: the C interface of the hand-tuned reference kernels that
   bench/cpu_bench times keopsc against (issue 11). Benchmark code only: keopsc never uses it. */
#ifndef KEOPSC_BENCH_REFERENCE_H
#define KEOPSC_BENCH_REFERENCE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The path the kernels run: the widest the CPU has (AVX-512, AVX2+FMA, else the SSE2 baseline
   every x86-64 has), or the one named by the environment variable KEOPSC_REF_ISA
   ("avx512", "avx2", "baseline") when the CPU has it. */
const char *ref_isa_name(void);

/* All arrays are row-major like keopsc's (x: M x D, y: N x D, b: N); threads = 0 means 2. */
void ref_gauss_f32(int64_t M, int64_t N, int64_t D, const float *x, const float *y, const float *b,
                   float g, float *out, int threads);
void ref_laplace_f32(int64_t M, int64_t N, const float *x, const float *y, const float *b, float g,
                     float *out, int threads);
void ref_lse_f32(int64_t M, int64_t N, const float *x, const float *y, const float *b, float g,
                 float *out, int threads);
/* grad (M x 3) = sum_j -2g e_i b_j exp(-g|x_i - y_j|^2) (x_i - y_j), i.e. Grad(conv, x). */
void ref_gauss_dx_f32(int64_t M, int64_t N, const float *x, const float *y, const float *b, float g,
                      const float *e, float *grad, int threads);
/* idx (M x 10): the 10 nearest y_j by squared distance, nearest first, ties by lower j. */
void ref_argkmin10_f32(int64_t M, int64_t N, int64_t D, const float *x, const float *y,
                       int64_t *idx, int threads);
void ref_gauss_f64(int64_t M, int64_t N, const double *x, const double *y, const double *b,
                   double g, double *out, int threads);

#ifdef __cplusplus
}
#endif

#endif
