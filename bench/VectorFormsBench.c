/* VectorFormsBench.c: what the vector forms of issue 11's sixth session are worth. Each kernel of
   vector_forms.kfl runs through its SIMD kernel (a dense call) and through the scalar loop (the
   same call with one block-sparse range covering every pair, which the SIMD kernels do not
   take), in one process; prints ns per (i, j) pair for both, their ratio, and the largest
   difference between the two outputs relative to the largest output. Then the chunked terms (a
   Gaussian kernel times 64 values per j, a softmax weighting them) against the same reductions
   with enable_chunks = false, and the split of the reduced index (few output rows): a Gaussian sum
   with 8 rows on one and on two threads. Not a test: it never fails on speed. Usage:
   vector_forms_bench [M N threads reps]. */
#include "vector_forms.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

typedef keops_status (*Values)(int64_t, int64_t, const float *, const float *, const float *,
                               const float *, float *, const keops_options *);

typedef struct {
  int64_t M, N;
  const float *x, *y, *b, *g;
  float *out;
  int64_t *idx;
  keops_options opts;
} Call;

static void call(const char *name, Values fn, Call *c) {
  keops_status st = fn ? fn(c->M, c->N, c->x, c->y, c->b, c->g, c->out, &c->opts)
                       : vector_forms_argmin(c->M, c->N, c->x, c->y, c->idx, &c->opts);
  if (st != KEOPS_OK) {
    fprintf(stderr, "%s failed: %s\n", name, vector_forms_last_error());
    exit(1);
  }
}

/* Best of `reps` calls, in ns per pair. */
static double timed(const char *name, Values fn, Call *c, int reps) {
  double best = 1e30;
  for (int r = 0; r < reps; ++r) {
    double t0 = now();
    call(name, fn, c);
    double t = now() - t0;
    best = t < best ? t : best;
  }
  return best * 1e9 / ((double)c->M * (double)c->N);
}

static float *randomArray(int64_t n, float lo, float hi) {
  float *a = malloc(sizeof(float) * (size_t)n);
  for (int64_t k = 0; k < n; ++k)
    a[k] = lo + (hi - lo) * (float)rand() / (float)RAND_MAX;
  return a;
}

/* The chunked terms against their scalar loops (enable_chunks = false), 64 outputs per row. */
static void compareChunked(int64_t M, int64_t N, const float *x, const float *y, const float *g,
                           int threads, int reps) {
  const struct {
    const char *name;
    Values chunked, plain;
  } kernels[] = {{"Sum(Exp(−g·d)·v), v = Vj(64): chunked vs enable_chunks = false",
                  vector_forms_chunked, vector_forms_unchunked},
                 {"SumSoftMaxWeight(−g·d, v), v = Vj(64): chunked vs enable_chunks = false",
                  vector_forms_attention, vector_forms_attention_plain}};
  float *v = randomArray(N * 64, -1, 1);
  float *fast = malloc(sizeof(float) * (size_t)(M * 64)),
        *slow = malloc(sizeof(float) * (size_t)(M * 64));
  for (size_t k = 0; k < sizeof kernels / sizeof kernels[0]; ++k) {
    Call c = {M, N, x, y, v, g, fast, NULL, KEOPS_OPTIONS_DEFAULT};
    c.opts.num_threads = threads;
    const double chunked = timed(kernels[k].name, kernels[k].chunked, &c, reps);
    c.out = slow;
    const double plain = timed(kernels[k].name, kernels[k].plain, &c, reps > 1 ? 1 : reps);
    double diff = 0, scale = 0;
    for (int64_t i = 0; i < M * 64; ++i) {
      diff = fmax(diff, fabs((double)fast[i] - (double)slow[i]));
      scale = fmax(scale, fabs((double)slow[i]));
    }
    printf("| %s | %.3f | %.3f | %.1fx | %.1e |\n", kernels[k].name, plain, chunked,
           plain / chunked, scale > 0 ? diff / scale : diff);
  }
  free(v);
  free(fast);
  free(slow);
}

int main(int argc, char **argv) {
  const int64_t M = argc > 1 ? atoll(argv[1]) : 10000, N = argc > 2 ? atoll(argv[2]) : 10000;
  const int threads = argc > 3 ? atoi(argv[3]) : 2, reps = argc > 4 ? atoi(argv[4]) : 3;
  srand(1);
  float *x = randomArray(M * 3, 0, 1), *y = randomArray(N * 3, 0, 1), *b = randomArray(N, -1, 1);
  float g = 4.0f;
  float *dense = malloc(sizeof(float) * (size_t)M), *scalar = malloc(sizeof(float) * (size_t)M);
  int64_t *idxDense = malloc(sizeof(int64_t) * (size_t)M),
          *idxScalar = malloc(sizeof(int64_t) * (size_t)M);
  const int64_t rangesI[2] = {0, M}, slices[1] = {1}, redJ[2] = {0, N}, rangesJ[2] = {0, N},
                redI[2] = {0, M};
  const keops_ranges all = {1, rangesI, slices, 1, redJ, 1, rangesJ, slices, 1, redI};
  const struct {
    const char *name;
    Values fn;
  } kernels[] = {{"Sum(Cos(g·d)·b)", vector_forms_cosine},
                 {"Sum(Log(1 + g·d)·b)", vector_forms_logarithm},
                 {"Sum(ReLU(1 − g·d)·b)", vector_forms_relu},
                 {"Sum(Exp(−g·d)·b), kahan_scheme", vector_forms_kahan},
                 {"SumSoftMaxWeight(−g·d, b)", vector_forms_softmax},
                 {"LogSumExpWeight(−g·d, b)", vector_forms_lse_weight},
                 {"ArgMin(d)", NULL}};
  printf("vector_forms_bench: M = %lld, N = %lld, %d threads, best of %d; d = SqDist(x, y), "
         "D = 3, float32; CPU path %s\n\n",
         (long long)M, (long long)N, threads, reps, vector_forms_cpu_isa());
  printf("| kernel | scalar loop ns/pair | SIMD ns/pair | speedup | max difference |\n");
  printf("|---|---|---|---|---|\n");
  for (size_t k = 0; k < sizeof kernels / sizeof kernels[0]; ++k) {
    Call c = {M, N, x, y, b, &g, dense, idxDense, KEOPS_OPTIONS_DEFAULT};
    c.opts.num_threads = threads;
    const double simd = timed(kernels[k].name, kernels[k].fn, &c, reps);
    c.out = scalar;
    c.idx = idxScalar;
    c.opts.ranges = &all;
    const double loop = timed(kernels[k].name, kernels[k].fn, &c, reps > 1 ? 1 : reps);
    double diff = 0, scale = 0;
    for (int64_t i = 0; i < M; ++i) {
      double a = kernels[k].fn ? dense[i] : (double)idxDense[i];
      double s = kernels[k].fn ? scalar[i] : (double)idxScalar[i];
      diff = fmax(diff, fabs(a - s));
      scale = fmax(scale, fabs(s));
    }
    printf("| %s | %.3f | %.3f | %.1fx | %.1e |\n", kernels[k].name, loop, simd, loop / simd,
           scale > 0 ? diff / scale : diff);
  }
  compareChunked(M, N, x, y, &g, threads, reps);
  /* Few output rows: the reduced index in parts that the threads share. */
  const int64_t rows = 8, longN = N * 100 < 4000000 ? N * 100 : 4000000;
  float *ly = randomArray(longN * 3, 0, 1), *lb = randomArray(longN, -1, 1);
  double t[2];
  for (int n = 1; n <= 2; ++n) {
    Call c = {rows, longN, x, ly, lb, &g, dense, idxDense, KEOPS_OPTIONS_DEFAULT};
    c.opts.num_threads = n;
    t[n - 1] = timed("kahan", vector_forms_kahan, &c, reps);
  }
  printf("\nFew rows (M = %lld, N = %lld, Kahan Gaussian sum): 1 thread %.3f ns/pair, 2 threads "
         "%.3f ns/pair: %.2fx\n",
         (long long)rows, (long long)longN, t[0], t[1], t[0] / t[1]);
  return 0;
}
