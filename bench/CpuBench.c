/* CpuBench.c: issue 11's CPU figures in one process: per kernel, ns per (i, j) pair for the
   naive scalar loop, the hand-tuned reference (bench/reference/) and keopsc's generated library,
   and keopsc / reference. Before timing, each kernel's reference and keopsc outputs are checked
   against a float64 brute force at a small size and the errors printed. Not a test: it never
   fails on speed. Usage: cpu_bench [M N threads reps]; D = 64 and D = 100 run on M/4 x N/4. */
#include "Reference.h"
#include "gaussian_bench.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

typedef struct {
  int64_t M, N; /* of this run: the full size, or the check's, or the naive loop's rows */
  int threads;
  const float *x, *y, *b, *e; /* x: M x D, y: N x D for the kernel's D */
  const double *xd, *yd, *bd;
  float g;
  float *out, *grad;
  double *outd;
  int64_t *idx;
} Run;

typedef enum { SUM, LAPLACE, LSE, GRAD, KNN, SUM64 } Kind;

typedef struct {
  const char *name;
  Kind kind;
  int D, quarter; /* quarter: run on M/4 x N/4 */
  float g;
  void (*keopsc)(Run *);
} Kernel;

static keops_options optsOf(const Run *r) {
  keops_options o = KEOPS_OPTIONS_DEFAULT;
  o.num_threads = r->threads;
  return o;
}
#define KEOPSC_CALL(call)                                                                          \
  do {                                                                                             \
    keops_options o = optsOf(r);                                                                   \
    if ((call) != KEOPS_OK) {                                                                      \
      fprintf(stderr, "keopsc call failed: %s\n", #call);                                          \
      exit(1);                                                                                     \
    }                                                                                              \
  } while (0)

static void kConv(Run *r) {
  KEOPSC_CALL(gaussian_bench_conv(r->M, r->N, r->x, r->y, r->b, &r->g, r->out, &o));
}
static void kLaplace(Run *r) {
  KEOPSC_CALL(gaussian_bench_laplace(r->M, r->N, r->x, r->y, r->b, &r->g, r->out, &o));
}
static void kLse(Run *r) {
  KEOPSC_CALL(gaussian_bench_lse(r->M, r->N, r->x, r->y, r->b, &r->g, r->out, &o));
}
static void kConvDx(Run *r) {
  KEOPSC_CALL(gaussian_bench_conv_dx(r->M, r->N, r->x, r->y, r->b, &r->g, r->e, r->grad, &o));
}
static void kKnn(Run *r) { KEOPSC_CALL(gaussian_bench_knn(r->M, r->N, r->x, r->y, r->idx, &o)); }
static void kKnn64(Run *r) {
  KEOPSC_CALL(gaussian_bench_knn_d64(r->M, r->N, r->x, r->y, r->idx, &o));
}
static void kConv100(Run *r) {
  KEOPSC_CALL(gaussian_bench_conv_d100(r->M, r->N, r->x, r->y, r->b, &r->g, r->out, &o));
}
static void kConv64(Run *r) {
  double g = r->g;
  KEOPSC_CALL(gaussian_bench_conv_f64(r->M, r->N, r->xd, r->yd, r->bd, &g, r->outd, &o));
}

static void reference(const Kernel *k, Run *r) {
  switch (k->kind) {
  case SUM:
    ref_gauss_f32(r->M, r->N, k->D, r->x, r->y, r->b, r->g, r->out, r->threads);
    break;
  case LAPLACE:
    ref_laplace_f32(r->M, r->N, r->x, r->y, r->b, r->g, r->out, r->threads);
    break;
  case LSE:
    ref_lse_f32(r->M, r->N, r->x, r->y, r->b, r->g, r->out, r->threads);
    break;
  case GRAD:
    ref_gauss_dx_f32(r->M, r->N, r->x, r->y, r->b, r->g, r->e, r->grad, r->threads);
    break;
  case KNN:
    ref_argkmin10_f32(r->M, r->N, k->D, r->x, r->y, r->idx, r->threads);
    break;
  case SUM64:
    ref_gauss_f64(r->M, r->N, r->xd, r->yd, r->bd, r->g, r->outd, r->threads);
    break;
  }
}

/* The textbook double loop, one thread, in the kernel's own precision (libm exp). */
static void naive(const Kernel *k, Run *r) {
  const int D = k->D;
  for (int64_t i = 0; i < r->M; ++i) {
    if (k->kind == SUM64) {
      double s = 0;
      for (int64_t j = 0; j < r->N; ++j) {
        double q = 0;
        for (int d = 0; d < 3; ++d)
          q += (r->xd[3 * i + d] - r->yd[3 * j + d]) * (r->xd[3 * i + d] - r->yd[3 * j + d]);
        s += exp(-r->g * q) * r->bd[j];
      }
      r->outd[i] = s;
      continue;
    }
    float s = 0, m = -INFINITY, a[3] = {0, 0, 0}, bd[10];
    int64_t bi[10];
    for (int t = 0; t < 10; ++t)
      bd[t] = INFINITY, bi[t] = -1;
    for (int64_t j = 0; j < r->N; ++j) {
      float q = 0;
      for (int d = 0; d < D; ++d)
        q += (r->x[D * i + d] - r->y[D * j + d]) * (r->x[D * i + d] - r->y[D * j + d]);
      if (k->kind == SUM)
        s += expf(-r->g * q) * r->b[j];
      else if (k->kind == LAPLACE)
        s += expf(-r->g * sqrtf(q)) * r->b[j];
      else if (k->kind == GRAD) {
        float w = expf(-r->g * q) * r->b[j];
        for (int d = 0; d < 3; ++d)
          a[d] += w * (r->x[3 * i + d] - r->y[3 * j + d]);
      } else if (k->kind == LSE) {
        float f = r->b[j] - r->g * q;
        if (f > m) {
          s = s * expf(m - f) + 1;
          m = f;
        } else
          s += expf(f - m);
      } else if (q < bd[9]) {
        int p = 9;
        for (; p > 0 && bd[p - 1] > q; --p)
          bd[p] = bd[p - 1], bi[p] = bi[p - 1];
        bd[p] = q, bi[p] = j;
      }
    }
    if (k->kind == LSE)
      r->out[i] = m + logf(s);
    else if (k->kind == GRAD)
      for (int d = 0; d < 3; ++d)
        r->grad[3 * i + d] = -2 * r->g * r->e[i] * a[d];
    else if (k->kind == KNN)
      memcpy(r->idx + 10 * i, bi, sizeof bi);
    else
      r->out[i] = s;
  }
}

static double sqDist64(const Run *r, int D, int64_t i, int64_t j) {
  double q = 0;
  for (int d = 0; d < D; ++d) {
    double t = (double)r->x[D * i + d] - (double)r->y[D * j + d];
    q += t * t;
  }
  return q;
}

/* The error of r's outputs against float64: relative (max |o - t| / max |t| for the gradient,
   / max(1, |t|) for LogSumExp); for k-NN, the count of slots whose index differs from the
   float64 order and whose float64 distance differs by more than 1e-6 relative (not a tie). */
static double error(const Kernel *k, const Run *r) {
  const int D = k->D;
  double worst = 0, gradScale = 0;
  for (int64_t i = 0; i < r->M; ++i) {
    double s = 0, m = -INFINITY, a[3] = {0, 0, 0}, bd[10];
    int64_t bi[10];
    for (int t = 0; t < 10; ++t)
      bd[t] = INFINITY, bi[t] = -1;
    for (int64_t j = 0; j < r->N; ++j) {
      double q = 0;
      if (k->kind == SUM64)
        for (int d = 0; d < 3; ++d)
          q += (r->xd[3 * i + d] - r->yd[3 * j + d]) * (r->xd[3 * i + d] - r->yd[3 * j + d]);
      else
        q = sqDist64(r, D, i, j);
      double g = r->g, b = k->kind == SUM64 ? r->bd[j] : k->kind == KNN ? 0 : r->b[j];
      if (k->kind == SUM || k->kind == SUM64)
        s += exp(-g * q) * b;
      else if (k->kind == LAPLACE)
        s += exp(-g * sqrt(q)) * b;
      else if (k->kind == GRAD)
        for (int d = 0; d < 3; ++d)
          a[d] += exp(-g * q) * b * ((double)r->x[3 * i + d] - (double)r->y[3 * j + d]);
      else if (k->kind == LSE) {
        double f = b - g * q;
        if (f > m)
          s = s * exp(m - f) + 1, m = f;
        else
          s += exp(f - m);
      } else if (q < bd[9]) {
        int p = 9;
        for (; p > 0 && bd[p - 1] > q; --p)
          bd[p] = bd[p - 1], bi[p] = bi[p - 1];
        bd[p] = q, bi[p] = j;
      }
    }
    if (k->kind == SUM || k->kind == LAPLACE)
      worst = fmax(worst, fabs(r->out[i] - s) / fabs(s));
    else if (k->kind == SUM64)
      worst = fmax(worst, fabs(r->outd[i] - s) / fabs(s));
    else if (k->kind == LSE)
      worst = fmax(worst, fabs(r->out[i] - (m + log(s))) / fmax(1, fabs(m + log(s))));
    else if (k->kind == GRAD)
      for (int d = 0; d < 3; ++d) {
        double t = -2 * r->g * r->e[i] * a[d];
        gradScale = fmax(gradScale, fabs(t));
        worst = fmax(worst, fabs(r->grad[3 * i + d] - t));
      }
    else
      for (int t = 0; t < 10; ++t) {
        int64_t got = r->idx[10 * i + t];
        if (got != bi[t] &&
            (got < 0 || got >= r->N || fabs(sqDist64(r, D, i, got) - bd[t]) > 1e-6 * bd[t]))
          worst += 1;
      }
  }
  return k->kind == GRAD ? worst / gradScale : worst;
}

static double best(int reps, void (*run)(const Kernel *, Run *), const Kernel *k, Run *r) {
  double t = 1e30;
  for (int rep = 0; rep < reps; ++rep) {
    double start = now();
    run(k, r);
    t = fmin(t, now() - start);
  }
  return t;
}
static void viaKeopsc(const Kernel *k, Run *r) { k->keopsc(r); }

static float *randomFloats(int64_t n) {
  float *v = malloc(sizeof(float) * (size_t)n);
  for (int64_t k = 0; k < n; ++k)
    v[k] = (float)rand() / (float)RAND_MAX;
  return v;
}
static double *widen(const float *v, int64_t n) {
  double *w = malloc(sizeof(double) * (size_t)n);
  for (int64_t k = 0; k < n; ++k)
    w[k] = v[k];
  return w;
}

int main(int argc, char **argv) {
  int64_t M = argc > 1 ? atoll(argv[1]) : 20000, N = argc > 2 ? atoll(argv[2]) : 20000;
  int threads = argc > 3 ? atoi(argv[3]) : 0, reps = argc > 4 ? atoi(argv[4]) : 3;
  const Kernel kernels[] = {
      {"Gaussian sum D=3", SUM, 3, 0, 2.0f, kConv},
      {"Laplace sum D=3", LAPLACE, 3, 0, 2.0f, kLaplace},
      {"LogSumExp D=3", LSE, 3, 0, 2.0f, kLse},
      {"LogSumExp D=3, g=32 (spread)", LSE, 3, 0, 32.0f, kLse},
      {"Grad(Gaussian sum, x) D=3", GRAD, 3, 0, 2.0f, kConvDx},
      {"ArgKMin K=10 D=3", KNN, 3, 0, 0.0f, kKnn},
      {"ArgKMin K=10 D=64", KNN, 64, 1, 0.0f, kKnn64},
      {"Gaussian sum D=100", SUM, 100, 1, 0.06f, kConv100},
      {"Gaussian sum D=3 float64", SUM64, 3, 0, 2.0f, kConv64},
  };
  srand(1);
  float *x = randomFloats(100 * M), *y = randomFloats(100 * N), *b = randomFloats(N),
        *e = randomFloats(M);
  double *xd = widen(x, 3 * M), *yd = widen(y, 3 * N), *bd = widen(b, N);
  float *out = malloc(sizeof(float) * (size_t)M), *grad = malloc(sizeof(float) * 3 * (size_t)M);
  double *outd = malloc(sizeof(double) * (size_t)M);
  int64_t *idx = malloc(sizeof(int64_t) * 10 * (size_t)M);

  printf("cpu_bench: M = %lld, N = %lld (D = 64, 100: M/4 x N/4), threads = %d (0: 2 for the "
         "reference, all for keopsc), best of %d; reference path: %s\n",
         (long long)M, (long long)N, threads, reps, ref_isa_name());
  printf("naive: one thread on a tenth of the rows; errors vs float64 at 200 x 2000 (k-NN: "
         "wrong indices, ties aside)\n\n");
  printf("| kernel | M x N | naive ns/pair | reference ns/pair | keopsc ns/pair | keopsc/ref | "
         "ref error | keopsc error |\n|---|---|---|---|---|---|---|---|\n");
  for (size_t n = 0; n < sizeof kernels / sizeof kernels[0]; ++n) {
    const Kernel *k = &kernels[n];
    int64_t m = k->quarter ? M / 4 : M, nn = k->quarter ? N / 4 : N;
    Run r = {m, nn, threads, x, y, b, e, xd, yd, bd, k->g, out, grad, outd, idx};
    Run small = r;
    small.M = m < 200 ? m : 200;
    small.N = nn < 2000 ? nn : 2000;
    reference(k, &small);
    double refErr = error(k, &small);
    k->keopsc(&small);
    double keopscErr = error(k, &small);
    Run few = r;
    few.M = m / 10 > 0 ? m / 10 : 1;
    double pairs = (double)m * (double)nn;
    double tNaive = best(1, naive, k, &few) / ((double)few.M * (double)nn);
    double tRef = best(reps, reference, k, &r), tKeopsc = best(reps, viaKeopsc, k, &r);
    printf("| %s | %lld x %lld | %.3f | %.4f | %.4f | %.1fx | %.1e | %.1e |\n", k->name,
           (long long)m, (long long)nn, tNaive * 1e9, tRef / pairs * 1e9, tKeopsc / pairs * 1e9,
           tKeopsc / tRef, refErr, keopscErr);
    fflush(stdout);
  }
  free(x), free(y), free(b), free(e), free(xd), free(yd), free(bd);
  free(out), free(grad), free(outd), free(idx);
  return 0;
}
