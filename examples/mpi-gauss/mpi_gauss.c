/* examples/mpi-gauss: a Gaussian kernel sum over points spread across MPI ranks. Each rank
   holds a slice of y and b, reduces it with mpi_gauss_gauss_partial, keops_mpi_allreduce merges
   every rank's states, and mpi_gauss_gauss_finalize writes the sums for all queries x. Rank 0
   checks them against one call on the whole data (every rank can rebuild it here: same seed). */
#include "mpi_gauss.h"
#include "keops/mpi.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

enum { M = 1000, N = 100003 };

static float unit(unsigned *s) {
  *s = *s * 1664525u + 1013904223u;
  return (float)(*s >> 8) / 16777216.0f;
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
  int ok = mpi_gauss_gauss_partial(M, hi - lo, x, y + lo * 3, b + lo, g, lo, state, NULL) ==
               KEOPS_OK &&
           keops_mpi_allreduce(state, M, MPI_GAUSS_GAUSS_STATE_BYTES, mpi_gauss_gauss_merge,
                               MPI_COMM_WORLD) == MPI_SUCCESS &&
           mpi_gauss_gauss_finalize(M, state, out) == KEOPS_OK;
  if (!ok)
    fprintf(stderr, "rank %d: %s\n", rank, mpi_gauss_last_error());
  double worst = 0;
  if (ok && rank == 0) {
    ok = mpi_gauss_gauss(M, N, x, y, b, g, whole, NULL) == KEOPS_OK;
    for (int i = 0; i < M; ++i)
      worst = fmax(worst, fabs((double)out[i] - (double)whole[i]) / (fabs((double)whole[i]) + 1));
    printf("%d ranks, %d points: out[0] = %.6f (one call: %.6f), worst difference %.1e\n", size,
           N, out[0], whole[0], worst);
    ok = ok && worst < 1e-4; /* float32 sums of 10^5 terms, in another order */
  }
  int all = 0;
  MPI_Allreduce(&ok, &all, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
  free(x), free(y), free(b), free(state), free(out), free(whole);
  MPI_Finalize();
  return all ? 0 : 1;
}
