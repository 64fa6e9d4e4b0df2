// StdlibConformance.cpp: every reduction of stdlib_suite.kfl (one per stdlib formula) against a
// float64 brute force written here, on fresh random data. It owns no formula: those are stdlib/.
//   stdlib_conformance [--case NAME] [--seed S] [--perturb]
// --perturb shifts every reference value by more than its tolerance and succeeds only if every
// check then fails: the checks are able to fail.
#include "stdlib_suite.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <vector>

namespace {

constexpr int64_t kM = 300, kN = 2000, kDim = 3, kK = 5;
constexpr double kU = 1.0 / (1 << 24); // float32 unit roundoff
constexpr double kCF = 32;             // SPEC.md §7.4: formulas with elementary functions
constexpr double kTiny = 1e-37;
const double kH = 256 + std::ceil(kN / 256.0); // block_sum: h(n) = 256 + ceil(n / 256)

struct Data {
  std::vector<float> x, y, b, f, gj, logb, fi, loga;
  float g = 0, eps = 0;
};

double perturbation = 0; // --perturb: added to references, scaled by each check's magnitude

Data makeData(uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<float> sym(-1, 1), pos(0.1f, 1);
  auto fill = [&](std::vector<float> &v, int64_t n, auto &dist) {
    v.resize(n);
    for (float &e : v)
      e = dist(rng);
  };
  Data d;
  fill(d.x, kM * kDim, sym);
  fill(d.y, kN * kDim, sym);
  fill(d.b, kN * 2, sym);
  fill(d.f, kN, sym);
  fill(d.gj, kN, sym);
  fill(d.fi, kM, sym);
  fill(d.logb, kN, pos);
  fill(d.loga, kM, pos);
  for (float &w : d.logb)
    w = std::log(w / kN);
  for (float &w : d.loga)
    w = std::log(w / kM);
  d.g = std::uniform_real_distribution<float>(1, 8)(rng);
  d.eps = std::uniform_real_distribution<float>(0.05f, 0.5f)(rng);
  return d;
}

const float *row(const std::vector<float> &v, int64_t i) { return v.data() + i * kDim; }

double sqDist(const float *u, const float *v) {
  double s = 0;
  for (int k = 0; k < kDim; ++k)
    s += (double(u[k]) - v[k]) * (double(u[k]) - v[k]);
  return s;
}

bool report(const char *name, bool ok, double worst) {
  std::printf("%-22s %s (worst error / tolerance = %.3g)\n", name, ok ? "ok" : "FAILED", worst);
  return ok;
}

bool callOk(keops_status status, const char *name) {
  if (status == KEOPS_OK)
    return true;
  std::printf("%-22s FAILED: status %d: %s\n", name, int(status), stdlib_suite_last_error());
  return false;
}

// Sum over j of terms(i, j) (D components): |out - ref| <= tau * sum_j |term| + tiny.
using Terms = std::function<void(int64_t i, int64_t j, double *term)>;
bool checkSum(const char *name, int D, const std::vector<float> &out, const Terms &terms) {
  const double tau = kCF * kU + kH * kU + kU;
  double worst = 0;
  std::vector<double> term(D), ref(D), mag(D);
  for (int64_t i = 0; i < kM; ++i) {
    std::fill(ref.begin(), ref.end(), 0.0);
    std::fill(mag.begin(), mag.end(), 0.0);
    for (int64_t j = 0; j < kN; ++j) {
      terms(i, j, term.data());
      for (int c = 0; c < D; ++c) {
        ref[c] += term[c];
        mag[c] += std::fabs(term[c]);
      }
    }
    for (int c = 0; c < D; ++c) {
      double expected = ref[c] + perturbation * (mag[c] + 1);
      double error = std::fabs(out[i * D + c] - expected) / (tau * mag[c] + kTiny);
      worst = std::isnan(error) ? INFINITY : std::max(worst, error);
    }
  }
  return report(name, worst <= 1, worst);
}

// LogSumExp over the reduced axis (rows outputs, cols terms each): SPEC.md §7.4's bound.
using Term = std::function<double(int64_t row, int64_t col)>;
bool checkLse(const char *name, int64_t rows, int64_t cols, const std::vector<float> &out,
              const Term &term) {
  double worst = 0;
  const double h = 256 + std::ceil(cols / 256.0);
  for (int64_t r = 0; r < rows; ++r) {
    double m = -INFINITY, maxAbs = 0;
    for (int64_t c = 0; c < cols; ++c) {
      m = std::max(m, term(r, c));
      maxAbs = std::max(maxAbs, std::fabs(term(r, c)));
    }
    double s = 0;
    for (int64_t c = 0; c < cols; ++c)
      s += std::exp(term(r, c) - m);
    double ref = m + std::log(s) + perturbation * (std::fabs(m + std::log(s)) + 1);
    double tol = kCF * kU * maxAbs + h * kU + kU * std::fabs(ref);
    double error = std::fabs(out[r] - ref) / tol;
    worst = std::isnan(error) ? INFINITY : std::max(worst, error);
  }
  return report(name, worst <= 1, worst);
}

// KMin_ArgKMin over j: values within c_F u of the reference's (scaled by `scale`, the size of
// the terms the formula adds), indices distinct and pointing at a term of that value.
using Entry = keops_status (*)(int64_t, int64_t, const float *, const float *, float *, int64_t *,
                               const keops_options *);
bool checkKnn(const char *name, Entry entry, const Data &d, const Term &term, const Term &scale) {
  std::vector<float> values(kM * kK, std::nanf(""));
  std::vector<int64_t> indices(kM * kK, std::numeric_limits<int64_t>::min());
  if (!callOk(entry(kM, kN, d.x.data(), d.y.data(), values.data(), indices.data(), nullptr), name))
    return false;
  double worst = 0;
  std::vector<std::pair<double, int64_t>> all(kN);
  for (int64_t i = 0; i < kM; ++i) {
    for (int64_t j = 0; j < kN; ++j)
      all[j] = {term(i, j), j};
    std::partial_sort(all.begin(), all.begin() + kK, all.end());
    for (int64_t k = 0; k < kK; ++k) {
      double ref = all[k].first + perturbation * (scale(i, all[k].second) + 1);
      double tol = kCF * kU * scale(i, all[k].second) + kTiny;
      int64_t index = indices[i * kK + k];
      double error = std::fabs(values[i * kK + k] - ref) / tol;
      bool indexOk = index >= 0 && index < kN &&
                     std::fabs(term(i, index) - ref) <= tol + kCF * kU * scale(i, index) &&
                     std::count(&indices[i * kK], &indices[i * kK + k], index) == 0;
      worst = std::isnan(error) || !indexOk ? INFINITY : std::max(worst, error);
    }
  }
  return report(name, worst <= 1, worst);
}

using SumEntry = keops_status (*)(int64_t, int64_t, const float *, const float *, const float *,
                                  const float *, float *, const keops_options *);

// A radial kernel k(r^2, gamma) times the 2-vector b_j.
bool radial(const char *name, SumEntry entry, const Data &d,
            const std::function<double(double, double)> &k) {
  std::vector<float> out(kM * 2, std::nanf(""));
  if (!callOk(entry(kM, kN, d.x.data(), d.y.data(), d.b.data(), &d.g, out.data(), nullptr), name))
    return false;
  return checkSum(name, 2, out, [&](int64_t i, int64_t j, double *t) {
    double kij = k(sqDist(row(d.x, i), row(d.y, j)), d.g);
    t[0] = kij * d.b[2 * j];
    t[1] = kij * d.b[2 * j + 1];
  });
}

double gaussian(double r2, double g) { return std::exp(-g * r2); }
double laplace(double r2, double g) { return std::exp(-std::sqrt(g * r2)); }
double cauchy(double r2, double g) { return 1 / (1 + g * r2); }
double imq(double r2, double g) { return 1 / std::sqrt(1 + g * r2); }
double matern32(double r2, double g) {
  double s = std::sqrt(3 * g * r2);
  return (1 + s) * std::exp(-s);
}
double matern52(double r2, double g) {
  double s = std::sqrt(5 * g * r2);
  return (1 + s + s * s / 3) * std::exp(-s);
}

bool energy(const Data &d) {
  std::vector<float> out(kM, std::nanf(""));
  if (!callOk(stdlib_suite_energy(kM, kN, d.x.data(), d.y.data(), out.data(), nullptr), "energy"))
    return false;
  return checkSum("energy", 1, out, [&](int64_t i, int64_t j, double *t) {
    t[0] = -std::sqrt(sqDist(row(d.x, i), row(d.y, j)));
  });
}

bool sinkhornF(const Data &d) {
  std::vector<float> out(kM, std::nanf(""));
  if (!callOk(stdlib_suite_sinkhorn_f(kM, kN, d.x.data(), d.y.data(), d.gj.data(), d.logb.data(),
                                      &d.eps, out.data(), nullptr),
              "sinkhorn_f"))
    return false;
  return checkLse("sinkhorn_f", kM, kN, out, [&](int64_t i, int64_t j) {
    return d.logb[j] + (d.gj[j] - sqDist(row(d.x, i), row(d.y, j)) / 2) / d.eps;
  });
}

bool sinkhornG(const Data &d) {
  std::vector<float> out(kN, std::nanf(""));
  if (!callOk(stdlib_suite_sinkhorn_g(kM, kN, d.x.data(), d.y.data(), d.fi.data(), d.loga.data(),
                                      &d.eps, out.data(), nullptr),
              "sinkhorn_g"))
    return false;
  return checkLse("sinkhorn_g", kN, kM, out, [&](int64_t j, int64_t i) {
    return d.loga[i] + (d.fi[i] - sqDist(row(d.x, i), row(d.y, j)) / 2) / d.eps;
  });
}

bool softminEuclidean(const Data &d) {
  std::vector<float> out(kM, std::nanf(""));
  if (!callOk(stdlib_suite_softmin_euclidean(kM, kN, d.x.data(), d.y.data(), d.gj.data(),
                                             d.logb.data(), &d.eps, out.data(), nullptr),
              "softmin_euclidean"))
    return false;
  return checkLse("softmin_euclidean", kM, kN, out, [&](int64_t i, int64_t j) {
    return d.logb[j] + (d.gj[j] - std::sqrt(sqDist(row(d.x, i), row(d.y, j)))) / d.eps;
  });
}

double dot(const float *u, const float *v) {
  double s = 0;
  for (int k = 0; k < kDim; ++k)
    s += double(u[k]) * v[k];
  return s;
}
double absDot(const float *u, const float *v) {
  double s = 0;
  for (int k = 0; k < kDim; ++k)
    s += std::fabs(double(u[k]) * v[k]);
  return s;
}
double manhattan(const float *u, const float *v) {
  double s = 0;
  for (int k = 0; k < kDim; ++k)
    s += std::fabs(double(u[k]) - v[k]);
  return s;
}

bool knn(const char *name, Entry entry, const Data &d) {
  auto x = [&](int64_t i) { return row(d.x, i); };
  auto y = [&](int64_t j) { return row(d.y, j); };
  std::string which = name;
  if (which == "knn_l2")
    return checkKnn(
        name, entry, d, [&](int64_t i, int64_t j) { return sqDist(x(i), y(j)); },
        [&](int64_t i, int64_t j) { return sqDist(x(i), y(j)); });
  if (which == "knn_l1")
    return checkKnn(
        name, entry, d, [&](int64_t i, int64_t j) { return manhattan(x(i), y(j)); },
        [&](int64_t i, int64_t j) { return manhattan(x(i), y(j)); });
  if (which == "knn_ip")
    return checkKnn(
        name, entry, d, [&](int64_t i, int64_t j) { return -dot(x(i), y(j)); },
        [&](int64_t i, int64_t j) { return absDot(x(i), y(j)); });
  // 1 - cos: its error scales with the cosine's terms, each at most 1 in size.
  return checkKnn(
      name, entry, d,
      [&](int64_t i, int64_t j) {
        return 1 - dot(x(i), y(j)) / std::sqrt(dot(x(i), x(i)) * dot(y(j), y(j)));
      },
      [&](int64_t, int64_t) { return 2.0; });
}

bool nadarayaWatson(const Data &d) {
  std::vector<float> out(kM * 2, std::nanf(""));
  if (!callOk(stdlib_suite_nadaraya_watson(kM, kN, d.x.data(), d.y.data(), d.f.data(), &d.g,
                                           out.data(), nullptr),
              "nadaraya_watson"))
    return false;
  return checkSum("nadaraya_watson", 2, out, [&](int64_t i, int64_t j, double *t) {
    double k = gaussian(sqDist(row(d.x, i), row(d.y, j)), d.g);
    t[0] = k * d.f[j];
    t[1] = k;
  });
}

std::map<std::string, std::function<bool(const Data &)>> cases() {
  return {
      {"gaussian",
       [](const Data &d) { return radial("gaussian", stdlib_suite_gaussian, d, gaussian); }},
      {"laplace",
       [](const Data &d) { return radial("laplace", stdlib_suite_laplace, d, laplace); }},
      {"cauchy", [](const Data &d) { return radial("cauchy", stdlib_suite_cauchy, d, cauchy); }},
      {"inverse_multiquadric",
       [](const Data &d) {
         return radial("inverse_multiquadric", stdlib_suite_inverse_multiquadric, d, imq);
       }},
      {"matern32",
       [](const Data &d) { return radial("matern32", stdlib_suite_matern32, d, matern32); }},
      {"matern52",
       [](const Data &d) { return radial("matern52", stdlib_suite_matern52, d, matern52); }},
      {"energy", energy},
      {"sinkhorn_f", sinkhornF},
      {"sinkhorn_g", sinkhornG},
      {"softmin_euclidean", softminEuclidean},
      {"knn_l2", [](const Data &d) { return knn("knn_l2", stdlib_suite_knn_l2, d); }},
      {"knn_l1", [](const Data &d) { return knn("knn_l1", stdlib_suite_knn_l1, d); }},
      {"knn_ip", [](const Data &d) { return knn("knn_ip", stdlib_suite_knn_ip, d); }},
      {"knn_cos", [](const Data &d) { return knn("knn_cos", stdlib_suite_knn_cos, d); }},
      {"interp_gaussian",
       [](const Data &d) {
         return radial("interp_gaussian", stdlib_suite_interp_gaussian, d, gaussian);
       }},
      {"interp_matern52",
       [](const Data &d) {
         return radial("interp_matern52", stdlib_suite_interp_matern52, d, matern52);
       }},
      {"interp_imq",
       [](const Data &d) { return radial("interp_imq", stdlib_suite_interp_imq, d, imq); }},
      {"nadaraya_watson", nadarayaWatson},
  };
}

} // namespace

int main(int argc, char **argv) {
  std::string only;
  uint64_t seed = std::random_device{}();
  for (int a = 1; a < argc; ++a) {
    if (!std::strcmp(argv[a], "--case") && a + 1 < argc)
      only = argv[++a];
    else if (!std::strcmp(argv[a], "--seed") && a + 1 < argc)
      seed = std::strtoull(argv[++a], nullptr, 10);
    else if (!std::strcmp(argv[a], "--perturb"))
      perturbation = 1e-2;
    else {
      std::fprintf(stderr, "usage: %s [--case NAME] [--seed S] [--perturb]\n", argv[0]);
      return 2;
    }
  }
  std::printf("seed %llu (rerun: --seed %llu), M = %lld, N = %lld%s\n", (unsigned long long)seed,
              (unsigned long long)seed, (long long)kM, (long long)kN,
              perturbation ? ", references perturbed: every check must fail" : "");
  Data data = makeData(seed);
  int run = 0, failed = 0;
  for (const auto &[name, check] : cases()) {
    if (!only.empty() && name != only)
      continue;
    ++run;
    failed += !check(data);
  }
  if (run == 0) {
    std::fprintf(stderr, "no case named '%s'\n", only.c_str());
    return 2;
  }
  if (perturbation)
    return failed == run ? 0 : 1;
  return failed == 0 ? 0 : 1;
}
