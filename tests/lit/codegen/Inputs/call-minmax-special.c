/* Used by minmax-special-values.kfl: prints Min/Max reductions on ties, NaNs, infinities and
   empty reductions. Outputs are poisoned first, so a value not written shows. */
#include "mm.h"

#include <math.h>
#include <stdio.h>

/* NaN's sign is not portable in printf: print every NaN as "nan". */
static void printValue(double v) {
  if (isnan(v))
    printf(" nan");
  else
    printf(" %g", v);
}

static void printIndices(const int64_t *indices, int count) {
  for (int k = 0; k < count; ++k)
    printf(" %lld", (long long)indices[k]);
}

/* Two rows of two components: "label: v v | i i || v v | i i". */
static void printPairs(const char *label, const float *values, const int64_t *indices) {
  printf("%s:", label);
  for (int r = 0; r < 2; ++r) {
    printValue(values[2 * r]);
    printValue(values[2 * r + 1]);
    printf(" |");
    printIndices(indices + 2 * r, 2);
    printf(r == 0 ? " ||" : "\n");
  }
}

static void poison(float *values, int64_t *indices) {
  for (int k = 0; k < 4; ++k) {
    values[k] = 12345.0f;
    indices[k] = -7;
  }
}

int main(void) {
  const float inf = INFINITY, nan = NAN;
  const float xTies[2][2] = {{0, 0}, {inf, -inf}};
  const float yTies[5][2] = {{3, -1}, {1, 4}, {2, 4}, {1, -1}, {1, 0}};
  const float xNan[2][2] = {{0, 0}, {nan, 0}};
  const float yNan[5][2] = {{3, 2}, {1, nan}, {2, 0}, {-5, nan}, {1, -1}};
  const float xCol[5][2] = {{3, 2}, {1, nan}, {1, 0}, {-inf, nan}, {-inf, -1}};
  const float zero[2] = {0, 0};
  const double x64[3][2] = {{1, -INFINITY}, {2, -INFINITY}, {2, -INFINITY}};
  const double zero64[2] = {0, 0};
  float values[4];
  int64_t indices[4];
  double values64[2];
  int failed = 0;

  poison(values, indices);
  failed |= mm_mn(2, 5, &xTies[0][0], &yTies[0][0], values, indices, NULL);
  printPairs("mn ties", values, indices);
  poison(values, indices);
  failed |= mm_mx(2, 5, &xTies[0][0], &yTies[0][0], values, indices, NULL);
  printPairs("mx ties", values, indices);
  poison(values, indices);
  failed |= mm_vmin(2, 5, &xTies[0][0], &yTies[0][0], values, NULL);
  printf("vmin ties:");
  for (int k = 0; k < 4; ++k)
    printValue(values[k]);
  printf("\n");

  poison(values, indices);
  failed |= mm_mn(2, 5, &xNan[0][0], &yNan[0][0], values, indices, NULL);
  printPairs("mn nan", values, indices);
  poison(values, indices);
  failed |= mm_mx(2, 5, &xNan[0][0], &yNan[0][0], values, indices, NULL);
  printPairs("mx nan", values, indices);
  poison(values, indices);
  failed |= mm_amax(2, 5, &xNan[0][0], &yNan[0][0], indices, NULL);
  printf("amax nan:");
  printIndices(indices, 4);
  printf("\n");

  poison(values, indices);
  failed |= mm_mn(2, 0, &xNan[0][0], NULL, values, indices, NULL);
  printPairs("mn empty", values, indices);
  poison(values, indices);
  failed |= mm_mx(2, 0, &xNan[0][0], NULL, values, indices, NULL);
  printPairs("mx empty", values, indices);

  poison(values, indices);
  failed |= mm_amin(5, 1, &xCol[0][0], zero, indices, NULL);
  printf("amin:");
  printIndices(indices, 2);
  printf("\n");
  poison(values, indices);
  failed |= mm_amin(0, 1, NULL, zero, indices, NULL);
  printf("amin empty:");
  printIndices(indices, 2);
  printf("\n");

  values64[0] = values64[1] = 12345.0;
  failed |= mm_vmax64(3, 1, &x64[0][0], zero64, values64, NULL);
  printf("vmax64:");
  printValue(values64[0]);
  printValue(values64[1]);
  printf("\n");
  values64[0] = values64[1] = 12345.0;
  failed |= mm_vmax64(0, 1, NULL, zero64, values64, NULL);
  printf("vmax64 empty:");
  printValue(values64[0]);
  printValue(values64[1]);
  printf("\n");

  printf("status %d\n", failed);
  return 0;
}
