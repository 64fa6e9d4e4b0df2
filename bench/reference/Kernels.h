// bench/reference/Kernels.h: what each ISA path of the reference kernels exports (row ranges of
// one call, on y already in the structure-of-arrays layout of Dispatch.cpp). Not the dispatch.
#pragma once

#include <cstdint>

namespace keopsc_ref {

// y transposed to D rows of Npad floats (padding lanes are set so they add nothing), b padded
// alike; coordinates may be pre-scaled by the kernel's caller (see each kernel).
template <class T> struct Soa {
  int64_t N, Npad, D;
  const T *y;    // y[d * Npad + j]
  const T *b;    // b[j], may be null
  const T *sq;   // |y_j|^2, for the large-D kernels that expand the distance; may be null
  int64_t tileJ; // 0: y[d * Npad + j]; else tiles of tileJ points: y[(j / t) t D + d t + j % t]
  const T *rows; // y as the caller gave it (N x D), for the k-NN's exact re-check; may be null
};

struct KernelTable {
  const char *name;
  // x and y scaled by sqrt(g log2 e): out_i = sum_j 2^-|x_i - y_j|^2 b_j, any D.
  void (*gauss)(int64_t i0, int64_t i1, const float *x, const Soa<float> &y, float *out);
  // x and y scaled by g log2 e: out_i = sum_j 2^-|x_i - y_j| b_j, D = 3.
  void (*laplace)(int64_t i0, int64_t i1, const float *x, const Soa<float> &y, float *out);
  // x and y scaled by sqrt(g log2 e), b by log2 e: out_i = ln sum_j 2^(b_j - |x_i - y_j|^2).
  void (*lse)(int64_t i0, int64_t i1, const float *x, const Soa<float> &y, float *out);
  // x and y scaled by s = sqrt(g log2 e): grad_i = c e_i sum_j 2^-|x_i-y_j|^2 b_j (x_i - y_j).
  void (*gaussDx)(int64_t i0, int64_t i1, const float *x, const Soa<float> &y, float c,
                  const float *e, float *grad);
  // unscaled: the K = 10 nearest, by squared distance, any D.
  void (*argKMin10)(int64_t i0, int64_t i1, const float *x, const Soa<float> &y, int64_t *idx);
  // float64 gauss, D = 3, scaled like gauss.
  void (*gauss64)(int64_t i0, int64_t i1, const double *x, const Soa<double> &y, double *out);
};

extern const KernelTable baselineTable, avx2Table, avx512Table;

} // namespace keopsc_ref
