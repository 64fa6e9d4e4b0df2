// keops/portable/complex.h: the arithmetic of complex numbers stored as interleaved (re, im)
// pairs (SPEC.md §3), for every backend and dtype; the generated code loops over the pairs and
// broadcasts. Results of two components are written through `out` (out[0] = re, out[1] = im).
// No exported symbols.
#ifndef KEOPS_PORTABLE_COMPLEX_H
#define KEOPS_PORTABLE_COMPLEX_H

#include "keops/portable/config.h"

#include <cmath>

namespace keops_rt {
namespace {

/// (a + ib)(c + id) = (ac − bd, ad + bc).
template <class T> KEOPS_HD void op_cmult(T a, T b, T c, T d, T *out) {
  out[0] = a * c - b * d;
  out[1] = a * d + b * c;
}

/// (a + ib)/(c + id) = (a + ib)·(c − id)/(c² + d²); NaNs when c = d = 0.
template <class T> KEOPS_HD void op_cdivide(T a, T b, T c, T d, T *out) {
  T norm = c * c + d * d;
  out[0] = (a * c + b * d) / norm;
  out[1] = (b * c - a * d) / norm;
}

/// e^(a + ib) = e^a·(cos b, sin b).
template <class T> KEOPS_HD void op_cexp(T a, T b, T *out) {
  T scale = std::exp(a);
  out[0] = scale * std::cos(b);
  out[1] = scale * std::sin(b);
}

/// e^(ia) = (cos a, sin a).
template <class T> KEOPS_HD void op_cexp1j(T a, T *out) {
  out[0] = std::cos(a);
  out[1] = std::sin(a);
}

template <class T> KEOPS_HD T op_csquareabs(T a, T b) { return a * a + b * b; }
/// √(a² + b²) as SPEC.md §3 writes it (no hypot rescaling, like KeOps).
template <class T> KEOPS_HD T op_cabs(T a, T b) { return std::sqrt(a * a + b * b); }
/// atan2(b, a) in (−π, π], a function of the real values like Atan2 (math.h): adding +0 turns −0
/// into +0, so C's −π for (a < 0, b = −0) becomes π, and the angle of (±0, ±0) is 0 (the
/// simplifier folds −0 and +0 to one zero).
template <class T> KEOPS_HD T op_cangle(T a, T b) { return std::atan2(b + T(0), a + T(0)); }

} // namespace
} // namespace keops_rt

#endif
