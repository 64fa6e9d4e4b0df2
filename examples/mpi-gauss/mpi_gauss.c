/* examples/mpi-gauss: a Gaussian kernel sum over points spread across MPI ranks. Each rank
   holds a slice of y and b, reduces it with mpi_gauss_gauss_partial, keops_mpi_allreduce merges
   every rank's states, and mpi_gauss_gauss_finalize writes the sums for all queries x. Rank 0
   checks them and one call on the whole data (every rank can rebuild it here: same seed) against
   float64 sums for the first queries. */
#include "mpi_gauss.h"

#include "keops/mpi.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

enum { M = 1000, N = 100003, CHECKED = 100 };

static float unit(unsigned *s) {
  *s = *s * 1664525u + 1013904223u;
  return (float)(*s >> 8) / 16777216.0f;
}

/* The largest error of out[0..CHECKED) against float64 sums, relative to the sum of |terms|. */
static double worst_error(const float *out, const float *x, const float *y, const float *b,
                          float g) {
  double worst = 0;
  for (int i = 0; i < CHECKED; ++i) {
    double sum = 0, magnitude = 0;
    for (int j = 0; j < N; ++j) {
      double d2 = 0;
      for (int k = 0; k < 3; ++k)
        d2 += ((double)x[i * 3 + k] - y[j * 3 + k]) * ((double)x[i * 3 + k] - y[j * 3 + k]);
      const double term = exp(-(double)g * d2) * b[j];
      sum += term, magnitude += fabs(term);
    }
    worst = fmax(worst, fabs(out[i] - sum) / magnitude);
  }
  return worst;
}

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  float *x = malloc(sizeof(float) * M * 3), *y = malloc(sizeof(float) * N * 3);
  float *b = malloc(sizeof(float) * N), g[1] = {4.0f};
  unsigned seed = 2026;
  for (int i = 0; i < M * 3; ++i)
    x[i] = unit(&seed);
  for (int j = 0; j < N * 3; ++j)
    y[j] = unit(&seed);
  for (int j = 0; j < N; ++j)
    b[j] = unit(&seed) - 0.5f;
  /* This rank's points: [lo, hi) of the whole axis. */
  const int64_t lo = (int64_t)N * rank / size, hi = (int64_t)N * (rank + 1) / size;
  void *state = malloc((size_t)M * MPI_GAUSS_GAUSS_STATE_BYTES);
  float *out = malloc(sizeof(float) * M), *whole = malloc(sizeof(float) * M);
  int ok =
      mpi_gauss_gauss_partial(M, hi - lo, x, y + lo * 3, b + lo, g, lo, state, NULL) == KEOPS_OK &&
      keops_mpi_allreduce(state, M, MPI_GAUSS_GAUSS_STATE_BYTES, mpi_gauss_gauss_merge,
                          MPI_COMM_WORLD) == MPI_SUCCESS &&
      mpi_gauss_gauss_finalize(M, state, out) == KEOPS_OK;
  if (!ok)
    fprintf(stderr, "rank %d: %s\n", rank, mpi_gauss_last_error());
  if (ok && rank == 0) {
    ok = mpi_gauss_gauss(M, N, x, y, b, g, whole, NULL) == KEOPS_OK;
    const double sharded = worst_error(out, x, y, b, g[0]),
                 single = worst_error(whole, x, y, b, g[0]);
    printf("%d ranks, %d points: out[0] = %.6f (one call: %.6f); largest error against float64 "
           "sums: %.1e sharded, %.1e one call\n",
           size, N, out[0], whole[0], sharded, single);
    /* SPEC §7.4's Sum bound for float32 with an exponential: τ ≈ 33·2^-24 + h(n)·u_a. */
    ok = ok && sharded < 3e-6 && single < 3e-6;
  }
  int all = 0;
  MPI_Allreduce(&ok, &all, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
  free(x), free(y), free(b), free(state), free(out), free(whole);
  MPI_Finalize();
  return all ? 0 : 1;
}
