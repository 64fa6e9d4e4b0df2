/* main.c: calls both modules of the twokernels library on a tiny grid with known answers.
   Owns only these checks; it is linked by the C compiler, with no C++ enabled in the project. */
#include "nearest.h"
#include "sums.h"

#include <stdio.h>

int main(void) {
  const float x[2 * 2] = {0, 0, 10, 10};
  const float y[3 * 2] = {1, 0, 9, 9, 4, 4};
  float total[2] = {-1, -1};
  int64_t closest[2] = {-1, -1};
  if (sums_total(2, 3, x, y, total, NULL) != KEOPS_OK ||
      nearest_closest(2, 3, x, y, closest, NULL) != KEOPS_OK) {
    fprintf(stderr, "call failed: %s%s\n", sums_last_error(), nearest_last_error());
    return 1;
  }
  /* |x - y|_1: from (0,0): 1 + 18 + 8 = 27; from (10,10): 19 + 2 + 12 = 33. */
  printf("totals %g %g (expected 27 33), closest %lld %lld (expected 0 1)\n", total[0], total[1],
         (long long)closest[0], (long long)closest[1]);
  return total[0] == 27 && total[1] == 33 && closest[0] == 0 && closest[1] == 1 ? 0 : 1;
}
