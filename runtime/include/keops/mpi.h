/* keops/mpi.h: merges the partial states of a sharded reduction across MPI ranks (README,
   "Sharding"). Header-only C99/C++, for programs that link MPI themselves: each rank reduces its
   part of the reduced axis with <module>_<name>_partial, then keops_mpi_allreduce leaves every
   rank holding the merge of all ranks' states, which <module>_<name>_finalize turns into the
   one-call result. Ranks merge in a fixed tree (rank 0 last), so every run gives the same bits;
   the states travel as bytes in messages of at most 1 GiB. */
#ifndef KEOPS_MPI_H
#define KEOPS_MPI_H

#include <mpi.h>
#include <stdint.h>
#include <stdlib.h>

#ifndef KEOPS_API_V1
#error "include the keopsc-generated header (for keops_status) before keops/mpi.h"
#endif

/* A generated <module>_<name>_merge. */
typedef keops_status (*keops_merge_fn)(int64_t rows, void *state, const void *other);

/* Sends or receives `bytes` bytes in messages of at most 1 GiB (MPI counts are int). */
static inline int keops_mpi_transfer_(int receive, void *data, int64_t bytes, int peer, MPI_Comm comm) {
  const int64_t chunk = (int64_t)1 << 30;
  for (int64_t at = 0; at < bytes; at += chunk) {
    const int count = (int)(bytes - at < chunk ? bytes - at : chunk);
    char *p = (char *)data + at;
    const int rc = receive ? MPI_Recv(p, count, MPI_BYTE, peer, 0x6b65, comm, MPI_STATUS_IGNORE)
                           : MPI_Send(p, count, MPI_BYTE, peer, 0x6b65, comm);
    if (rc != MPI_SUCCESS)
      return rc;
  }
  return MPI_SUCCESS;
}

/* Every rank's `rows` states of `state_bytes` each (<MODULE>_<NAME>_STATE_BYTES) merged with
   `merge`; on return each rank's `state` holds the merge of all. Returns MPI_SUCCESS, an MPI
   error code, or -1 when `merge` fails or a buffer cannot be allocated. Collective over comm. */
static inline int keops_mpi_allreduce(void *state, int64_t rows, int64_t state_bytes,
                                      keops_merge_fn merge, MPI_Comm comm) {
  int rank = 0, size = 1;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm_size(comm, &size);
  const int64_t bytes = rows * state_bytes;
  void *other = bytes > 0 ? malloc((size_t)bytes) : NULL;
  /* Every rank must have its buffer before any message moves. */
  int failed = bytes > 0 && !other, anyFailed = 0;
  int rc = MPI_Allreduce(&failed, &anyFailed, 1, MPI_INT, MPI_MAX, comm);
  if (rc != MPI_SUCCESS || anyFailed) {
    free(other);
    return rc != MPI_SUCCESS ? rc : -1;
  }
  /* A binomial tree towards rank 0: at step s, rank r (a multiple of 2s) takes in rank r + s's
     states and merges them after its own: a fixed order, whatever the arrival order. */
  for (int step = 1; step < size && rc == MPI_SUCCESS; step *= 2) {
    if (rank % (2 * step) == step) {
      rc = keops_mpi_transfer_(0, state, bytes, rank - step, comm);
      break;
    }
    if (rank + step < size) {
      rc = keops_mpi_transfer_(1, other, bytes, rank + step, comm);
      if (rc == MPI_SUCCESS && merge(rows, state, other) != 0)
        failed = 1;
    }
  }
  free(other);
  const int64_t chunk = (int64_t)1 << 30;
  for (int64_t at = 0; at < bytes && rc == MPI_SUCCESS; at += chunk)
    rc = MPI_Bcast((char *)state + at, (int)(bytes - at < chunk ? bytes - at : chunk), MPI_BYTE, 0,
                   comm);
  if (rc == MPI_SUCCESS)
    rc = MPI_Allreduce(&failed, &anyFailed, 1, MPI_INT, MPI_MAX, comm);
  return rc != MPI_SUCCESS ? rc : anyFailed ? -1 : MPI_SUCCESS;
}

#endif
