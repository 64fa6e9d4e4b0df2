// kernel_ridge.cpp: kernel ridge regression with a Gaussian kernel, solved by conjugate gradient;
// every K·c product is keopsc's (kernel_ridge.kfl), the M x N matrix is never stored. Owns the
// data, the CG loop and the report; prints the fit's error against the known true function.
#include "kernel_ridge.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

namespace {

double truth(double u, double v) { return std::sin(6 * u) * std::cos(4 * v) + u * v; }

// out = K(x, y) c, with x and y n x 2 clouds.
std::vector<double> product(const std::vector<float> &x, const std::vector<float> &y,
                            const std::vector<double> &c, float gamma) {
  const int64_t M = x.size() / 2, N = y.size() / 2;
  std::vector<float> cf(c.begin(), c.end()), out(M, std::nanf(""));
  if (kernel_ridge_product(M, N, x.data(), y.data(), cf.data(), &gamma, out.data(), nullptr) !=
      KEOPS_OK) {
    std::fprintf(stderr, "product: %s\n", kernel_ridge_last_error());
    std::exit(1);
  }
  return std::vector<double>(out.begin(), out.end());
}

double dot(const std::vector<double> &a, const std::vector<double> &b) {
  double s = 0;
  for (size_t i = 0; i < a.size(); ++i)
    s += a[i] * b[i];
  return s;
}

} // namespace

int main() {
  const int64_t n = 1500, nTest = 500;
  const float gamma = 25;     // bandwidth 0.2
  const double lambda = 1e-1; // ridge
  const double noiseSd = 0.1;
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> unit(0, 1);
  std::normal_distribution<double> noise(0, noiseSd);
  std::vector<float> x(2 * n), xTest(2 * nTest);
  std::vector<double> f(n);
  for (int64_t i = 0; i < n; ++i) {
    x[2 * i] = unit(rng);
    x[2 * i + 1] = unit(rng);
    f[i] = truth(x[2 * i], x[2 * i + 1]) + noise(rng);
  }
  for (float &v : xTest)
    v = unit(rng);

  // CG on (K + lambda I) c = f, symmetric positive definite.
  std::vector<double> c(n, 0), r = f, p = r;
  double rr = dot(r, r), target = 1e-4 * std::sqrt(rr);
  int iterations = 0;
  for (; iterations < 1000 && std::sqrt(rr) > target; ++iterations) {
    std::vector<double> q = product(x, x, p, gamma);
    for (int64_t i = 0; i < n; ++i)
      q[i] += lambda * p[i];
    double alpha = rr / dot(p, q);
    for (int64_t i = 0; i < n; ++i) {
      c[i] += alpha * p[i];
      r[i] -= alpha * q[i];
    }
    double rrNext = dot(r, r);
    for (int64_t i = 0; i < n; ++i)
      p[i] = r[i] + rrNext / rr * p[i];
    rr = rrNext;
  }
  // The true residual, recomputed from c (CG's recursive one drifts in float32 products).
  std::vector<double> kc = product(x, x, c, gamma);
  double residual = 0;
  for (int64_t i = 0; i < n; ++i)
    residual += std::pow(kc[i] + lambda * c[i] - f[i], 2);
  residual = std::sqrt(residual / dot(f, f));

  std::vector<double> prediction = product(xTest, x, c, gamma);
  double squared = 0;
  for (int64_t i = 0; i < nTest; ++i)
    squared += std::pow(prediction[i] - truth(xTest[2 * i], xTest[2 * i + 1]), 2);
  double rmse = std::sqrt(squared / nTest);

  std::printf("kernel ridge regression of sin(6u) cos(4v) + uv from %lld noisy samples "
              "(noise sd %.2f)\n",
              static_cast<long long>(n), noiseSd);
  std::printf("conjugate gradient: %d iterations, relative residual %.1e\n", iterations, residual);
  std::printf("RMS error of the prediction at %lld new points: %.4f (below the noise level %.2f)\n",
              static_cast<long long>(nTest), rmse, noiseSd);
  bool ok = residual < 1e-3 && rmse < 0.5 * noiseSd;
  std::printf("%s\n", ok ? "OK" : "FAILED");
  return ok ? 0 : 1;
}
