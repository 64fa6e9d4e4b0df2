/* Used by softmax-special-values.kfl: the LogSumExp family's special cases through the generated
 * entry points, each case as one output row (M = 1 on axis 1, N = 1 on axis 0). */
#include "sm.h"

#include <math.h>
#include <stdio.h>

static int failed = 0;

/* NaN's sign is not portable in printf: print every NaN as "nan". */
static void print(const char *label, const float *values, int count) {
  printf(" %s", label);
  for (int k = 0; k < count; ++k) {
    if (isnan(values[k]))
      printf(" nan");
    else
      printf(" %.6g", (double)values[k]);
  }
}

/* Runs every entry point on the terms f[0..n) with weights w[n][2]; outputs are poisoned. */
static void run(const char *name, const float *f, const float *w, int n) {
  const float zero = 0.0f;
  float out[2], m[1], s[2];
  printf("%s:", name);
  out[0] = out[1] = 7.0f;
  failed |= sm_lse(1, n, &zero, f, w, out, NULL);
  print("lse", out, 2);
  out[0] = out[1] = 7.0f;
  failed |= sm_lsew(1, n, &zero, f, w, out, NULL);
  print("lsew", out, 2);
  out[0] = out[1] = 7.0f;
  failed |= sm_soft(1, n, &zero, f, w, out, NULL);
  print("soft", out, 2);
  out[0] = out[1] = 7.0f;
  failed |= sm_soft0(n, 1, f, &zero, w, out, NULL);
  print("soft0", out, 2);
  out[0] = 7.0f;
  failed |= sm_lsec(1, n, &zero, f, out, NULL);
  print("lsec", out, 1);
  m[0] = s[0] = s[1] = 7.0f;
  failed |= sm_pair(1, n, &zero, f, m, s, NULL);
  print("pair", m, 1);
  print("/", s, 1);
  m[0] = s[0] = s[1] = 7.0f;
  failed |= sm_pairw0(n, 1, f, &zero, w, m, s, NULL);
  print("pairw0", m, 1);
  print("/", s, 2);
  printf("\n");
}

int main(void) {
  const float inf = INFINITY, nan = NAN;
  /* Masked terms carry NaN weights: a -inf term contributes exactly 0, its weight unread. */
  const float masked[4] = {-inf, 0, -inf, 0};
  const float maskedW[4][2] = {{nan, nan}, {1, 2}, {nan, nan}, {3, -4}};
  const float allMinusInf[3] = {-inf, -inf, -inf};
  const float plusInf[3] = {1, inf, 2};
  const float zeroSum[2] = {0, 0};
  const float zeroSumW[2][2] = {{1, -1}, {-1, -1}};
  const float withNan[3] = {1, nan, 2};
  const float ones[3][2] = {{1, 1}, {1, 1}, {1, 1}};
  run("masked", masked, &maskedW[0][0], 4);
  run("all -inf", allMinusInf, &ones[0][0], 3);
  run("+inf", plusInf, &ones[0][0], 3);
  run("empty", NULL, NULL, 0);
  run("zero and negative", zeroSum, &zeroSumW[0][0], 2);
  run("nan", withNan, &ones[0][0], 3);
  printf("status %d\n", failed);
  return 0;
}
