// The float64 meaning of the special functions (SPEC.md §3): BSpline by its recursion over
// degrees and SoftDTW_SqDist by its full table of partial costs. Written from the SPEC's
// definitions, independently of the runtime (keops/portable/special.h).
#include "ir/EvaluateRules.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace keopsc::ir::evalrules {
namespace {

/// ω_{k,q}(x) = (x − t_k)/(t_{k+q} − t_k) if t_k < t_{k+q}, else 0.
double omega(const std::vector<double> &t, double x, size_t k, size_t q) {
  return t[k] < t[k + q] ? (x - t[k]) / (t[k + q] - t[k]) : 0.0;
}

/// 1 − ω_{k,q}(x) without the cancellation of 1 − ω near t_{k+q}, where the basis function it
/// multiplies is small too: (t_{k+q} − x)/(t_{k+q} − t_k), or 1 where ω is 0.
double oneMinusOmega(const std::vector<double> &t, double x, size_t k, size_t q) {
  return t[k] < t[k + q] ? (t[k + q] - x) / (t[k + q] - t[k]) : 1.0;
}

/// softmin_γ(u) = −γ ln Σ e^(−u/γ), shifted by the minimum so no exponential overflows.
double softmin(double u0, double u1, double u2, double gamma) {
  double m = std::min({u0, u1, u2});
  if (m == std::numeric_limits<double>::infinity())
    return m; // every term +∞ (the shift would give ∞ − ∞)
  double s = std::exp((m - u0) / gamma) + std::exp((m - u1) / gamma) + std::exp((m - u2) / gamma);
  return m - gamma * std::log(s);
}

} // namespace

void bspline(const std::vector<double> &t, double x, int64_t p, std::vector<double> &out) {
  // basis[q][k] = B_{k,q}(x); degree q has t.size() − 1 − q functions.
  const size_t intervals = t.size() - 1, degree = size_t(p);
  std::vector<std::vector<double>> basis(degree + 1);
  for (size_t k = 0; k < intervals; ++k)
    basis[0].push_back(t[k] <= x && x < t[k + 1] ? 1.0 : 0.0);
  for (size_t q = 1; q <= degree; ++q)
    for (size_t k = 0; k + q < intervals; ++k)
      basis[q].push_back(omega(t, x, k, q) * basis[q - 1][k] +
                         oneMinusOmega(t, x, k + 1, q) * basis[q - 1][k + 1]);
  std::copy(basis[degree].begin(), basis[degree].end(), out.begin());
}

double softDtwSqDist(const std::vector<double> &x, const std::vector<double> &y, double gamma) {
  if (!(gamma > 0)) // SPEC.md §3: NaN for γ ≤ 0 (and a NaN γ), whatever the lengths
    return std::numeric_limits<double>::quiet_NaN();
  const size_t nx = x.size(), ny = y.size();
  // r[a][b]: the soft alignment cost of x[0..a] with y[0..b].
  std::vector<std::vector<double>> r(nx, std::vector<double>(ny));
  for (size_t a = 0; a < nx; ++a)
    for (size_t b = 0; b < ny; ++b) {
      double c = (x[a] - y[b]) * (x[a] - y[b]);
      if (a == 0 && b == 0)
        r[a][b] = c;
      else if (a == 0)
        r[a][b] = r[a][b - 1] + c;
      else if (b == 0)
        r[a][b] = r[a - 1][b] + c;
      else
        r[a][b] = c + softmin(r[a - 1][b - 1], r[a - 1][b], r[a][b - 1], gamma);
    }
  return r[nx - 1][ny - 1];
}

} // namespace keopsc::ir::evalrules
