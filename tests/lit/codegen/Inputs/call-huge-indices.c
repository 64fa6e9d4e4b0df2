/* Reductions whose reduced axis is longer than 2^31 (issue 13: index arithmetic past 32 bits),
   memory-light: the long arrays are anonymous mappings never written but for a window of random
   data around index 2^31 (untouched pages read as zeros and take no memory). Compared with a
   float64 brute force over the window:
   - dense, over j and over i (N or M = 2^31 + 2^20): a Sum of a term that reads no long array
     (a dense CPU call copies the long arrays it reads into its SIMD layout: 8 GiB each), whose
     exact result counts the terms;
   - block-sparse ranges around 2^31 (read in place): a Gaussian sum, ArgMin and ArgKMin
     (K = 3) over j whose answers lie past 2^31, and a Gaussian sum over i.
   ENTRY(name) is MODULE_name (MODULE_name_cuda with -DVIA_CUDA); -DRANGES_ONLY skips the dense
   calls (the emulated GPU is too slow for 2^31 terms). Prints one line per check. */
#define _DEFAULT_SOURCE
#include HEADER

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#define CAT2(a, b) a##_##b
#define CAT(a, b) CAT2(a, b)
#ifdef VIA_CUDA
#define ENTRY(name) CAT(CAT(MODULE, name), cuda)
#else
#define ENTRY(name) CAT(MODULE, name)
#endif

static const int64_t kLong = ((int64_t)1 << 31) + ((int64_t)1 << 20);
static const int64_t kFirst = ((int64_t)1 << 31) - 3000; /* the window of data */
static const int64_t kLast = ((int64_t)1 << 31) + 5000;
static const float kQuery[2] = {0.3f, 7.0f};

static float *mapLong(void) {
  void *p = mmap(NULL, (size_t)kLong * sizeof(float), PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED)
    return NULL;
  /* Where transparent huge pages are on request, reads map the huge zero page: a few thousand
     page faults per pass instead of two million. */
  madvise(p, (size_t)kLong * sizeof(float), MADV_HUGEPAGE);
  return (float *)p;
}

static uint64_t rngState = 20261203u;
static double uniform(void) {
  rngState = rngState * 6364136223846793005u + 1442695040888963407u;
  return (double)(rngState >> 11) / 9007199254740992.0;
}

/* Sum over [lo, hi) of the window of exp(-(q - p_t)^2) w_t, in float64. */
static double gauss(const float *p, const float *w, float q, int64_t lo, int64_t hi) {
  double s = 0;
  for (int64_t t = lo < kFirst ? kFirst : lo; t < hi && t < kLast; ++t) {
    const double d = (double)q - (double)p[t];
    s += exp(-d * d) * (double)w[t];
  }
  return s;
}

static int isClose(double got, double want) { return fabs(got - want) <= 1e-5 * fabs(want) + 1e-6; }

/* The k nearest to q of the points [lo, hi), in order (ties: smaller index). */
static void nearest(const float *p, float q, int64_t lo, int64_t hi, int k, int64_t *out) {
  for (int s = 0; s < k; ++s) {
    int64_t best = -1;
    double bestD = INFINITY;
    for (int64_t t = lo; t < hi; ++t) {
      int taken = 0;
      for (int u = 0; u < s; ++u)
        taken |= out[u] == t;
      const double d = ((double)q - p[t]) * ((double)q - p[t]);
      if (!taken && d < bestD) {
        best = t;
        bestD = d;
      }
    }
    out[s] = best;
  }
}

int main(void) {
  float *p = mapLong(), *w = mapLong();
  if (!p || !w) {
    printf("mmap failed\n");
    return 2;
  }
  for (int64_t t = kFirst; t < kLast; ++t) { /* the points nearest 7 lie past 2^31 */
    p[t] = (float)(0.5 + (t < ((int64_t)1 << 31) ? 5.0 : 7.5) * uniform());
    w[t] = (float)(0.5 + uniform());
  }
  /* Ranges: row 0 over [2^31 - 1000, 2^31 + 1000), row 1 over [2^31 + 10, 2^31 + 4000). */
  const int64_t rangesI[4] = {0, 1, 1, 2}, slices[2] = {1, 2};
  const int64_t red[4] = {((int64_t)1 << 31) - 1000, ((int64_t)1 << 31) + 1000,
                          ((int64_t)1 << 31) + 10, ((int64_t)1 << 31) + 4000};
  keops_options ranged = KEOPS_OPTIONS_DEFAULT;
  keops_ranges overJ = {2, rangesI, slices, 2, red, 0, NULL, NULL, 0, NULL};
  keops_ranges overI = {0, NULL, NULL, 0, NULL, 2, rangesI, slices, 2, red};
  float sums[2];
  int64_t index[2], knn[6], want[6];
  int st;

#ifndef RANGES_ONLY
  const float kCounts[2] = {1.0f, 3.0f}; /* sums of these are exact in float32 */
  memset(sums, 0x7f, sizeof sums);
  st = (int)ENTRY(count)(2, kLong, kCounts, sums, NULL);
  printf("count over j: status=%d ok=%d (%.9g %.9g)\n", st,
         sums[0] == (float)kLong && sums[1] == (float)(3 * kLong), sums[0], sums[1]);
  memset(sums, 0x7f, sizeof sums);
  st = (int)ENTRY(count_i)(kLong, 2, kCounts, sums, NULL);
  printf("count over i: status=%d ok=%d (%.9g %.9g)\n", st,
         sums[0] == (float)kLong && sums[1] == (float)(3 * kLong), sums[0], sums[1]);
#endif

  ranged.ranges = &overJ;
  memset(sums, 0x7f, sizeof sums);
  st = (int)ENTRY(gsum)(2, kLong, kQuery, p, w, sums, &ranged);
  printf("ranged gsum over j: status=%d ok=%d\n", st,
         isClose(sums[0], gauss(p, w, kQuery[0], red[0], red[1])) &&
             isClose(sums[1], gauss(p, w, kQuery[1], red[2], red[3])));
  memset(index, 0x7f, sizeof index);
  st = (int)ENTRY(nearest)(2, kLong, kQuery, p, index, &ranged);
  nearest(p, kQuery[1], red[2], red[3], 1, want); /* row 1's, within its range */
  printf("ranged nearest over j: status=%d ok=%d past 2^31=%d\n", st, index[1] == want[0],
         index[1] >= ((int64_t)1 << 31));
  memset(knn, 0x7f, sizeof knn);
  st = (int)ENTRY(knn)(2, kLong, kQuery, p, knn, &ranged);
  nearest(p, kQuery[1], red[2], red[3], 3, want);
  printf("ranged knn over j: status=%d ok=%d\n", st,
         memcmp(knn + 3, want, 3 * sizeof(int64_t)) == 0);
  ranged.ranges = &overI;
  memset(sums, 0x7f, sizeof sums);
  st = (int)ENTRY(gsum_i)(kLong, 2, p, kQuery, w, sums, &ranged);
  printf("ranged gsum over i: status=%d ok=%d\n", st,
         isClose(sums[0], gauss(p, w, kQuery[0], red[0], red[1])) &&
             isClose(sums[1], gauss(p, w, kQuery[1], red[2], red[3])));
  munmap(p, (size_t)kLong * sizeof(float));
  munmap(w, (size_t)kLong * sizeof(float));
  return 0;
}
