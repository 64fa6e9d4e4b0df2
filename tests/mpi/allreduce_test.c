/* tests/mpi: keops_mpi_allreduce on every rank of the run (ctest: 2 and 3 ranks). For each state
   kind, the ranks hold random slices of the reduced axis (empty ones too), reduce them with
   _partial, merge with keops_mpi_allreduce and finalize; rank 0 compares with one call on the
   whole data (bitwise for the term-selecting reductions), and every rank must hold rank 0's bits,
   again after a second allreduce of the same states. Then the refusals: ranks disagreeing on rows,
   a failing merge. Usage: allreduce_test [seed] */
#include "states.h"
/* after the generated header, which defines keops_status */
#include "keops/mpi.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { M = 300, N = 2000, MAX_STATE = 40 };
static float x[M * 3], y[N * 3], b[N * 2], g[1] = {0.7f};
static int rank, size, failures;
static unsigned seed;

static unsigned next(void) {
  seed = seed * 1664525u + 1013904223u;
  return seed >> 8;
}
static float rnd(void) { return (float)next() / 16777216.0f * 2 - 1; }

static void expect(int ok, const char *what) {
  if (!ok) {
    fprintf(stderr, "rank %d: FAIL: %s (seed %u)\n", rank, what, seed);
    ++failures;
  }
}

/* This rank's slice [lo, hi) of an axis of n: cut points drawn alike on every rank (the same
   seed), among values that make empty and one-element slices likely. */
static void slice(int64_t n, int64_t *lo, int64_t *hi) {
  int64_t cuts[64];
  cuts[0] = 0, cuts[size] = n;
  for (int r = 1; r < size; ++r) {
    const int64_t choices[5] = {0, 1, n / 3, n - 1, (int64_t)(next() % (unsigned)(n + 1))};
    cuts[r] = choices[next() % 5];
  }
  for (int r = 1; r < size; ++r) /* insertion sort: few ranks */
    for (int s = r; s > 1 && cuts[s] < cuts[s - 1]; --s) {
      const int64_t t = cuts[s];
      cuts[s] = cuts[s - 1], cuts[s - 1] = t;
    }
  *lo = cuts[rank], *hi = cuts[rank + 1];
}

/* Every rank's `bytes` of `out` equal rank 0's. */
static int same_everywhere(const void *out, size_t bytes) {
  void *root = malloc(bytes);
  memcpy(root, out, bytes);
  MPI_Bcast(root, (int)bytes, MPI_BYTE, 0, MPI_COMM_WORLD);
  int same = memcmp(root, out, bytes) == 0, all = 0;
  MPI_Allreduce(&same, &all, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
  free(root);
  return all;
}

static double worst_diff(const float *a, const float *c, int n) {
  double worst = 0;
  for (int i = 0; i < n; ++i)
    worst = fmax(worst, fabs((double)a[i] - c[i]) / (1 + fabs((double)c[i])));
  return worst;
}

/* Partial on this rank's slice, allreduce twice from copies of the same states (same bits), and
   finalize. name and NAME: the reduction's and its macros' spelling; PARTIAL is the call with lo/hi
   in scope; FINALIZE writes the outputs. */
#define SHARDED(name, NAME, rows, PARTIAL, FINALIZE)                                               \
  do {                                                                                             \
    static unsigned char state[(rows)*MAX_STATE], again[(rows)*MAX_STATE];                         \
    expect(STATES_##NAME##_STATE_BYTES <= MAX_STATE, #name ": state size");                        \
    expect((PARTIAL) == KEOPS_OK, #name ": partial");                                              \
    memcpy(again, state, sizeof state);                                                            \
    expect(keops_mpi_allreduce(state, rows, STATES_##NAME##_STATE_BYTES, states_##name##_merge,    \
                               MPI_COMM_WORLD) == MPI_SUCCESS,                                     \
           #name ": allreduce");                                                                   \
    expect(keops_mpi_allreduce(again, rows, STATES_##NAME##_STATE_BYTES, states_##name##_merge,    \
                               MPI_COMM_WORLD) == MPI_SUCCESS,                                     \
           #name ": second allreduce");                                                            \
    expect(memcmp(state, again, (size_t)(rows)*STATES_##NAME##_STATE_BYTES) == 0,                  \
           #name ": two allreduces of the same states differ");                                    \
    expect((FINALIZE) == KEOPS_OK, #name ": finalize");                                            \
  } while (0)

static void sums(void) {
  int64_t lo, hi;
  static float one[N * 2], out[N * 2];
  slice(N, &lo, &hi);
  memset(out, 0xff, sizeof out);
  SHARDED(conv, CONV, M,
          states_conv_partial(M, hi - lo, x, y + lo * 3, b + lo * 2, g, lo, state, NULL),
          states_conv_finalize(M, state, out));
  expect(states_conv(M, N, x, y, b, g, one, NULL) == KEOPS_OK, "conv: one call");
  expect(rank != 0 || worst_diff(out, one, M * 2) < 1e-5, "conv: sharded against one call");
  expect(same_everywhere(out, sizeof(float) * M * 2), "conv: ranks differ");

  slice(M, &lo, &hi); /* over i: slices of x */
  memset(out, 0xff, sizeof out);
  SHARDED(soft, SOFT, N, states_soft_partial(hi - lo, N, x + lo * 3, y, b, g, lo, state, NULL),
          states_soft_finalize(N, state, out));
  expect(states_soft(M, N, x, y, b, g, one, NULL) == KEOPS_OK, "soft: one call");
  expect(rank != 0 || worst_diff(out, one, N * 2) < 1e-5, "soft: sharded against one call");
  expect(same_everywhere(out, sizeof(float) * N * 2), "soft: ranks differ");

  slice(N, &lo, &hi);
  memset(out, 0xff, sizeof out);
  SHARDED(lse, LSE, M, states_lse_partial(M, hi - lo, x, y + lo * 3, g, lo, state, NULL),
          states_lse_finalize(M, state, out));
  expect(states_lse(M, N, x, y, g, one, NULL) == KEOPS_OK, "lse: one call");
  expect(rank != 0 || worst_diff(out, one, M) < 1e-5, "lse: sharded against one call");
  expect(same_everywhere(out, sizeof(float) * M), "lse: ranks differ");
}

static void term_selecting(void) {
  int64_t lo, hi;
  static int64_t one[M * 3], out[M * 3];
  static float values[M], one_values[M];
  slice(N, &lo, &hi);
  memset(out, 0xff, sizeof out);
  SHARDED(knn, KNN, M, states_knn_partial(M, hi - lo, x, y + lo * 3, lo, state, NULL),
          states_knn_finalize(M, state, out));
  expect(states_knn(M, N, x, y, one, NULL) == KEOPS_OK, "knn: one call");
  expect(memcmp(out, one, sizeof(int64_t) * M * 3) == 0, "knn: not the one call's indices");

  slice(N, &lo, &hi);
  memset(out, 0xff, sizeof out);
  memset(values, 0xff, sizeof values);
  SHARDED(mn, MN, M, states_mn_partial(M, hi - lo, x, y + lo * 3, lo, state, NULL),
          states_mn_finalize(M, state, values, out));
  expect(states_mn(M, N, x, y, one_values, one, NULL) == KEOPS_OK, "mn: one call");
  expect(memcmp(values, one_values, sizeof values) == 0 &&
             memcmp(out, one, sizeof(int64_t) * M) == 0,
         "mn: not the one call's bits");
}

static keops_status failing_merge(int64_t rows, void *state, const void *other) {
  (void)rows, (void)state, (void)other;
  return KEOPS_ERROR_INTERNAL;
}

static void refusals(void) {
  static unsigned char state[M * MAX_STATE], before[M * MAX_STATE];
  for (size_t i = 0; i < sizeof state; ++i)
    state[i] = (unsigned char)next();
  memcpy(before, state, sizeof state);
  if (size == 1)
    return; /* no other rank to disagree with, and nothing to merge */
  /* Rank 1 gives one row fewer: every rank gets -1, no state changes. */
  int rc = keops_mpi_allreduce(state, rank == 1 ? M - 1 : M, STATES_LSE_STATE_BYTES,
                               states_lse_merge, MPI_COMM_WORLD);
  expect(rc == -1, "rows that differ between ranks: not refused");
  expect(memcmp(state, before, sizeof state) == 0, "refused allreduce changed the state");
  rc = keops_mpi_allreduce(state, M, 0, states_lse_merge, MPI_COMM_WORLD);
  expect(rc == -1, "state_bytes 0: not refused");
  /* A merge that fails (on whichever ranks MPI runs it): -1 on every rank. */
  rc = keops_mpi_allreduce(state, M, STATES_LSE_STATE_BYTES, failing_merge, MPI_COMM_WORLD);
  expect(rc == -1, "a failing merge: not reported");
}

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  seed = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 20261203u;
  const unsigned first_seed = seed;
  if (size > 63) {
    fprintf(stderr, "at most 63 ranks\n");
    MPI_Abort(MPI_COMM_WORLD, 2);
  }
  for (int i = 0; i < M * 3; ++i)
    x[i] = rnd();
  for (int i = 0; i < N * 3; ++i)
    y[i] = rnd();
  for (int i = 0; i < N * 2; ++i)
    b[i] = rnd();
  sums();
  term_selecting();
  refusals();
  int all = 0;
  MPI_Allreduce(&failures, &all, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
  if (rank == 0)
    printf("%d ranks, seed %u: %s (%d failures)\n", size, first_seed, all ? "FAIL" : "ok", all);
  MPI_Finalize();
  return all ? 1 : 0;
}
