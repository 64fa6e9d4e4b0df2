/* partials.kfl's program: reductions split over parts of their reduced axis, against the
   one-call entry points; then bad arguments, each with its status. */
#include "parts.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { M = 50, N = 1000, PARTS = 5 };
static float x[M * 3], y[N * 3], b[N * 2], g[1] = {0.7f};
/* Part p is [cuts[p], cuts[p + 1]): two empty parts. */
static const int64_t cutsN[PARTS + 1] = {0, 0, 333, 333, 700, N};
static const int64_t cutsM[PARTS + 1] = {0, 20, 20, 21, 49, M};
static unsigned char states[PARTS][N * 40];

static float rnd(void) { return (float)rand() / (float)RAND_MAX * 2 - 1; }

static double worstDiff(const float *a, const float *c, int n) {
  double worst = 0;
  for (int i = 0; i < n; ++i)
    worst = fmax(worst, fabs((double)a[i] - (double)c[i]));
  return worst;
}

/* Merges every part into part `into`, in a scrambled order. */
#define MERGE_ALL(fn, rows, into)                                                                 \
  do {                                                                                            \
    static const int order[PARTS] = {3, 0, 4, 1, 2};                                              \
    for (int q = 0; q < PARTS; ++q)                                                               \
      if (order[q] != (into))                                                                     \
        fn(rows, states[into], states[order[q]]);                                                 \
  } while (0)

int main(void) {
  for (int i = 0; i < M * 3; ++i)
    x[i] = rnd();
  for (int i = 0; i < N * 3; ++i)
    y[i] = rnd();
  for (int i = 0; i < N * 2; ++i)
    b[i] = rnd();
  int ok;
  {
    float one[M * 2], fin[M * 2];
    ok = parts_conv(M, N, x, y, b, g, one, NULL) == KEOPS_OK;
    for (int p = 0; p < PARTS; ++p)
      ok &= parts_conv_partial(M, cutsN[p + 1] - cutsN[p], x, y + cutsN[p] * 3, b + cutsN[p] * 2, g,
                               cutsN[p], states[p], NULL) == KEOPS_OK;
    MERGE_ALL(parts_conv_merge, M, 2);
    memset(fin, 0xff, sizeof fin);
    ok &= parts_conv_finalize(M, states[2], fin) == KEOPS_OK;
    printf("conv: ok=%d\n", ok && worstDiff(one, fin, M * 2) < 1e-4);
  }
  {
    int64_t one[M * 3], fin[M * 3];
    ok = parts_knn(M, N, x, y, one, NULL) == KEOPS_OK;
    for (int p = 0; p < PARTS; ++p)
      ok &= parts_knn_partial(M, cutsN[p + 1] - cutsN[p], x, y + cutsN[p] * 3, cutsN[p], states[p],
                              NULL) == KEOPS_OK;
    MERGE_ALL(parts_knn_merge, M, 4);
    memset(fin, 0xff, sizeof fin);
    ok &= parts_knn_finalize(M, states[4], fin) == KEOPS_OK;
    printf("knn: ok=%d\n", ok && memcmp(one, fin, sizeof one) == 0);
  }
  {
    float ov[M], fv[M];
    int64_t oi[M], fi[M];
    ok = parts_mn(M, N, x, y, ov, oi, NULL) == KEOPS_OK;
    for (int p = 0; p < PARTS; ++p)
      ok &= parts_mn_partial(M, cutsN[p + 1] - cutsN[p], x, y + cutsN[p] * 3, cutsN[p], states[p],
                             NULL) == KEOPS_OK;
    MERGE_ALL(parts_mn_merge, M, 0);
    memset(fv, 0xff, sizeof fv);
    memset(fi, 0xff, sizeof fi);
    ok &= parts_mn_finalize(M, states[0], fv, fi) == KEOPS_OK;
    printf("mn: ok=%d\n", ok && memcmp(ov, fv, sizeof ov) == 0 && memcmp(oi, fi, sizeof oi) == 0);
  }
  {
    static float one[N * 2], fin[N * 2];
    ok = parts_soft(M, N, x, y, b, g, one, NULL) == KEOPS_OK;
    for (int p = 0; p < PARTS; ++p) /* over i: parts of x */
      ok &= parts_soft_partial(cutsM[p + 1] - cutsM[p], N, x + cutsM[p] * 3, y, b, g, cutsM[p],
                               states[p], NULL) == KEOPS_OK;
    MERGE_ALL(parts_soft_merge, N, 1);
    memset(fin, 0xff, sizeof fin);
    ok &= parts_soft_finalize(N, states[1], fin) == KEOPS_OK;
    printf("soft: ok=%d\n", ok && worstDiff(one, fin, N * 2) < 1e-4);
  }
  {
    float one[M], fin[M];
    ok = parts_lse(M, N, x, y, g, one, NULL) == KEOPS_OK;
    for (int p = 0; p < PARTS; ++p)
      ok &= parts_lse_partial(M, cutsN[p + 1] - cutsN[p], x, y + cutsN[p] * 3, g, cutsN[p],
                              states[p], NULL) == KEOPS_OK;
    MERGE_ALL(parts_lse_merge, M, 3);
    memset(fin, 0xff, sizeof fin);
    ok &= parts_lse_finalize(M, states[3], fin) == KEOPS_OK;
    printf("lse: ok=%d\n", ok && worstDiff(one, fin, M) < 1e-4);
  }
  /* Bad arguments: a status each, the state untouched. */
  unsigned char before[sizeof states[0]];
  memset(states[0], 0x5a, sizeof states[0]);
  memcpy(before, states[0], sizeof before);
#define UNTOUCHED (memcmp(before, states[0], sizeof before) == 0)
  int st = parts_lse_partial(M, N, x, y, g, 0, NULL, NULL);
  printf("null state: %d untouched=%d\n", st, UNTOUCHED);
  st = parts_lse_partial(M, N, x, y, g, -1, states[0], NULL);
  printf("negative offset: %d untouched=%d\n", st, UNTOUCHED);
  keops_options opts = KEOPS_OPTIONS_DEFAULT;
  int64_t none = 0;
  keops_ranges ranges = {0, &none, &none, 0, &none, 0, &none, &none, 0, &none};
  opts.ranges = &ranges;
  st = parts_lse_partial(M, N, x, y, g, 0, states[0], &opts);
  printf("ranges: %d untouched=%d\n", st, UNTOUCHED);
  opts = (keops_options)KEOPS_OPTIONS_DEFAULT;
  opts.batch = 2;
  st = parts_lse_partial(M, N, x, y, g, 0, states[0], &opts);
  printf("batch: %d untouched=%d\n", st, UNTOUCHED);
  opts = (keops_options)KEOPS_OPTIONS_DEFAULT;
  opts.backend = KEOPS_BACKEND_CUDA;
  st = parts_lse_partial(M, N, x, y, g, 0, states[0], &opts);
  printf("cuda backend: %d untouched=%d\n", st, UNTOUCHED);
  printf("negative rows: %d\n", (int)parts_lse_merge(-1, states[0], states[1]));
  printf("merge into itself: %d\n", (int)parts_lse_merge(M, states[0], states[0]));
  printf("finalize null output: %d\n", (int)parts_lse_finalize(M, states[0], NULL));
  return 0;
}
