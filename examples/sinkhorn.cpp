// sinkhorn.cpp: the Sinkhorn divergence between a point cloud and its translate by t, which must
// be the squared Wasserstein distance |t|^2 / 2. Owns the iteration; the half-steps are
// sinkhorn.kfl. One half-step is also checked against a float64 brute force.
#include "sinkhorn.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

namespace {

using Cloud = std::vector<float>; // n x 2, row-major

struct Potentials {
  std::vector<float> f, g;
};

void check(keops_status status) {
  if (status != KEOPS_OK) {
    std::fprintf(stderr, "sinkhorn: %s\n", sinkhorn_last_error());
    std::exit(1);
  }
}

// Sinkhorn with uniform weights and eps-scaling from a blur of the cloud's size down to `eps`.
Potentials solve(const Cloud &x, const Cloud &y, float eps) {
  const int64_t M = x.size() / 2, N = y.size() / 2;
  std::vector<float> loga(M, -std::log(float(M))), logb(N, -std::log(float(N)));
  Potentials p{std::vector<float>(M, 0), std::vector<float>(N, 0)};
  std::vector<float> lse(std::max(M, N));
  std::vector<float> schedule;
  for (float e = 1; e > eps; e *= 0.7f)
    schedule.push_back(e);
  schedule.insert(schedule.end(), 20, eps);
  for (float e : schedule) {
    check(sinkhorn_f_step(M, N, x.data(), y.data(), p.g.data(), logb.data(), &e, lse.data(),
                          nullptr));
    for (int64_t i = 0; i < M; ++i)
      p.f[i] = -e * lse[i];
    check(sinkhorn_g_step(M, N, x.data(), y.data(), p.f.data(), loga.data(), &e, lse.data(),
                          nullptr));
    for (int64_t j = 0; j < N; ++j)
      p.g[j] = -e * lse[j];
  }
  return p;
}

// The entropic transport cost at convergence: <a, f> + <b, g>.
double cost(const Potentials &p) {
  double s = 0;
  for (float v : p.f)
    s += v / p.f.size();
  for (float v : p.g)
    s += v / p.g.size();
  return s;
}

// f_step against a float64 brute force; returns the largest error.
double checkHalfStep(const Cloud &x, const Cloud &y, const Potentials &p, float eps) {
  const int64_t M = x.size() / 2, N = y.size() / 2;
  std::vector<float> logb(N, -std::log(float(N))), out(M, std::nanf(""));
  check(sinkhorn_f_step(M, N, x.data(), y.data(), p.g.data(), logb.data(), &eps, out.data(),
                        nullptr));
  double worst = 0;
  std::vector<double> t(N);
  for (int64_t i = 0; i < M; ++i) {
    for (int64_t j = 0; j < N; ++j) {
      double dx = double(x[2 * i]) - y[2 * j], dy = double(x[2 * i + 1]) - y[2 * j + 1];
      t[j] = logb[j] + (p.g[j] - (dx * dx + dy * dy) / 2) / double(eps);
    }
    double m = *std::max_element(t.begin(), t.end()), s = 0;
    for (double v : t)
      s += std::exp(v - m);
    worst = std::max(worst, std::fabs(out[i] - (m + std::log(s))));
  }
  return worst;
}

} // namespace

int main() {
  const int64_t n = 1000;
  const float eps = 1e-3f, tx = 0.3f, ty = 0.2f;
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> unit(0, 1);
  Cloud x(2 * n), y(2 * n);
  for (int64_t i = 0; i < n; ++i) {
    x[2 * i] = unit(rng);
    x[2 * i + 1] = unit(rng);
    y[2 * i] = x[2 * i] + tx; // y is x translated by t: the optimal map is the translation
    y[2 * i + 1] = x[2 * i + 1] + ty;
  }
  Potentials xy = solve(x, y, eps), xx = solve(x, x, eps), yy = solve(y, y, eps);
  // The Sinkhorn divergence removes the entropic bias of each term.
  double divergence = cost(xy) - 0.5 * cost(xx) - 0.5 * cost(yy);
  double expected = 0.5 * (double(tx) * tx + double(ty) * ty);
  double halfStepError = checkHalfStep(x, y, xy, eps);
  std::printf("%lld points uniform in the unit square against their translate by t = (%.1f, %.1f), "
              "eps = %g\n",
              static_cast<long long>(n), tx, ty, eps);
  std::printf("entropic cost OT(x, y) = %.5f; Sinkhorn divergence = %.5f; |t|^2 / 2 = %.5f\n",
              cost(xy), divergence, expected);
  std::printf("one half-step vs float64 brute force: largest error %.2e\n", halfStepError);
  bool ok = std::fabs(divergence - expected) < 0.05 * expected && halfStepError < 1e-3;
  std::printf("%s\n", ok ? "OK: the divergence is |t|^2 / 2 within 5%" : "FAILED");
  return ok ? 0 : 1;
}
