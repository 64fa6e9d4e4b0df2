/* keops/mpi.h: merges the partial states of a sharded reduction across MPI ranks (README,
   "Sharding"). Header-only C99/C++, for programs that link MPI themselves: each rank reduces its
   part of the reduced axis with <module>_<name>_partial, then keops_mpi_allreduce leaves every
   rank holding the merge of all ranks' states, which <module>_<name>_finalize turns into the
   one-call result. Indices in the states are global already (the partial's offset).

   It is MPI_Allreduce over a datatype of one row's state, with a user-defined operation that
   calls the generated merge. The operation is declared non-commutative, so MPI combines the
   ranks in the same order every run: the same bits every time. */
#ifndef KEOPS_MPI_H
#define KEOPS_MPI_H

#include <mpi.h>
#include <stdint.h>

#ifndef KEOPS_API_V1
#error "include the keopsc-generated header (for keops_status) before keops/mpi.h"
#endif

/* A generated <module>_<name>_merge. */
typedef keops_status (*keops_merge_fn)(int64_t rows, void *state, const void *other);

/* What the operation needs besides its buffers. An MPI_User_function takes no argument of its
   own, so this travels as an attribute of the call's datatype. */
typedef struct {
  keops_merge_fn merge;
  int failed;
} keops_mpi_merge_context_;

/* The attribute key, made once per program part that includes this header. The first call
   must not race another first call from a second thread (as with MPI_Init). */
static int keops_mpi_context_key_ = MPI_KEYVAL_INVALID;
/* Set when MPI hands the operation a datatype without the context (it must not): then nothing
   was merged. Reset by each call. */
static int keops_mpi_lost_context_ = 0;

/* MPI asks for inout = in ∘ inout. The generated merge folds its second argument into its first,
   so this computes inout ∘ in: the mirror of an associative operation is associative, and the
   term-selecting states break ties by global index, so only sums' rounding sees the order. */
static inline void keops_mpi_merge_op_(void *in, void *inout, int *len, MPI_Datatype *type) {
  keops_mpi_merge_context_ *context = 0;
  int found = 0;
  if (MPI_Type_get_attr(*type, keops_mpi_context_key_, &context, &found) != MPI_SUCCESS || !found)
    keops_mpi_lost_context_ = 1;
  else if (context->merge(*len, inout, in) != KEOPS_OK)
    context->failed = 1;
}

/* Every rank's `rows` states of `state_bytes` each (<MODULE>_<NAME>_STATE_BYTES) merged with
   `merge`; on return each rank's `state` holds the merge of all. Collective over comm. Returns
   MPI_SUCCESS; an MPI error code; or -1 (on every rank) when ranks disagree on rows or
   state_bytes, or a merge failed (its message is the module's last error on that rank). */
static inline int keops_mpi_allreduce(void *state, int64_t rows, int64_t state_bytes,
                                      keops_merge_fn merge, MPI_Comm comm) {
  /* Disagreeing sizes would hang or mix states: check them first, collectively. */
  int64_t sizes[4] = {rows, -rows, state_bytes, -state_bytes}, widest[4];
  int rc = MPI_Allreduce(sizes, widest, 4, MPI_INT64_T, MPI_MAX, comm);
  if (rc != MPI_SUCCESS)
    return rc;
  if (widest[0] != -widest[1] || widest[2] != -widest[3] || rows < 0 || state_bytes <= 0 ||
      state_bytes > (1 << 30))
    return -1;
  if (keops_mpi_context_key_ == MPI_KEYVAL_INVALID &&
      (rc = MPI_Type_create_keyval(MPI_TYPE_NULL_COPY_FN, MPI_TYPE_NULL_DELETE_FN,
                                   &keops_mpi_context_key_, 0)) != MPI_SUCCESS)
    return rc;
  keops_mpi_merge_context_ context = {merge, 0};
  keops_mpi_lost_context_ = 0;
  MPI_Datatype row = MPI_DATATYPE_NULL;
  MPI_Op op = MPI_OP_NULL;
  rc = MPI_Type_contiguous((int)state_bytes, MPI_BYTE, &row);
  if (rc == MPI_SUCCESS)
    rc = MPI_Type_commit(&row);
  if (rc == MPI_SUCCESS)
    rc = MPI_Type_set_attr(row, keops_mpi_context_key_, &context);
  if (rc == MPI_SUCCESS)
    rc = MPI_Op_create(keops_mpi_merge_op_, 0 /* not commutative */, &op);
  /* At most 1 GiB a call: MPI counts are int, and some transports split big messages badly. */
  const int64_t per_call = ((int64_t)1 << 30) / state_bytes;
  for (int64_t at = 0; at < rows && rc == MPI_SUCCESS; at += per_call) {
    const int count = (int)(rows - at < per_call ? rows - at : per_call);
    rc = MPI_Allreduce(MPI_IN_PLACE, (char *)state + at * state_bytes, count, row, op, comm);
  }
  if (op != MPI_OP_NULL)
    MPI_Op_free(&op);
  if (row != MPI_DATATYPE_NULL)
    MPI_Type_free(&row);
  context.failed |= keops_mpi_lost_context_;
  int anyFailed = 0;
  if (rc == MPI_SUCCESS)
    rc = MPI_Allreduce(&context.failed, &anyFailed, 1, MPI_INT, MPI_MAX, comm);
  return rc != MPI_SUCCESS ? rc : anyFailed ? -1 : MPI_SUCCESS;
}

#endif
