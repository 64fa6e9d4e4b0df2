/* ranges-batch-from-c.kfl: block-sparse ranges and a batch from C99, against plain C sums. */
#include "rb.h"

#include <math.h>
#include <stdio.h>

#define M 210
#define N 300

static double x[2 * M], y[N], out[2 * M];

/* Σ_{j in [j0, j1)} x[i] y[j], in double: the terms are small integers, so sums are exact. */
static double sum(const double *xs, int64_t i, int64_t j0, int64_t j1) {
  double s = 0;
  for (int64_t j = j0; j < j1; ++j)
    s += xs[i] * y[j];
  return s;
}

int main(void) {
  for (int k = 0; k < 2 * M; ++k)
    x[k] = (k * 7) % 11 - 5;
  for (int k = 0; k < N; ++k)
    y[k] = (k * 5) % 13 - 6;
  /* i clusters [0,100) [100,200) (rows 200..209 in none); j clusters [0,50) [50,300). */
  int64_t ci[] = {0, 100, 100, 200}, cj[] = {0, 50, 50, 300}, storage[2 + 2 + 4 * 2];
  uint8_t mask[] = {1, 0, 0, 1};
  keops_ranges ranges;
  keops_status st = rb_ranges_from_blocks(2, ci, 2, cj, mask, storage, 12, &ranges);
  printf("from_blocks=%d nredranges_j=%lld nredranges_i=%lld\n", (int)st,
         (long long)ranges.nredranges_j, (long long)ranges.nredranges_i);
  keops_options o = KEOPS_OPTIONS_DEFAULT;
  o.ranges = &ranges;
  st = rb_conv(M, N, x, y, out, &o);
  int mismatches = 0, uncovered = 0;
  for (int64_t i = 0; i < M; ++i) {
    double want = i < 100 ? sum(x, i, 0, 50) : i < 200 ? sum(x, i, 50, 300) : 0;
    mismatches += out[i] != want;
    uncovered += i >= 200 && out[i] != 0;
  }
  printf("ranges=%d mismatches=%d uncovered=%d\n", (int)st, mismatches, uncovered);

  const uint8_t shared[] = {0, 1};
  o = (keops_options)KEOPS_OPTIONS_DEFAULT;
  o.batch = 2;
  o.batch_shared = shared;
  st = rb_conv(M, N, x, y, out, &o);
  mismatches = 0;
  for (int64_t k = 0; k < 2 * M; ++k)
    mismatches += out[k] != sum(x, k, 0, N);
  printf("batch=%d mismatches=%d\n", (int)st, mismatches);

  int64_t badI[] = {0, 100, 100, 250}, slices[] = {1, 2}, redJ[] = {0, 10, 20, 30};
  keops_ranges bad = {2, badI, slices, 2, redJ, 0, NULL, NULL, 0, NULL};
  o = (keops_options)KEOPS_OPTIONS_DEFAULT;
  o.ranges = &bad;
  for (int k = 0; k < 2 * M; ++k)
    out[k] = NAN;
  st = rb_conv(M, N, x, y, out, &o);
  int untouched = 1;
  for (int k = 0; k < 2 * M; ++k)
    untouched &= isnan(out[k]);
  printf("bad=%d untouched=%d message=%s\n", (int)st, untouched, rb_last_error());
  return 0;
}
