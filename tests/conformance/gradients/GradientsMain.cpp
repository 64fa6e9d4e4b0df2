// GradientsMain.cpp: reduction-level gradients (SPEC.md §6) through the generated C API. In
// float64, each Grad entry point against central differences of its forward entry point
// (step 1e-6·(1+|v|), norm-wise relative error <= 1e-5, SPEC.md §7.4); in float32, against the
// float64 gradient on the same rounded inputs (norm-wise relative error <= sqrt(n)·tau), and so in
// float16 (inputs representable in binary16, u_d = 2^-11, float32 accumulation). Both
// axes, gradients with respect to the output and the reduced category and to Pm inputs (one row
// summed over all rows), several sizes, outputs poisoned. Pm gradients are also checked batched
// (B = 3, the Pm shared or not) against unbatched calls, for the same bits whatever the thread
// count, and for output sizes in the array checks. The seed is printed; `--seed S` replays a run.
#include "grad_f16.h"
#include "grad_f32.h"
#include "grad_f64.h"
// Binary16 conversions for the float16 library's arrays (the runtime's own, exhaustively tested
// in tests/unit/runtime/HalfTest.cpp).
#include "keops/portable/half.h"

#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <vector>

namespace {

/// Every case is called through the signature of the entry points with w (x, y, b, g, w, then e
/// for gradients); those without w are adapted by forwardWithoutW and gradientWithoutW.
template <class T>
using Forward = keops_status (*)(int64_t, int64_t, const T *, const T *, const T *, const T *,
                                 const T *, T *, const keops_options *);
template <class T>
using Gradient = keops_status (*)(int64_t, int64_t, const T *, const T *, const T *, const T *,
                                  const T *, const T *, T *, const keops_options *);
template <class T>
using Forward4 = keops_status (*)(int64_t, int64_t, const T *, const T *, const T *, const T *, T *,
                                  const keops_options *);
template <class T>
using Gradient4 = keops_status (*)(int64_t, int64_t, const T *, const T *, const T *, const T *,
                                   const T *, T *, const keops_options *);

template <class T, Forward4<T> F>
keops_status forwardWithoutW(int64_t M, int64_t N, const T *x, const T *y, const T *b, const T *g,
                             const T *, T *out, const keops_options *opts) {
  return F(M, N, x, y, b, g, out, opts);
}
template <class T, Gradient4<T> F>
keops_status gradientWithoutW(int64_t M, int64_t N, const T *x, const T *y, const T *b, const T *g,
                              const T *, const T *e, T *out, const keops_options *opts) {
  return F(M, N, x, y, b, g, e, out, opts);
}

enum Variable { X, Y, G, W }; ///< x: Vi(3), y: Vj(3), g: Pm(1), w: Pm(3)

struct Case {
  const char *name;
  Forward<double> forward;
  Gradient<double> grad64;
  Gradient<float> grad32;
  Gradient<uint16_t> grad16;
  int axis;          ///< the forward's
  Variable variable; ///< the input differentiated
  int width;         ///< values per output row of the forward (e's dimension)
  bool hasW;         ///< the entry points take w (their C inputs: x, y, b, g, w, e)
};

// clang-format off
#define CASE(r, v, axis, var, width)                                                               \
  {#r "_d" #v, forwardWithoutW<double, grad_f64_##r>,                                              \
   gradientWithoutW<double, grad_f64_##r##_d##v>, gradientWithoutW<float, grad_f32_##r##_d##v>,    \
   gradientWithoutW<uint16_t, grad_f16_##r##_d##v>, axis, var, width, false}
#define CASE_W(r, v, axis, var, width)                                                             \
  {#r "_d" #v, grad_f64_##r, grad_f64_##r##_d##v, grad_f32_##r##_d##v, grad_f16_##r##_d##v,        \
   axis, var, width, true}
// clang-format on
const Case kCases[] = {
    CASE(sum1, x, 1, X, 2),    CASE(sum1, y, 1, Y, 2),    CASE(sum0, x, 0, X, 2),
    CASE(sum0, y, 0, Y, 2),    CASE(lse1, x, 1, X, 1),    CASE(lse1, y, 1, Y, 1),
    CASE(lse0, x, 0, X, 1),    CASE(lse0, y, 0, Y, 1),    CASE(sum1, g, 1, G, 2),
    CASE(sum0, g, 0, G, 2),    CASE(lse1, g, 1, G, 1),    CASE(lse0, g, 0, G, 1),
    CASE_W(psum1, w, 1, W, 2), CASE_W(psum0, w, 0, W, 2), CASE_W(plse1, w, 1, W, 1),
    CASE_W(plse0, w, 0, W, 1), CASE_W(psum1, g, 1, G, 2), CASE_W(plse0, g, 0, G, 1),
};
#undef CASE
#undef CASE_W

bool isParam(Variable v) { return v == G || v == W; }

/// The gradient's elements: the variable's shape (one row for a Pm).
size_t gradientSize(const Case &c, int64_t M, int64_t N) {
  switch (c.variable) {
  case X:
    return size_t(M * 3);
  case Y:
    return size_t(N * 3);
  case G:
    return 1;
  case W:
    return 3;
  }
  return 0;
}

/// The arrays of one call: B blocks of each (one when shared).
template <class T> struct Arrays { std::vector<T> x, y, b, g, w, e; };

struct Problem {
  int64_t M, N;
  Arrays<double> d;
  Arrays<float> f;
  Arrays<uint16_t> h;
};

std::vector<double> uniform(std::mt19937_64 &rng, size_t n, double lo, double hi) {
  std::uniform_real_distribution<double> u(lo, hi);
  std::vector<double> v(n);
  for (double &value : v)
    value = double(keops_rt::halfToFloat(keops_rt::doubleToHalf(u(rng)))); // every library reads
                                                                           // the same values
  return v;
}

double asDouble(double v) { return v; }
double asDouble(float v) { return double(v); }
double asDouble(uint16_t v) { return double(keops_rt::halfToFloat(v)); }

template <class T> std::vector<T> convert(const std::vector<double> &v) {
  std::vector<T> out;
  for (double x : v)
    out.push_back(keops_rt::storeAs<T>(x));
  return out;
}

template <class T> Arrays<T> convertAll(const Arrays<double> &a) {
  return {convert<T>(a.x), convert<T>(a.y), convert<T>(a.b),
          convert<T>(a.g), convert<T>(a.w), convert<T>(a.e)};
}

void setFloatCopies(Problem &p) {
  p.f = convertAll<float>(p.d);
  p.h = convertAll<uint16_t>(p.d);
}

/// Rows of e: the forward's output rows.
int64_t outputRows(const Case &c, int64_t M, int64_t N) { return c.axis == 1 ? M : N; }

/// `blocks` blocks of every array. For Pm gradients b and e are positive and w shifts y away from
/// x, so the sum over all pairs does not cancel (its relative error stays meaningful).
Problem makeProblem(std::mt19937_64 &rng, const Case &c, int64_t M, int64_t N, int64_t blocks = 1) {
  const bool positive = isParam(c.variable);
  const size_t B = size_t(blocks);
  Problem p{M, N, {}, {}, {}};
  p.d.x = uniform(rng, B * size_t(M * 3), 0, 1);
  p.d.y = uniform(rng, B * size_t(N * 3), 0, 1);
  p.d.b =
      positive ? uniform(rng, B * size_t(N * 2), 0.5, 1.5) : uniform(rng, B * size_t(N * 2), -1, 1);
  p.d.g = uniform(rng, B, 0.5, 1.5);
  p.d.w = uniform(rng, B * 3, 0.5, 1.5);
  const size_t eSize = B * size_t(outputRows(c, M, N) * c.width);
  p.d.e = positive ? uniform(rng, eSize, 0.5, 1.5) : uniform(rng, eSize, -1, 1);
  setFloatCopies(p);
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
  if (got.size() != want.size())
    return INFINITY;
  return std::sqrt(diff) / std::max(std::sqrt(norm), 1e-300);
}

/// ⟨e, r(v)⟩ in float64 through the forward entry point.
double pairing(const Case &c, const Problem &p, const Arrays<double> &a) {
  std::vector<double> out(a.e.size(), NAN);
  if (c.forward(p.M, p.N, a.x.data(), a.y.data(), a.b.data(), a.g.data(), a.w.data(), out.data(),
                nullptr) != KEOPS_OK) {
    std::printf("FAIL %s: forward call failed: %s\n", c.name, grad_f64_last_error());
    std::exit(1);
  }
  double s = 0;
  for (size_t k = 0; k < out.size(); ++k)
    s += a.e[k] * out[k];
  return s;
}

std::vector<double> &variableOf(const Case &c, Arrays<double> &a) {
  switch (c.variable) {
  case X:
    return a.x;
  case Y:
    return a.y;
  case G:
    return a.g;
  case W:
    return a.w;
  }
  return a.x;
}

std::vector<double> finiteDifferences(const Case &c, const Problem &p) {
  Arrays<double> a = p.d;
  std::vector<double> &v = variableOf(c, a);
  std::vector<double> g(v.size());
  for (size_t k = 0; k < v.size(); ++k) {
    const double v0 = v[k], h = 1e-6 * (1 + std::fabs(v0));
    v[k] = v0 + h;
    const double up = pairing(c, p, a);
    v[k] = v0 - h;
    const double down = pairing(c, p, a);
    v[k] = v0;
    g[k] = (up - down) / (2 * h);
  }
  return g;
}

template <class T>
std::vector<double> gradient(Gradient<T> fn, const Problem &p, const Arrays<T> &a, size_t size,
                             const char *(*lastError)(void), const Case &c,
                             const keops_options *opts = nullptr) {
  std::vector<T> out(size, keops_rt::storeAs<T>(NAN));
  const keops_status st = fn(p.M, p.N, a.x.data(), a.y.data(), a.b.data(), a.g.data(), a.w.data(),
                             a.e.data(), out.data(), opts);
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
  const size_t size = gradientSize(c, M, N);
  const std::vector<double> g64 = gradient<double>(c.grad64, p, p.d, size, grad_f64_last_error, c);
  const double fdError = relativeError(g64, finiteDifferences(c, p));
  if (!(fdError <= 1e-5))
    fail(c, p, "float64 vs finite differences", fdError, 1e-5);
  const std::vector<double> g32 = gradient<float>(c.grad32, p, p.f, size, grad_f32_last_error, c);
  // √n·τ with c_F = 32 (exponentials), u = 2^-24, h(n) of block sums; n the reduced length. A Pm
  // gradient sums its rows pairwise (⌈log2 rows⌉ more in h); they hardly cancel (makeProblem).
  const double reduced = double(c.axis == 1 ? N : M), rows = double(outputRows(c, M, N));
  const bool param = isParam(c.variable);
  const double h = 256 + std::ceil(reduced / 256) + (param ? std::ceil(std::log2(rows + 1)) : 0);
  const double u = std::ldexp(1.0, -24), tau = 32 * u + h * u + u;
  const double bound = std::sqrt(reduced) * tau;
  const double error = relativeError(g32, g64);
  if (!(error <= bound))
    fail(c, p, "float32 vs float64", error, bound);
  const std::vector<double> g16 =
      gradient<uint16_t>(c.grad16, p, p.h, size, grad_f16_last_error, c);
  // A Pm gradient of float16 data is the float32 computation rounded once: u_d more.
  const double ud = std::ldexp(1.0, -11), tau16 = 32 * ud + h * u + ud;
  const double error16 = relativeError(g16, g64);
  const double bound16 = param ? bound + ud : std::sqrt(reduced) * tau16;
  if (!(error16 <= bound16))
    fail(c, p, "float16 vs float64", error16, bound16);
}

/// Which arrays of a batched call are one block for every batch.
struct Sharing {
  bool x = false, y = false, b = false, g = false, w = false, e = false;
};

/// The batch_shared flags of the case's C inputs: x, y, b, g, (w,) e.
std::vector<uint8_t> sharedFlags(const Case &c, const Sharing &s) {
  std::vector<uint8_t> flags = {uint8_t(s.x), uint8_t(s.y), uint8_t(s.b), uint8_t(s.g)};
  if (c.hasW)
    flags.push_back(uint8_t(s.w));
  flags.push_back(uint8_t(s.e));
  return flags;
}

/// Block `k` of an array of `blocks` blocks, or its only block when shared.
std::vector<double> blockOf(const std::vector<double> &v, size_t blocks, bool shared, size_t k) {
  if (shared)
    return v;
  const size_t per = v.size() / blocks;
  return {v.begin() + std::ptrdiff_t(k * per), v.begin() + std::ptrdiff_t((k + 1) * per)};
}

/// Keeps the first block of each shared array.
void keepOneBlock(Arrays<double> &a, size_t blocks, const Sharing &s) {
  auto first = [&](std::vector<double> &v, bool shared) {
    if (shared)
      v.resize(v.size() / blocks);
  };
  first(a.x, s.x);
  first(a.y, s.y);
  first(a.b, s.b);
  first(a.g, s.g);
  first(a.w, s.w);
  first(a.e, s.e);
}

/// A Pm gradient with a batch of 3 (float64). Unshared: block k is the unbatched gradient of
/// block k's arrays, to the bit (the same rows summed in the same order). With the Pm (and y)
/// shared: one row, the sum of the unbatched gradients (relative 1e-13: other pairwise grouping).
void runBatch(const Case &c, std::mt19937_64 &rng, int64_t M, int64_t N) {
  const size_t B = 3;
  for (bool sharedVariable : {false, true}) {
    Problem p = makeProblem(rng, c, M, N, int64_t(B));
    Sharing s;
    if (sharedVariable) {
      s.y = true;
      (c.variable == G ? s.g : s.w) = true;
    }
    keepOneBlock(p.d, B, s);
    setFloatCopies(p);
    const std::vector<uint8_t> flags = sharedFlags(c, s);
    keops_options o = KEOPS_OPTIONS_DEFAULT;
    o.batch = int64_t(B);
    o.batch_shared = flags.data();
    const size_t size = gradientSize(c, M, N);
    const std::vector<double> got = gradient<double>(
        c.grad64, p, p.d, sharedVariable ? size : B * size, grad_f64_last_error, c, &o);
    std::vector<double> want(sharedVariable ? size : B * size, 0.0);
    for (size_t k = 0; k < B; ++k) {
      Problem one{M, N, {}, {}, {}};
      one.d = {blockOf(p.d.x, B, s.x, k), blockOf(p.d.y, B, s.y, k), blockOf(p.d.b, B, s.b, k),
               blockOf(p.d.g, B, s.g, k), blockOf(p.d.w, B, s.w, k), blockOf(p.d.e, B, s.e, k)};
      const std::vector<double> g =
          gradient<double>(c.grad64, one, one.d, size, grad_f64_last_error, c);
      for (size_t l = 0; l < size; ++l)
        want[(sharedVariable ? 0 : k * size) + l] += g[l];
    }
    const double error = relativeError(got, want), bound = sharedVariable ? 1e-13 : 0.0;
    if (!(error <= bound))
      fail(c, p, sharedVariable ? "batch of 3, Pm shared" : "batch of 3, unshared", error, bound);
  }
}

/// A Pm gradient has the same bits for 1 and for 5 threads (float32, large enough for the runtime
/// to use them, a batch of 3 with the Pm shared: every row of every batch in the one sum).
void runThreads(const Case &c, std::mt19937_64 &rng) {
  const int64_t M = 300, N = 1000;
  const size_t B = 3;
  Problem p = makeProblem(rng, c, M, N, int64_t(B));
  Sharing s;
  (c.variable == G ? s.g : s.w) = true;
  keepOneBlock(p.d, B, s);
  setFloatCopies(p);
  const std::vector<uint8_t> flags = sharedFlags(c, s);
  keops_options o = KEOPS_OPTIONS_DEFAULT;
  o.batch = int64_t(B);
  o.batch_shared = flags.data();
  std::vector<double> results[2];
  for (int t = 0; t < 2; ++t) {
    o.num_threads = t == 0 ? 1 : 5;
    results[t] =
        gradient<float>(c.grad32, p, p.f, gradientSize(c, M, N), grad_f32_last_error, c, &o);
  }
  if (results[0] != results[1])
    fail(c, p, "1 thread vs 5 threads (same bits)", relativeError(results[1], results[0]), 0.0);
}

/// The array checks size a Pm gradient's output as one row per batch, or one row when the Pm is
/// shared (float64, a batch of 3): an e placed right after one row overlaps the output unless the
/// Pm is shared; an output on the Pm itself overlaps it.
void runArrayChecks(const Case &c, std::mt19937_64 &rng) {
  const int64_t M = 4, N = 5;
  const size_t B = 3;
  const Problem p = makeProblem(rng, c, M, N, int64_t(B)); // B blocks of every array
  const size_t size = gradientSize(c, M, N);
  std::vector<double> buffer(size + p.d.e.size());
  std::copy(p.d.e.begin(), p.d.e.end(), buffer.begin() + std::ptrdiff_t(size));
  double *out = buffer.data();
  const double *e = buffer.data() + size;
  Sharing s;
  (c.variable == G ? s.g : s.w) = true;
  Sharing none;
  const Arrays<double> &a = p.d;
  const double *variable = c.variable == G ? a.g.data() : a.w.data();
  struct Call {
    const char *what;
    const Sharing &sharing;
    double *out;
    keops_status want;
  } calls[] = {{"an output of one row, the Pm shared", s, out, KEOPS_OK},
               {"an output of one row, the Pm not shared", none, out, KEOPS_ERROR_OVERLAP},
               {"an output on the Pm", s, const_cast<double *>(variable), KEOPS_ERROR_OVERLAP}};
  for (const Call &call : calls) {
    const std::vector<uint8_t> flags = sharedFlags(c, call.sharing);
    keops_options o = KEOPS_OPTIONS_DEFAULT;
    o.batch = int64_t(B);
    o.batch_shared = flags.data();
    const keops_status st =
        c.grad64(M, N, a.x.data(), a.y.data(), a.b.data(), a.g.data(), a.w.data(), e, call.out, &o);
    if (st != call.want) {
      ++failures;
      std::printf("FAIL %s array checks, %s: status %d (want %d): %s\n", c.name, call.what, int(st),
                  int(call.want), grad_f64_last_error());
    }
  }
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
  for (const Case &c : kCases) {
    for (const auto &s : sizes) {
      run(c, rng, s[0], s[1]);
      ++checks;
    }
    if (!isParam(c.variable))
      continue;
    for (const auto &s : sizes) {
      runBatch(c, rng, s[0], s[1]);
      checks += 2;
    }
    runThreads(c, rng);
    runArrayChecks(c, rng);
    checks += 4;
  }
  if (failures) {
    std::printf("gradients: %" PRId64 " FAILURES (seed %" PRIu64 ")\n", failures, seed);
    return 1;
  }
  std::printf("gradients: all %d gradient checks passed (seed %" PRIu64 ")\n", checks, seed);
  return 0;
}
