/* gaussian.c: calls every entry point of gaussian.kfl and compares it with a plain double loop.
   A user's starting point, not the test suite (tests/conformance checks every size and reduction).
 */
#include "gaussian.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

enum { M = 1000, N = 800, D = 3, K = 3 };

/* Tolerances for this file's sizes (SPEC.md §7.4 allows more; these are what a user can expect). */
static const double kTol32 = 1e-5;
static const double kTol64 = 1e-12;

/* A fixed-seed generator so that the example prints the same numbers on every machine. */
static double uniform01(uint64_t *state) {
  *state = *state * 6364136223846793005ull + 1442695040888963407ull;
  return (double)(*state >> 11) * (1.0 / 9007199254740992.0);
}

static double sqDist(const double *a, const double *b) {
  double s = 0;
  int k;
  for (k = 0; k < D; ++k)
    s += (a[k] - b[k]) * (a[k] - b[k]);
  return s;
}

static int check(keops_status st, const char *what) {
  if (st == KEOPS_OK)
    return 1;
  fprintf(stderr, "%s failed: status %d: %s\n", what, (int)st, gaussian_last_error());
  return 0;
}

/* Inputs in float and the same values in double (for conv64 and the references), so that every
   entry point and every reference sees exactly the same data. */
typedef struct {
  float xf[M * D], yf[N * D], bf[N], sf;
  double x[M * D], y[N * D], b[N], s;
} Inputs;

static void fillInputs(Inputs *in) {
  uint64_t state = 42;
  int e;
  for (e = 0; e < M * D; ++e)
    in->x[e] = in->xf[e] = (float)uniform01(&state);
  for (e = 0; e < N * D; ++e)
    in->y[e] = in->yf[e] = (float)uniform01(&state);
  for (e = 0; e < N; ++e)
    in->b[e] = in->bf[e] = (float)uniform01(&state);
  in->s = in->sf = 2.0f;
}

/* max_i |out_i - ref_i| / sum_j |F_ij|: the error relative to the size of the terms summed. */
static double convError(const Inputs *in, const float *out32, const double *out64) {
  double worst = 0;
  int i, j;
  for (i = 0; i < M; ++i) {
    double ref = 0, mag = 0, got, err;
    for (j = 0; j < N; ++j) {
      double f = exp(-in->s * sqDist(&in->x[i * D], &in->y[j * D])) * in->b[j];
      ref += f;
      mag += fabs(f);
    }
    got = out32 ? (double)out32[i] : out64[i];
    err = fabs(got - ref) / mag;
    if (!(err <= worst)) /* also catches NaN */
      worst = err;
  }
  return worst;
}

/* conv64_dx against the derivative written by hand: e_i sum_j -2 s (x_i - y_j) exp(-s d_ij) b_j;
   the error of each row relative to the sum of its terms' magnitudes. */
static double gradError(const Inputs *in, const double *e, const double *grad) {
  double worst = 0;
  int i, j, k;
  for (i = 0; i < M; ++i)
    for (k = 0; k < D; ++k) {
      double ref = 0, mag = 0, err;
      for (j = 0; j < N; ++j) {
        double f = -2 * in->s * e[i] * (in->x[i * D + k] - in->y[j * D + k]) *
                   exp(-in->s * sqDist(&in->x[i * D], &in->y[j * D])) * in->b[j];
        ref += f;
        mag += fabs(f);
      }
      err = fabs(grad[i * D + k] - ref) / mag;
      if (!(err <= worst)) /* also catches NaN */
        worst = err;
    }
  return worst;
}

/* |out_i - ref_i| / (max_j |F_ij| + |ref_i| + 1), the LogSumExp tolerance's scale. */
static double logconvError(const Inputs *in, const float *out) {
  double worst = 0;
  int i, j;
  for (i = 0; i < M; ++i) {
    double m = -INFINITY, s = 0, big = 0, ref, err;
    for (j = 0; j < N; ++j) {
      double f = in->b[j] - in->s * sqDist(&in->x[i * D], &in->y[j * D]);
      if (fabs(f) > big)
        big = fabs(f);
      if (f > m) {
        s = s * exp(m - f) + 1;
        m = f;
      } else {
        s += exp(f - m);
      }
    }
    ref = m + log(s);
    err = fabs((double)out[i] - ref) / (big + fabs(ref) + 1);
    if (!(err <= worst))
      worst = err;
  }
  return worst;
}

/* The k-th smallest distance of row i (ties to the smaller index), by selection: K is small. */
static double kthDistance(const Inputs *in, int i, int k, int64_t *index) {
  double last = -1;
  int64_t lastIdx = -1;
  int r, j;
  for (r = 0; r <= k; ++r) {
    double best = INFINITY;
    int64_t bestIdx = -1;
    for (j = 0; j < N; ++j) {
      double d = sqDist(&in->x[i * D], &in->y[j * D]);
      int after = d > last || (d == last && j > lastIdx);
      if (after && d < best) {
        best = d;
        bestIdx = j;
      }
    }
    last = best;
    lastIdx = bestIdx;
  }
  *index = lastIdx;
  return last;
}

/* Number of k-NN slots whose point is not at the reference distance (indices may differ on ties).
 */
static int knnMismatches(const Inputs *in, const int64_t *idx) {
  int bad = 0, i, k;
  for (i = 0; i < M; ++i)
    for (k = 0; k < K; ++k) {
      int64_t refIdx, got = idx[i * K + k];
      double ref = kthDistance(in, i, k, &refIdx);
      if (got == refIdx)
        continue;
      if (got < 0 || got >= N ||
          fabs(sqDist(&in->x[i * D], &in->y[got * D]) - ref) > kTol32 * ref) {
        if (bad++ < 5)
          fprintf(stderr, "knn row %d slot %d: index %lld, expected %lld\n", i, k, (long long)got,
                  (long long)refIdx);
      }
    }
  return bad;
}

int main(void) {
  static Inputs in;
  static float conv[M], logconv[M];
  static double conv64[M], e[M], grad[M * D];
  static int64_t knn[M * K];
  double e32, e64, eLog, eGrad;
  int badKnn, i;

  fillInputs(&in);
  for (i = 0; i < M; ++i)
    e[i] = 1.0 + (double)(i % 7) / 7; /* the adjoint: d<e, conv64>/dx */
  if (!check(gaussian_conv(M, N, in.xf, in.yf, in.bf, &in.sf, conv, NULL), "gaussian_conv") ||
      !check(gaussian_conv64(M, N, in.x, in.y, in.b, &in.s, conv64, NULL), "gaussian_conv64") ||
      !check(gaussian_logconv(M, N, in.xf, in.yf, in.bf, &in.sf, logconv, NULL),
             "gaussian_logconv") ||
      !check(gaussian_conv64_dx(M, N, in.x, in.y, in.b, &in.s, e, grad, NULL),
             "gaussian_conv64_dx") ||
      !check(gaussian_knn(M, N, in.xf, in.yf, knn, NULL), "gaussian_knn"))
    return 1;

  for (i = 0; i < 3; ++i)
    printf("row %d: conv %.7g  conv64 %.15g  logconv %.7g  knn %lld %lld %lld\n", i, conv[i],
           conv64[i], logconv[i], (long long)knn[i * K], (long long)knn[i * K + 1],
           (long long)knn[i * K + 2]);

  e32 = convError(&in, conv, NULL);
  e64 = convError(&in, NULL, conv64);
  eLog = logconvError(&in, logconv);
  eGrad = gradError(&in, e, grad);
  badKnn = knnMismatches(&in, knn);
  printf("max relative error: conv %.3g (tol %g), conv64 %.3g (tol %g), logconv %.3g (tol %g)\n",
         e32, kTol32, e64, kTol64, eLog, kTol32);
  printf("gradient conv64_dx row 0: %.15g %.15g %.15g, max relative error %.3g (tol %g)\n", grad[0],
         grad[1], grad[2], eGrad, kTol64);
  printf("knn: %d of %d slots disagree\n", badKnn, M * K);
  if (!(e32 <= kTol32) || !(e64 <= kTol64) || !(eLog <= kTol32) || !(eGrad <= kTol64) || badKnn) {
    printf("FAILED\n");
    return 1;
  }
  printf("OK\n");
  return 0;
}
