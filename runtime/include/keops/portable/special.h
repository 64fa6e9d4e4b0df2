// keops/portable/special.h: the special functions of SPEC.md §3 (BSpline, SoftDTW_SqDist), for
// every backend and dtype. Sizes are template arguments, so work arrays live on the stack (or in
// registers on a GPU). No exported symbols.
#ifndef KEOPS_PORTABLE_SPECIAL_H
#define KEOPS_PORTABLE_SPECIAL_H

#include "keops/portable/config.h"

#include <cmath>

namespace keops_rt {
namespace {

/// ω_{k,q}(x) = (x − t_k)/(t_{k+q} − t_k) if t_k < t_{k+q}, else 0.
template <class T> KEOPS_HD T bsplineOmega(const T *t, T x, int k, int q) {
  return t[k] < t[k + q] ? (x - t[k]) / (t[k + q] - t[k]) : T(0);
}

/// 1 − ω_{k,q}(x), as (t_{k+q} − x)/(t_{k+q} − t_k) if t_k < t_{k+q}, else 1: equal in real
/// arithmetic, but without 1 − ω's cancellation near the right end of a support, where it
/// multiplies a small basis function. Every product that contributes is then of nonnegative
/// factors, so each basis function keeps a small relative error.
template <class T> KEOPS_HD T bsplineOneMinusOmega(const T *t, T x, int k, int q) {
  return t[k] < t[k + q] ? (t[k + q] - x) / (t[k + q] - t[k]) : T(1);
}

/// The NT − P − 1 B-spline basis functions of degree P on the knots t[0..NT) at x, into out:
/// B_{k,0} = [t_k ≤ x < t_{k+1}], B_{k,q} = ω_{k,q}B_{k,q−1} + (1 − ω_{k+1,q})B_{k+1,q−1},
/// computed in place over degrees (de Boor's triangle).
template <int NT, int P, class T> KEOPS_HD void op_bspline(const T *t, T x, T *out) {
  T basis[NT - 1];
  for (int k = 0; k < NT - 1; ++k)
    basis[k] = t[k] <= x && x < t[k + 1] ? T(1) : T(0);
  for (int q = 1; q <= P; ++q)
    for (int k = 0; k < NT - 1 - q; ++k)
      basis[k] =
          bsplineOmega(t, x, k, q) * basis[k] + bsplineOneMinusOmega(t, x, k + 1, q) * basis[k + 1];
  for (int k = 0; k < NT - P - 1; ++k)
    out[k] = basis[k];
}

/// softmin_γ(a, b, c) = −γ ln(e^(−a/γ) + e^(−b/γ) + e^(−c/γ)), computed as
/// m − γ ln Σ e^((m − u)/γ) with m the minimum: the sum lies in [1, 3], nothing overflows.
template <class T> KEOPS_HD T softmin3(T a, T b, T c, T gamma) {
  T m = a < b ? a : b;
  m = m < c ? m : c;
  if (m == infinity<T>())
    return m; // every term +∞ (the shift would give ∞ − ∞)
  T sum = std::exp((m - a) / gamma) + std::exp((m - b) / gamma) + std::exp((m - c) / gamma);
  return m - gamma * std::log(sum);
}

/// Soft-DTW of x[0..NX) and y[0..NY) for the cost (x_a − y_b)²: r(0,0) = c(0,0), the first row
/// and column are running sums, r(a,b) = c(a,b) + softmin_γ(r(a−1,b−1), r(a−1,b), r(a,b−1));
/// the value is r(NX−1, NY−1), NaN for γ ≤ 0. One column of r is kept.
template <int NX, int NY, class T> KEOPS_HD T op_softdtw_sqdist(const T *x, const T *y, T gamma) {
  if (!(gamma > T(0)))
    return quietNan<T>();
  T column[NX]; // r(·, b), updated in place from r(·, b − 1)
  T total = T(0);
  for (int a = 0; a < NX; ++a) {
    T d = x[a] - y[0];
    total += d * d;
    column[a] = total;
  }
  for (int b = 1; b < NY; ++b) {
    T diagonal = column[0]; // r(a − 1, b − 1) for a = 1
    T d0 = x[0] - y[b];
    column[0] += d0 * d0;
    for (int a = 1; a < NX; ++a) {
      T left = column[a]; // r(a, b − 1)
      T d = x[a] - y[b];
      column[a] = d * d + softmin3(diagonal, column[a - 1], left, gamma);
      diagonal = left;
    }
  }
  return column[NX - 1];
}

} // namespace
} // namespace keops_rt

#endif
