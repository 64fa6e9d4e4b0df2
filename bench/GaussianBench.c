/* GaussianBench.c: times keopsc's generated CPU kernels against a naive C loop of the same
   computation, in the same process on the same data, and prints the ratio (baseline / keopsc).
   Not a test: it never fails on speed. Usage: gaussian_bench [M N threads reps] */
#include "gaussian_bench.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* The baseline: the textbook double loop, single-threaded, float32 like the kernel. */
static void naiveConv(int64_t M, int64_t N, const float *x, const float *y, const float *b, float g,
                      float *out) {
  for (int64_t i = 0; i < M; ++i) {
    float s = 0;
    for (int64_t j = 0; j < N; ++j) {
      float d0 = x[3 * i] - y[3 * j], d1 = x[3 * i + 1] - y[3 * j + 1],
            d2 = x[3 * i + 2] - y[3 * j + 2];
      s += expf(-g * (d0 * d0 + d1 * d1 + d2 * d2)) * b[j];
    }
    out[i] = s;
  }
}

static void naiveLse(int64_t M, int64_t N, const float *x, const float *y, const float *b, float g,
                     float *out) {
  for (int64_t i = 0; i < M; ++i) {
    float m = -INFINITY, s = 0;
    for (int64_t j = 0; j < N; ++j) {
      float d0 = x[3 * i] - y[3 * j], d1 = x[3 * i + 1] - y[3 * j + 1],
            d2 = x[3 * i + 2] - y[3 * j + 2];
      float f = b[j] - g * (d0 * d0 + d1 * d1 + d2 * d2);
      if (f > m) {
        s = s * expf(m - f) + 1;
        m = f;
      } else {
        s += expf(f - m);
      }
    }
    out[i] = m + logf(s);
  }
}

typedef struct {
  int64_t M, N;
  const float *x, *y, *b;
  float g;
  float *out;
  float *e, *grad; /* conv_dx and lse_dx: e (M x 1), gradient (M x 3) */
  int64_t *idx;
  keops_options opts;
} Problem;

static double best(int reps, void (*run)(Problem *), Problem *p) {
  double t = 1e30;
  for (int r = 0; r < reps; ++r) {
    double start = now();
    run(p);
    double elapsed = now() - start;
    if (elapsed < t)
      t = elapsed;
  }
  return t;
}

static void runNaiveConv(Problem *p) { naiveConv(p->M, p->N, p->x, p->y, p->b, p->g, p->out); }
static void runNaiveLse(Problem *p) { naiveLse(p->M, p->N, p->x, p->y, p->b, p->g, p->out); }
static void runConv(Problem *p) {
  if (gaussian_bench_conv(p->M, p->N, p->x, p->y, p->b, &p->g, p->out, &p->opts) != KEOPS_OK)
    exit(1);
}
static void runLse(Problem *p) {
  if (gaussian_bench_lse(p->M, p->N, p->x, p->y, p->b, &p->g, p->out, &p->opts) != KEOPS_OK)
    exit(1);
}
static void runConvDx(Problem *p) {
  if (gaussian_bench_conv_dx(p->M, p->N, p->x, p->y, p->b, &p->g, p->e, p->grad, &p->opts) !=
      KEOPS_OK)
    exit(1);
}
static void runLseDx(Problem *p) {
  if (gaussian_bench_lse_dx(p->M, p->N, p->x, p->y, p->b, &p->g, p->e, p->grad, &p->opts) !=
      KEOPS_OK)
    exit(1);
}
static void runKnn(Problem *p) {
  if (gaussian_bench_knn(p->M, p->N, p->x, p->y, p->idx, &p->opts) != KEOPS_OK)
    exit(1);
}

int main(int argc, char **argv) {
  int64_t M = argc > 1 ? atoll(argv[1]) : 20000, N = argc > 2 ? atoll(argv[2]) : 20000;
  int threads = argc > 3 ? atoi(argv[3]) : 0, reps = argc > 4 ? atoi(argv[4]) : 3;
  float *x = malloc(sizeof(float) * 3 * (size_t)M), *y = malloc(sizeof(float) * 3 * (size_t)N);
  float *b = malloc(sizeof(float) * (size_t)N), *out = malloc(sizeof(float) * (size_t)M);
  int64_t *idx = malloc(sizeof(int64_t) * 10 * (size_t)M);
  float *e = malloc(sizeof(float) * (size_t)M), *grad = malloc(sizeof(float) * 3 * (size_t)M);
  srand(1);
  for (int64_t k = 0; k < 3 * M; ++k)
    x[k] = (float)rand() / (float)RAND_MAX;
  for (int64_t k = 0; k < 3 * N; ++k)
    y[k] = (float)rand() / (float)RAND_MAX;
  for (int64_t k = 0; k < N; ++k)
    b[k] = (float)rand() / (float)RAND_MAX;
  for (int64_t k = 0; k < M; ++k)
    e[k] = (float)rand() / (float)RAND_MAX;
  keops_options opts = KEOPS_OPTIONS_DEFAULT;
  opts.num_threads = threads;
  Problem p = {M, N, x, y, b, 2.0f, out, e, grad, idx, opts};

  double pairs = (double)M * (double)N;
  printf("M = %lld, N = %lld, threads = %d (0: all), best of %d\n", (long long)M, (long long)N,
         threads, reps);
  double tNaiveConv = best(reps, runNaiveConv, &p), tConv = best(reps, runConv, &p);
  printf("conv  Sum:       naive %.3f s, keopsc %.3f s (%.2f Gpairs/s), ratio %.2fx\n", tNaiveConv,
         tConv, pairs / tConv * 1e-9, tNaiveConv / tConv);
  double tNaiveLse = best(reps, runNaiveLse, &p), tLse = best(reps, runLse, &p);
  printf("lse   LogSumExp: naive %.3f s, keopsc %.3f s (%.2f Gpairs/s), ratio %.2fx\n", tNaiveLse,
         tLse, pairs / tLse * 1e-9, tNaiveLse / tLse);
  double tConvDx = best(reps, runConvDx, &p);
  printf("conv_dx Grad(conv, x): keopsc %.3f s (%.2f Gpairs/s), %.2fx the forward conv's time\n",
         tConvDx, pairs / tConvDx * 1e-9, tConvDx / tConv);
  double tLseDx = best(reps, runLseDx, &p);
  printf("lse_dx Grad(lse, x): keopsc %.3f s (%.2f Gpairs/s), %.2fx the forward lse's time\n",
         tLseDx, pairs / tLseDx * 1e-9, tLseDx / tLse);
  double tKnn = best(reps, runKnn, &p);
  printf("knn   ArgKMin K=10: keopsc %.3f s (%.2f Gpairs/s)\n", tKnn, pairs / tKnn * 1e-9);
  free(x);
  free(y);
  free(b);
  free(out);
  free(idx);
  free(e);
  free(grad);
  return 0;
}
