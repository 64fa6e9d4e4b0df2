/* A float32 Sum over N = 10^6 positive, near-equal terms (one output row), with each summation
   scheme, against a float64 sum of the same float32 inputs. SPEC.md §7.2: block_sum and
   kahan_scheme stay within 1e-6 relative; direct_sum (64 float32 partial sums of ~15600 terms
   each) drifts measurably more. Prints the errors and a verdict per claim. */
#include "longsum.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define N 1000000

int main(void) {
  float *y = malloc(sizeof(float) * N);
  if (!y)
    return 2;
  /* Deterministic terms in [1, 1.01): a float32 running sum rounds the same way for long
     stretches, so rounding errors accumulate instead of cancelling. */
  uint64_t state = 20261201u;
  double exact = 0;
  for (int64_t j = 0; j < N; ++j) {
    state = state * 6364136223846793005u + 1442695040888963407u;
    y[j] = (float)(1.0 + 0.01 * (double)(state >> 11) / 9007199254740992.0);
    exact += (double)y[j];
  }
  const float x = 0.0f;
  float direct = NAN, block = NAN, kahan = NAN;
  int st = (int)longsum_direct(1, N, &x, y, &direct, NULL);
  st |= (int)longsum_block(1, N, &x, y, &block, NULL);
  st |= (int)longsum_kahan(1, N, &x, y, &kahan, NULL);
  const double eDirect = fabs(direct - exact) / exact, eBlock = fabs(block - exact) / exact,
               eKahan = fabs(kahan - exact) / exact;
  printf("status=%d\n", st);
  printf("relative errors: direct_sum %.3g, block_sum %.3g, kahan_scheme %.3g\n", eDirect, eBlock,
         eKahan);
  printf("block_sum within 1e-6: %s\n", eBlock <= 1e-6 ? "yes" : "no");
  printf("kahan_scheme within 1e-6: %s\n", eKahan <= 1e-6 ? "yes" : "no");
  printf("direct_sum at least 10x worse than both: %s\n",
         eDirect >= 10 * eBlock && eDirect >= 10 * eKahan ? "yes" : "no");
  free(y);
  return 0;
}
