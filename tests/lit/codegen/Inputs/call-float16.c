/* Used by float16.kfl: calls float16 entry points on binary16 bit patterns and prints each output
   as its bits and value. Outputs are poisoned first, so a value not written shows. */
#include "half.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

enum {
  ONE = 0x3C00,
  TWO = 0x4000,
  THREE = 0x4200,
  MINUS_ONE = 0xBC00,
  MINUS_TWO = 0xC000,
  HALF = 0x3800,
  MAX_HALF = 0x7BFF,
  TINY = 0x0001,
  NEG_INF = 0xFC00,
  QNAN = 0x7E00,
  P2048 = 0x6800,
  P2_MINUS_20 = 0x0010,
  POISON = 0x1234
};

/* The value of binary16 bits, from the definition. */
static double value(uint16_t h) {
  int exponent = (h >> 10) & 0x1F, mantissa = h & 0x3FF;
  double magnitude = exponent == 0x1F ? (mantissa ? NAN : INFINITY)
                     : exponent == 0  ? ldexp(mantissa, -24)
                                      : ldexp(1024 + mantissa, exponent - 25);
  return (h & 0x8000) ? -magnitude : magnitude;
}

/* NaN's sign and payload are not portable in printf: a NaN prints as "nan" alone. */
static void show(uint16_t h) {
  if (isnan(value(h)))
    printf(" nan");
  else
    printf(" %04x %g", (unsigned)h, value(h));
}

static void check(keops_status status) {
  if (status != KEOPS_OK) {
    printf("error %d: %s\n", (int)status, half_last_error());
    exit(1);
  }
}

static uint16_t sumOf(const uint16_t *y, int64_t n, int wide) {
  uint16_t out = POISON;
  check(wide ? half_sum64(1, n, y, &out, NULL) : half_sum(1, n, y, &out, NULL));
  return out;
}

int main(void) {
  const uint16_t ones[3] = {ONE, ONE, ONE};
  printf("sum ones:");
  for (int n = 1; n <= 3; ++n) {
    show(sumOf(ones, n, 0));
    printf(n < 3 ? " |" : "\n");
  }
  const uint16_t big[2] = {MAX_HALF, MAX_HALF}, tiny[2] = {TINY, TINY}, nan[2] = {ONE, QNAN};
  printf("sum overflow:");
  show(sumOf(big, 2, 0));
  printf("\nsum subnormal:");
  show(sumOf(tiny, 2, 0));
  printf("\nsum nan:");
  show(sumOf(nan, 2, 0));
  /* 2049 + 2^-20 lies above the tie 2049 between 2048 and 2050: a double accumulator rounds it
     once to 2050; float accumulation (auto) has already rounded it to the tie, which goes even. */
  const uint16_t nearTie[3] = {P2048, ONE, P2_MINUS_20};
  printf("\nsum64 double rounding:");
  show(sumOf(nearTie, 3, 1));
  printf("\nsum double rounding:");
  show(sumOf(nearTie, 3, 0));
  printf("\n");

  /* -inf terms add nothing; a row of -inf terms is -inf. */
  const uint16_t xl[2] = {0, NEG_INF}, yl[3] = {NEG_INF, 0, NEG_INF};
  uint16_t lse[2] = {POISON, POISON};
  check(half_lse(2, 3, xl, yl, lse, NULL));
  printf("lse masked:");
  show(lse[0]);
  printf(" |");
  show(lse[1]);
  printf("\n");

  const uint16_t xm[2] = {ONE, QNAN}, ym[3] = {THREE, TWO, MINUS_ONE};
  uint16_t mn[2] = {POISON, POISON};
  int64_t mi[2] = {-7, -7};
  check(half_mn(2, 3, xm, ym, mn, mi, NULL));
  printf("mn:");
  show(mn[0]);
  printf(" @%lld |", (long long)mi[0]);
  show(mn[1]);
  printf(" @%lld\n", (long long)mi[1]);

  const uint16_t xk[1] = {0}, yk[4] = {THREE, HALF, MINUS_ONE, MINUS_TWO};
  uint16_t kv[2] = {POISON, POISON};
  int64_t ki[2] = {-7, -7};
  check(half_knn(1, 4, xk, yk, kv, ki, NULL));
  printf("knn:");
  for (int k = 0; k < 2; ++k) {
    show(kv[k]);
    printf(" @%lld", (long long)ki[k]);
  }
  printf("\n");

  /* The raw s of 70000 terms e^0 saturates to +inf (SPEC.md §4); all -inf gives (-inf, 0). */
  enum { LONG = 70000 };
  uint16_t *zeros = calloc(LONG, sizeof *zeros);
  const uint16_t xp[2] = {NEG_INF, 0};
  uint16_t m[2] = {POISON, POISON}, s[2] = {POISON, POISON};
  check(half_pair(2, LONG, xp, zeros, m, s, NULL));
  printf("pair:");
  show(m[0]);
  show(s[0]);
  printf(" |");
  show(m[1]);
  show(s[1]);
  printf("\n");
  free(zeros);

  /* Empty reductions: the softmax gives 0, the sum 0; empty arrays may be NULL. */
  uint16_t sm = POISON, empty = POISON;
  check(half_sm(0, 1, NULL, ones, &sm, NULL));
  check(half_sum(1, 0, NULL, &empty, NULL));
  printf("sm empty:");
  show(sm);
  printf("\nempty sum:");
  show(empty);
  printf("\n");

  /* A row of 1100 elements (converted at each load): component 0 sums 1 + 0, the last 1 + 2. */
  enum { WIDE = 1100 };
  uint16_t *rows = calloc(2 * WIDE, sizeof *rows), wide[WIDE];
  for (int k = 0; k < WIDE; ++k)
    rows[k] = ONE;
  rows[2 * WIDE - 1] = TWO;
  for (int k = 0; k < WIDE; ++k)
    wide[k] = POISON;
  check(half_wide(1, 2, rows, wide, NULL));
  printf("wide:");
  show(wide[0]);
  show(wide[WIDE - 1]);
  printf("\n");
  free(rows);
  return 0;
}
