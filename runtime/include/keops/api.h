/* keops/api.h: the types shared by every keopsc-generated header (DESIGN.md §4, SPEC.md §5).
   keopsc copies this block verbatim into each generated header under one guard, so headers stay
   self-contained; it holds declarations only, never code. */
#ifndef KEOPS_API_V1
#define KEOPS_API_V1

#include <stddef.h>
#include <stdint.h>

#define KEOPSC_VERSION_MAJOR 0
#define KEOPSC_VERSION_MINOR 1
#define KEOPSC_VERSION_PATCH 0

#ifdef __cplusplus
extern "C" {
#endif

/* Every failure has its own code; <module>_last_error() gives the details. */
typedef enum keops_status {
  KEOPS_OK = 0,
  KEOPS_ERROR_NULL_POINTER = 1,         /* a NULL array that holds at least one element */
  KEOPS_ERROR_INVALID_SIZE = 2,         /* negative M or N, or a byte size overflowing int64_t */
  KEOPS_ERROR_MISALIGNED = 3,           /* an array not aligned to its element type */
  KEOPS_ERROR_OVERLAP = 4,              /* outputs overlapping each other or an input */
  KEOPS_ERROR_K_TOO_LARGE = 5,          /* K greater than the reduced length */
  KEOPS_ERROR_INVALID_RANGES = 6,       /* ranges failing the checks of SPEC.md §5.3 */
  KEOPS_ERROR_INVALID_BATCH = 7,        /* ranges with a batch, batch_shared without a batch */
  KEOPS_ERROR_INVALID_BACKEND = 8,      /* unknown backend value */
  KEOPS_ERROR_INVALID_SCHEME = 9,       /* unknown cuda_scheme value */
  KEOPS_ERROR_INVALID_OPTION = 10,      /* another bad keops_options field */
  KEOPS_ERROR_BACKEND_MISMATCH = 11,    /* host/device pointers not matching the backend */
  KEOPS_ERROR_BACKEND_UNAVAILABLE = 12, /* backend not compiled into this library */
  KEOPS_ERROR_INVALID_DEVICE = 13,      /* no such CUDA device */
  KEOPS_ERROR_CUDA = 14,                /* a CUDA runtime failure */
  KEOPS_ERROR_OUT_OF_MEMORY = 15,       /* a host or device allocation failed */
  KEOPS_ERROR_NOT_SUPPORTED = 16,       /* a valid request this library version cannot serve */
  KEOPS_ERROR_INTERNAL = 17             /* a bug in keopsc; please report it */
} keops_status;

typedef enum keops_backend {
  KEOPS_BACKEND_AUTO = 0,
  KEOPS_BACKEND_CPU = 1,
  KEOPS_BACKEND_CUDA = 2
} keops_backend;

typedef enum keops_cuda_scheme {
  KEOPS_CUDA_AUTO = 0,
  KEOPS_CUDA_1D = 1,
  KEOPS_CUDA_2D = 2
} keops_cuda_scheme;

/* Block-sparse ranges, KeOps's 6-tuple (SPEC.md §5.3). int64, host memory; [a, b) pairs. */
typedef struct keops_ranges {
  int64_t nranges_i;
  const int64_t *ranges_i; /* nranges_i x 2 */
  const int64_t *slices_i; /* nranges_i */
  int64_t nredranges_j;
  const int64_t *redranges_j; /* nredranges_j x 2 */
  int64_t nranges_j;
  const int64_t *ranges_j; /* nranges_j x 2 */
  const int64_t *slices_j; /* nranges_j */
  int64_t nredranges_i;
  const int64_t *redranges_i; /* nredranges_i x 2 */
} keops_ranges;

/* Run-time options (SPEC.md §5.2). Pass NULL for the defaults, or start from
   KEOPS_OPTIONS_DEFAULT: `keops_options o = KEOPS_OPTIONS_DEFAULT; o.num_threads = 4;`. */
typedef struct keops_options {
  int32_t backend;             /* keops_backend */
  int32_t cuda_scheme;         /* keops_cuda_scheme */
  int32_t device_id;           /* -1: the calling thread's current device */
  void *stream;                /* cudaStream_t; NULL: the default stream */
  int32_t num_threads;         /* 0: all hardware threads */
  const keops_ranges *ranges;  /* NULL: dense */
  int64_t batch;               /* 0 or 1: no batch */
  const uint8_t *batch_shared; /* one flag per input, or NULL */
  int32_t deterministic;       /* 1: bitwise-reproducible results */
} keops_options;

#define KEOPS_OPTIONS_DEFAULT                                                                      \
  { KEOPS_BACKEND_AUTO, KEOPS_CUDA_AUTO, -1, NULL, 0, NULL, 0, NULL, 0 }

#ifdef __cplusplus
}
#endif

#endif /* KEOPS_API_V1 */
