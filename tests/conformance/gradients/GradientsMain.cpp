// GradientsMain.cpp: reduction-level gradients (SPEC.md §6) through the generated C API. In
// float64, each Grad entry point against central differences of its forward entry point
// (step 1e-6·(1+|v|), norm-wise relative error <= 1e-5, SPEC.md §7.4); in float32, against the
// float64 gradient on the same rounded inputs (norm-wise relative error <= sqrt(n)·tau), and so in
// float16 (inputs representable in binary16, u_d = 2^-11, float32 accumulation). Both
// axes, gradients with respect to the output and the reduced category, several sizes, outputs
// poisoned. The seed is printed; `--seed S` replays a run.
#include "grad_f16.h"
#include "grad_f32.h"
#include "grad_f64.h"
// Binary16 conversions for the float16 library's arrays (the runtime's own, exhaustively tested
// in tests/unit/runtime/HalfTest.cpp).
#include "keops/portable/half.h"

#include <chrono>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <vector>

namespace {

template <class T>
using Forward = keops_status (*)(int64_t, int64_t, const T *, const T *, const T *, const T *, T *,
                                 const keops_options *);
template <class T>
using Gradient = keops_status (*)(int64_t, int64_t, const T *, const T *, const T *, const T *,
                                  const T *, T *, const keops_options *);

struct Case {
  const char *name;
  Forward<double> forward;
  Gradient<double> grad64;
  Gradient<float> grad32;
  Gradient<uint16_t> grad16;
  int axis;     ///< the forward's
  int variable; ///< 0: x (Vi), 1: y (Vj)
  int width;    ///< values per output row of the forward (e's dimension)
};

#define CASE(r, v, axis, var, width)                                                               \
  {                                                                                                \
#r "_d" #v, grad_f64_##r, grad_f64_##r##_d##v, grad_f32_##r##_d##v, grad_f16_##r##_d##v, axis, \
        var, width                                                                                 \
  }
const Case kCases[] = {
    CASE(sum1, x, 1, 0, 2), CASE(sum1, y, 1, 1, 2), CASE(sum0, x, 0, 0, 2), CASE(sum0, y, 0, 1, 2),
    CASE(lse1, x, 1, 0, 1), CASE(lse1, y, 1, 1, 1), CASE(lse0, x, 0, 0, 1), CASE(lse0, y, 0, 1, 1),
};
#undef CASE

struct Problem {
  int64_t M, N;
  std::vector<double> x, y, b, g, e;
  std::vector<float> xf, yf, bf, gf, ef;
  std::vector<uint16_t> xh, yh, bh, gh, eh;
};

std::vector<double> uniform(std::mt19937_64 &rng, size_t n, double lo, double hi) {
  std::uniform_real_distribution<double> u(lo, hi);
  std::vector<double> v(n);
  for (double &value : v)
    value = double(keops_rt::halfToFloat(keops_rt::doubleToHalf(u(rng)))); // every library reads
                                                                           // the same values
  return v;
}

std::vector<float> toFloat(const std::vector<double> &v) { return {v.begin(), v.end()}; }

double asDouble(double v) { return v; }
double asDouble(float v) { return double(v); }
double asDouble(uint16_t v) { return double(keops_rt::halfToFloat(v)); }

std::vector<uint16_t> toHalf(const std::vector<double> &v) {
  std::vector<uint16_t> h;
  for (double x : v)
    h.push_back(keops_rt::doubleToHalf(x));
  return h;
}

Problem makeProblem(std::mt19937_64 &rng, const Case &c, int64_t M, int64_t N) {
  Problem p{M, N, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}};
  p.x = uniform(rng, size_t(M * 3), 0, 1);
  p.y = uniform(rng, size_t(N * 3), 0, 1);
  p.b = uniform(rng, size_t(N * 2), -1, 1);
  p.g = uniform(rng, 1, 0.5, 1.5);
  p.e = uniform(rng, size_t((c.axis == 1 ? M : N) * c.width), -1, 1);
  p.xf = toFloat(p.x);
  p.yf = toFloat(p.y);
  p.bf = toFloat(p.b);
  p.gf = toFloat(p.g);
  p.ef = toFloat(p.e);
  p.xh = toHalf(p.x);
  p.yh = toHalf(p.y);
  p.bh = toHalf(p.b);
  p.gh = toHalf(p.g);
  p.eh = toHalf(p.e);
  return p;
}

int64_t failures = 0;

void fail(const Case &c, const Problem &p, const char *what, double error, double bound) {
  ++failures;
  std::printf("FAIL %s M=%" PRId64 " N=%" PRId64 " %s: relative error %.3g > %.3g\n", c.name, p.M,
              p.N, what, error, bound);
}

double relativeError(const std::vector<double> &got, const std::vector<double> &want) {
  double diff = 0, norm = 0;
  for (size_t k = 0; k < got.size(); ++k) {
    diff += (got[k] - want[k]) * (got[k] - want[k]);
    norm += want[k] * want[k];
  }
  return std::sqrt(diff) / std::max(std::sqrt(norm), 1e-300);
}

/// ⟨e, r(v)⟩ in float64 through the forward entry point.
double pairing(const Case &c, const Problem &p, const std::vector<double> &x,
               const std::vector<double> &y) {
  std::vector<double> out(p.e.size(), NAN);
  if (c.forward(p.M, p.N, x.data(), y.data(), p.b.data(), p.g.data(), out.data(), nullptr) !=
      KEOPS_OK) {
    std::printf("FAIL %s: forward call failed: %s\n", c.name, grad_f64_last_error());
    std::exit(1);
  }
  double s = 0;
  for (size_t k = 0; k < out.size(); ++k)
    s += p.e[k] * out[k];
  return s;
}

std::vector<double> finiteDifferences(const Case &c, const Problem &p) {
  std::vector<double> x = p.x, y = p.y;
  std::vector<double> &v = c.variable == 0 ? x : y;
  std::vector<double> g(v.size());
  for (size_t k = 0; k < v.size(); ++k) {
    const double v0 = v[k], h = 1e-6 * (1 + std::fabs(v0));
    v[k] = v0 + h;
    const double up = pairing(c, p, x, y);
    v[k] = v0 - h;
    const double down = pairing(c, p, x, y);
    v[k] = v0;
    g[k] = (up - down) / (2 * h);
  }
  return g;
}

template <class T, class G>
std::vector<double> gradient(G fn, const Problem &p, const std::vector<T> &x,
                             const std::vector<T> &y, const std::vector<T> &b,
                             const std::vector<T> &g, const std::vector<T> &e, size_t size,
                             const char *(*lastError)(void), const Case &c) {
  std::vector<T> out(size, keops_rt::storeAs<T>(NAN));
  const keops_status st =
      fn(p.M, p.N, x.data(), y.data(), b.data(), g.data(), e.data(), out.data(), nullptr);
  if (st != KEOPS_OK) {
    std::printf("FAIL %s: status %d: %s\n", c.name, int(st), lastError());
    std::exit(1);
  }
  std::vector<double> values;
  for (T v : out)
    values.push_back(asDouble(v));
  return values;
}

void run(const Case &c, std::mt19937_64 &rng, int64_t M, int64_t N) {
  const Problem p = makeProblem(rng, c, M, N);
  const size_t size = size_t((c.variable == 0 ? M : N) * 3);
  const std::vector<double> g64 =
      gradient<double>(c.grad64, p, p.x, p.y, p.b, p.g, p.e, size, grad_f64_last_error, c);
  const double fdError = relativeError(g64, finiteDifferences(c, p));
  if (!(fdError <= 1e-5))
    fail(c, p, "float64 vs finite differences", fdError, 1e-5);
  const std::vector<double> g32 =
      gradient<float>(c.grad32, p, p.xf, p.yf, p.bf, p.gf, p.ef, size, grad_f32_last_error, c);
  // √n·τ with c_F = 32 (exponentials), u = 2^-24, h(n) of block sums; n the reduced length.
  const double n = double(c.variable == c.axis ? (c.axis == 1 ? N : M) : (c.axis == 1 ? N : M));
  const double u = std::ldexp(1.0, -24), tau = 32 * u + (256 + std::ceil(n / 256)) * u + u;
  const double bound = std::sqrt(n) * tau;
  const double error = relativeError(g32, g64);
  if (!(error <= bound))
    fail(c, p, "float32 vs float64", error, bound);
  const std::vector<double> g16 =
      gradient<uint16_t>(c.grad16, p, p.xh, p.yh, p.bh, p.gh, p.eh, size, grad_f16_last_error, c);
  const double ud = std::ldexp(1.0, -11), tau16 = 32 * ud + (256 + std::ceil(n / 256)) * u + ud;
  const double error16 = relativeError(g16, g64), bound16 = std::sqrt(n) * tau16;
  if (!(error16 <= bound16))
    fail(c, p, "float16 vs float64", error16, bound16);
}

} // namespace

int main(int argc, char **argv) {
  uint64_t seed = uint64_t(std::chrono::steady_clock::now().time_since_epoch().count());
  if (argc == 3 && std::strcmp(argv[1], "--seed") == 0)
    seed = std::strtoull(argv[2], nullptr, 10);
  std::printf("gradients: seed %" PRIu64 " (rerun: %s --seed %" PRIu64 ")\n", seed, argv[0], seed);
  std::mt19937_64 rng(seed);
  const int64_t sizes[][2] = {{1, 1}, {7, 11}, {13, 5}, {40, 300}};
  int checks = 0;
  for (const Case &c : kCases)
    for (const auto &s : sizes) {
      run(c, rng, s[0], s[1]);
      ++checks;
    }
  if (failures) {
    std::printf("gradients: %" PRId64 " FAILURES (seed %" PRIu64 ")\n", failures, seed);
    return 1;
  }
  std::printf("gradients: all %d gradient checks passed (seed %" PRIu64 ")\n", checks, seed);
  return 0;
}
