/* Included by two-headers.kfl: both headers, twice each, in one translation unit. */
#include "first.h"
#include "second.h"

int main(void) {
  keops_options o = KEOPS_OPTIONS_DEFAULT;
  keops_status (*f)(int64_t, int64_t, const float *, float *, const keops_options *) = first_r;
  keops_status (*g)(int64_t, int64_t, const float *, float *, const keops_options *) = second_r_cpu;
  const char *(*e1)(void) = first_last_error;
  const char *(*e2)(void) = second_last_error;
  (void)o;
  (void)f;
  (void)g;
  (void)e1;
  (void)e2;
  return 0;
}
