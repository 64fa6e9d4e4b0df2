// main.cpp: smooths noisy samples of a known function with the kernels of smoothing.kfl.
// Prints each estimate's error against the true function and keopsc's agreement with float64.
#include "smoothing.h"

#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

namespace {

double truth(double u, double v) { return std::sin(3 * u) * std::cos(2 * v); }

using Entry = keops_status (*)(int64_t, int64_t, const float *, const float *, const float *,
                               const float *, float *, const keops_options *);

// Runs one estimate; returns false when keopsc and the float64 brute force disagree.
bool estimate(const char *name, Entry entry, bool blend, const std::vector<float> &x,
              const std::vector<float> &y, const std::vector<float> &b, float gamma) {
  const int64_t M = x.size() / 2, N = y.size() / 2;
  std::vector<float> out(M * 2, std::nanf("")); // a call that writes nothing shows up as NaN
  if (entry(M, N, x.data(), y.data(), b.data(), &gamma, out.data(), nullptr) != KEOPS_OK) {
    std::fprintf(stderr, "%s: %s\n", name, smoothing_last_error());
    return false;
  }
  double worst = 0, squared = 0;
  for (int64_t i = 0; i < M; ++i) {
    double num = 0, den = 0;
    for (int64_t j = 0; j < N; ++j) {
      double du = x[2 * i] - y[2 * j], dv = x[2 * i + 1] - y[2 * j + 1];
      double r2 = gamma * (du * du + dv * dv);
      double k = blend ? 0.75 * std::exp(-r2) + 0.25 / (1 + r2) : std::exp(-r2);
      num += k * b[j];
      den += k;
    }
    worst = std::fmax(worst, std::fabs(out[2 * i] - num) / den);
    worst = std::fmax(worst, std::fabs(out[2 * i + 1] - den) / den);
    double error = out[2 * i] / out[2 * i + 1] - truth(x[2 * i], x[2 * i + 1]);
    squared += error * error;
  }
  std::printf("%-8s RMS error vs the true function %.4f; keopsc vs float64: %.1e\n", name,
              std::sqrt(squared / M), worst);
  return worst < 1e-4;
}

} // namespace

int main() {
  const int64_t M = 400, N = 5000;
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> unit(0, 1);
  std::normal_distribution<float> noise(0, 0.2f);
  std::vector<float> x(M * 2), y(N * 2), b(N);
  for (float &v : x)
    v = 0.1f + 0.8f * unit(rng); // away from the edges, where smoothing is biased
  for (int64_t j = 0; j < N; ++j) {
    y[2 * j] = unit(rng);
    y[2 * j + 1] = unit(rng);
    b[j] = static_cast<float>(truth(y[2 * j], y[2 * j + 1])) + noise(rng);
  }
  const float gamma = 400; // bandwidth 0.05
  std::printf("Nadaraya-Watson smoothing of sin(3u) cos(2v) + N(0, 0.2^2) noise, %lld samples\n",
              static_cast<long long>(N));
  bool ok = estimate("gaussian", smoothing_gaussian, false, x, y, b, gamma);
  ok = estimate("blend", smoothing_weighted, true, x, y, b, gamma) && ok;
  std::printf("%s\n", ok ? "OK: both estimates are well below the noise level 0.2"
                         : "FAILED: keopsc disagrees with the brute force");
  return ok ? 0 : 1;
}
