/* examples/mpi-knn: k-nearest neighbours among reference points spread across MPI ranks. Each
   rank finds the 10 best candidates in its slice (indices in the whole set, via the offset),
   keops_mpi_allreduce keeps the 10 best of all, and rank 0 checks that they are exactly those of
   one call on the whole data. */
#include "mpi_knn.h"
#include "keops/mpi.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { M = 2000, N = 100003, K = 10 };

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
  unsigned seed = 7;
  for (int i = 0; i < M * 3; ++i)
    x[i] = unit(&seed);
  for (int j = 0; j < N * 3; ++j)
    y[j] = unit(&seed);
  const int64_t lo = (int64_t)N * rank / size, hi = (int64_t)N * (rank + 1) / size;
  void *state = malloc((size_t)M * MPI_KNN_KNN_STATE_BYTES);
  int64_t *best = malloc(sizeof(int64_t) * M * K), *whole = malloc(sizeof(int64_t) * M * K);
  int ok = mpi_knn_knn_partial(M, hi - lo, x, y + lo * 3, lo, state, NULL) == KEOPS_OK &&
           keops_mpi_allreduce(state, M, MPI_KNN_KNN_STATE_BYTES, mpi_knn_knn_merge,
                               MPI_COMM_WORLD) == MPI_SUCCESS &&
           mpi_knn_knn_finalize(M, state, best) == KEOPS_OK;
  if (!ok)
    fprintf(stderr, "rank %d: %s\n", rank, mpi_knn_last_error());
  if (ok && rank == 0) {
    ok = mpi_knn_knn(M, N, x, y, whole, NULL) == KEOPS_OK &&
         memcmp(best, whole, sizeof(int64_t) * M * K) == 0;
    printf("%d ranks, %d points: neighbours of query 0: %lld %lld %lld ...; %s the one call's\n",
           size, N, (long long)best[0], (long long)best[1], (long long)best[2],
           ok ? "exactly" : "NOT");
  }
  int all = 0;
  MPI_Allreduce(&ok, &all, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
  free(x), free(y), free(state), free(best), free(whole);
  MPI_Finalize();
  return all ? 0 : 1;
}
