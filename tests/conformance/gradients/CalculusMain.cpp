// CalculusMain.cpp: derived reductions (SPEC.md §6) through the generated C API: gradients of
// the weighted LogSumExp family and the softmax, Diff, nesting to third order, own options.
// In float64 each derived entry point is checked against central differences of its base
// entry point (itself possibly derived): Grad(r, v)(e) along coordinate directions (random
// directions when v has many components) of ⟨e, r(v)⟩, Diff(r, v)(u) against
// (r(v + hu) − r(v − hu)) / 2h; norm-wise relative error ≤ 1e-5. In float32, against the
// float64 result on the same rounded inputs (≤ √n·τ). Outputs are poisoned; the seed is
// printed and `--seed S` replays a run.
#include "calc_f32.h"
#include "calc_f64.h"

#include <chrono>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <vector>

namespace {

enum Cat { I, J, P };

/// One array of an entry point: its rows and width, and the range its random values take.
struct Shape {
  Cat cat;
  int dim;
  double lo = -1, hi = 1;
};

const Shape X{I, 3, 0, 1}, Y{J, 3, 0, 1}, B{J, 2, -1, 1}, G{P, 1, 0.5, 1.5};
const Shape kBase[] = {X, Y, B, G};

template <class T>
using Call = std::function<keops_status(int64_t, int64_t, const std::vector<const T *> &, T *)>;

/// An entry point: its inputs (C order) and output shapes, and its callers in both dtypes.
struct Entry {
  const char *name;
  std::vector<Shape> inputs;
  Shape output;
  Call<double> f64;
  Call<float> f32;
};

// Callers for 4 to 7 inputs: ENTRY(name, n, output, inputs...) for an entry of n inputs.
#define ARGS4 a[0], a[1], a[2], a[3]
#define ARGS5 ARGS4, a[4]
#define ARGS6 ARGS5, a[5]
#define ARGS7 ARGS6, a[6]
#define CALLER(fn, T, n)                                                                           \
  [](int64_t M, int64_t N, const std::vector<const T *> &a, T *o) {                                \
    return fn(M, N, ARGS##n, o, nullptr);                                                          \
  }
#define ENTRY(name, n, output, ...)                                                                \
  Entry {                                                                                          \
#name, {__VA_ARGS__ }, output, CALLER(calc_f64_##name, double, n),                             \
            CALLER(calc_f32_##name, float, n)                                                      \
  }

/// A derived entry point checked against its base: Grad (appends e) or Diff (appends u) with
/// respect to the base's input `variable`.
struct Check {
  const char *derived;
  const char *base;
  int variable;
  bool grad;
  /// Min/Max/K-min: K (sizes with a shorter reduced axis are skipped).
  int64_t minReduced = 1;
  /// Min/Max/K-min: the derivative goes to reported indices. Finite differences take a step
  /// small enough that no perturbation swaps two candidates (a kink) in practice, and float32
  /// is compared with float64 on inputs where both compute F exactly (see onGrid).
  bool picks = false;
};

std::vector<Entry> entries() {
  const Shape I1{I, 1}, I2{I, 2}, I3{I, 3}, J1{J, 1}, J2{J, 2}, J3{J, 3};
  return {
      // Forward reductions.
      ENTRY(sum1, 4, I2, X, Y, B, G),
      ENTRY(lse1, 4, I1, X, Y, B, G),
      ENTRY(lse0, 4, J1, X, Y, B, G),
      ENTRY(wlse1, 4, I2, X, Y, B, G),
      ENTRY(wlse0, 4, J2, X, Y, B, G),
      ENTRY(lsew1, 4, I2, X, Y, B, G),
      ENTRY(smw1, 4, I2, X, Y, B, G),
      ENTRY(smw0, 4, J2, X, Y, B, G),
      // First derivatives.
      ENTRY(wlse1_dx, 5, I3, X, Y, B, G, I2),
      ENTRY(wlse1_dy, 5, J3, X, Y, B, G, I2),
      ENTRY(wlse1_db, 5, J2, X, Y, B, G, I2),
      ENTRY(wlse0_dx, 5, I3, X, Y, B, G, J2),
      ENTRY(wlse0_dy, 5, J3, X, Y, B, G, J2),
      ENTRY(wlse0_db, 5, J2, X, Y, B, G, J2),
      ENTRY(lsew1_dx, 5, I3, X, Y, B, G, I2),
      ENTRY(lsew1_db, 5, J2, X, Y, B, G, I2),
      ENTRY(smw1_dx, 5, I3, X, Y, B, G, I2),
      ENTRY(smw1_dy, 5, J3, X, Y, B, G, I2),
      ENTRY(smw1_db, 5, J2, X, Y, B, G, I2),
      ENTRY(smw0_dx, 5, I3, X, Y, B, G, J2),
      ENTRY(smw0_dy, 5, J3, X, Y, B, G, J2),
      ENTRY(smw0_db, 5, J2, X, Y, B, G, J2),
      ENTRY(sum1_ux, 5, I2, X, Y, B, G, I3),
      ENTRY(lse0_uy, 5, J1, X, Y, B, G, J3),
      ENTRY(wlse1_ub, 5, I2, X, Y, B, G, J2),
      ENTRY(smw0_ux, 5, J2, X, Y, B, G, I3),
      ENTRY(smw1_uy, 5, I2, X, Y, B, G, J3),
      ENTRY(sum1_dx, 5, I3, X, Y, B, G, I2),
      ENTRY(lse1_dx, 5, I3, X, Y, B, G, I1),
      ENTRY(lse0_dy, 5, J3, X, Y, B, G, J1),
      // Second and third derivatives.
      ENTRY(sum1_dx_dx, 6, I3, X, Y, B, G, I2, I3),
      ENTRY(sum1_dx_dy, 6, J3, X, Y, B, G, I2, I3),
      ENTRY(lse1_dx_dy, 6, J3, X, Y, B, G, I1, I3),
      ENTRY(lse1_dx_uy, 6, I3, X, Y, B, G, I1, J3),
      ENTRY(lse0_dy_dx, 6, I3, X, Y, B, G, J1, J3),
      ENTRY(smw1_dx_db, 6, J2, X, Y, B, G, I2, I3),
      ENTRY(smw1_uy_dx, 6, I3, X, Y, B, G, J3, I2),
      ENTRY(wlse0_dy_dy, 6, J3, X, Y, B, G, J2, J3),
      ENTRY(lse1_dx_dy_dx, 7, I3, X, Y, B, G, I1, I3, J3),
      // Min, Max and K-min.
      ENTRY(min1, 4, I1, X, Y, B, G),
      ENTRY(max0, 4, J2, X, Y, B, G),
      ENTRY(kmin1, 4, (Shape{I, 6}), X, Y, B, G),
      ENTRY(kmin0, 4, J2, X, Y, B, G),
      ENTRY(min1_dx, 5, I3, X, Y, B, G, I1),
      ENTRY(min1_dy, 5, J3, X, Y, B, G, I1),
      ENTRY(min1_db, 5, J2, X, Y, B, G, I1),
      ENTRY(min1_dg, 5, (Shape{P, 1}), X, Y, B, G, I1),
      ENTRY(max0_dx, 5, I3, X, Y, B, G, J2),
      ENTRY(max0_dy, 5, J3, X, Y, B, G, J2),
      ENTRY(max0_db, 5, J2, X, Y, B, G, J2),
      ENTRY(kmin1_dx, 5, I3, X, Y, B, G, (Shape{I, 6})),
      ENTRY(kmin1_dy, 5, J3, X, Y, B, G, (Shape{I, 6})),
      ENTRY(kmin1_db, 5, J2, X, Y, B, G, (Shape{I, 6})),
      ENTRY(kmin0_dx, 5, I3, X, Y, B, G, J2),
      ENTRY(kmin0_dy, 5, J3, X, Y, B, G, J2),
      ENTRY(smw1_dg, 5, (Shape{P, 1}), X, Y, B, G, I2),
      ENTRY(minarg1_dx, 5, I3, X, Y, B, G, I1),
      ENTRY(kminarg0_dy, 5, J3, X, Y, B, G, J2),
      ENTRY(wlse1_ug, 5, I2, X, Y, B, G, (Shape{P, 1})),
      ENTRY(lsew1_dg, 5, (Shape{P, 1}), X, Y, B, G, I2),
      ENTRY(lse1_dg, 5, (Shape{P, 1}), X, Y, B, G, I1),
      ENTRY(lse1_dg_dx, 6, I3, X, Y, B, G, I1, (Shape{P, 1})),
      ENTRY(lse1_dg_dg, 6, (Shape{P, 1}), X, Y, B, G, I1, (Shape{P, 1})),
      ENTRY(lse1_dg_uy, 6, (Shape{P, 1}), X, Y, B, G, I1, J3),
      ENTRY(wlse0_dg, 5, (Shape{P, 1}), X, Y, B, G, J2),
      ENTRY(lse1_dx_dg, 6, (Shape{P, 1}), X, Y, B, G, I1, I3),
      ENTRY(kmin0_dg, 5, (Shape{P, 1}), X, Y, B, G, J2),
      ENTRY(min1_uy, 5, I1, X, Y, B, G, J3),
      ENTRY(kmin1_ux, 5, (Shape{I, 6}), X, Y, B, G, I3),
      ENTRY(min1_dx_dy, 6, J3, X, Y, B, G, I1, I3),
      ENTRY(kmin0_dy_dx, 6, I3, X, Y, B, G, J2, J3),
  };
}

const Check kChecks[] = {
    {"wlse1_dx", "wlse1", 0, true},
    {"wlse1_dy", "wlse1", 1, true},
    {"wlse1_db", "wlse1", 2, true},
    {"wlse0_dx", "wlse0", 0, true},
    {"wlse0_dy", "wlse0", 1, true},
    {"wlse0_db", "wlse0", 2, true},
    {"lsew1_dx", "lsew1", 0, true},
    {"lsew1_db", "lsew1", 2, true},
    {"smw1_dx", "smw1", 0, true},
    {"smw1_dy", "smw1", 1, true},
    {"smw1_db", "smw1", 2, true},
    {"smw0_dx", "smw0", 0, true},
    {"smw0_dy", "smw0", 1, true},
    {"smw0_db", "smw0", 2, true},
    {"sum1_ux", "sum1", 0, false},
    {"lse0_uy", "lse0", 1, false},
    {"wlse1_ub", "wlse1", 2, false},
    {"smw0_ux", "smw0", 0, false},
    {"smw1_uy", "smw1", 1, false},
    {"sum1_dx_dx", "sum1_dx", 0, true},
    {"sum1_dx_dy", "sum1_dx", 1, true},
    {"lse1_dx_dy", "lse1_dx", 1, true},
    {"lse1_dx_uy", "lse1_dx", 1, false},
    {"lse0_dy_dx", "lse0_dy", 0, true},
    {"smw1_dx_db", "smw1_dx", 2, true},
    {"smw1_uy_dx", "smw1_uy", 0, true},
    {"wlse0_dy_dy", "wlse0_dy", 1, true},
    {"lse1_dx_dy_dx", "lse1_dx_dy", 0, true},
    {"min1_dx", "min1", 0, true, 1, true},
    {"min1_dy", "min1", 1, true, 1, true},
    {"min1_db", "min1", 2, true, 1, true},
    {"min1_dg", "min1", 3, true, 1, true},
    {"max0_dx", "max0", 0, true, 1, true},
    {"max0_dy", "max0", 1, true, 1, true},
    {"max0_db", "max0", 2, true, 1, true},
    {"kmin1_dx", "kmin1", 0, true, 3, true},
    {"kmin1_dy", "kmin1", 1, true, 3, true},
    {"kmin1_db", "kmin1", 2, true, 3, true},
    {"kmin0_dx", "kmin0", 0, true, 2, true},
    {"kmin0_dy", "kmin0", 1, true, 2, true},
    {"kmin0_dg", "kmin0", 3, true, 2, true},
    {"min1_uy", "min1", 1, false, 1, true},
    {"kmin1_ux", "kmin1", 0, false, 3, true},
    {"min1_dx_dy", "min1_dx", 1, true, 1, true},
    {"kmin0_dy_dx", "kmin0_dy", 0, true, 2, true},
    {"smw1_dg", "smw1", 3, true},
    {"wlse0_dg", "wlse0", 3, true},
    {"lse1_dx_dg", "lse1_dx", 3, true},
    // Min_ArgMin's and KMin_ArgKMin's values are min1's and kmin0's.
    {"minarg1_dx", "min1", 0, true, 1, true},
    {"kminarg0_dy", "kmin0", 1, true, 2, true},
    {"wlse1_ug", "wlse1", 3, false},
    {"lsew1_dg", "lsew1", 3, true},
    {"lse1_dg_dx", "lse1_dg", 0, true},
    {"lse1_dg_dg", "lse1_dg", 3, true},
    {"lse1_dg_uy", "lse1_dg", 1, false},
};

const Entry *find(const std::vector<Entry> &all, const std::string &name) {
  for (const Entry &e : all)
    if (name == e.name)
      return &e;
  return nullptr;
}

size_t sizeOf(const Shape &s, int64_t M, int64_t N) {
  return size_t((s.cat == I ? M : s.cat == J ? N : 1) * s.dim);
}

int64_t failures = 0;

using Arrays = std::vector<std::vector<double>>;

std::vector<double> call64(const Entry &e, int64_t M, int64_t N, const Arrays &in) {
  std::vector<const double *> ptrs;
  for (const auto &a : in)
    ptrs.push_back(a.data());
  std::vector<double> out(sizeOf(e.output, M, N), NAN);
  if (e.f64(M, N, ptrs, out.data()) != KEOPS_OK) {
    std::printf("FAIL %s: %s\n", e.name, calc_f64_last_error());
    std::exit(1);
  }
  return out;
}

std::vector<double> call32(const Entry &e, int64_t M, int64_t N, const Arrays &in) {
  std::vector<std::vector<float>> copies;
  std::vector<const float *> ptrs;
  for (const auto &a : in)
    copies.emplace_back(a.begin(), a.end());
  for (const auto &c : copies)
    ptrs.push_back(c.data());
  std::vector<float> out(sizeOf(e.output, M, N), NAN);
  if (e.f32(M, N, ptrs, out.data()) != KEOPS_OK) {
    std::printf("FAIL %s (float32): %s\n", e.name, calc_f32_last_error());
    std::exit(1);
  }
  return {out.begin(), out.end()};
}

double dot(const std::vector<double> &a, const std::vector<double> &b) {
  double s = 0;
  for (size_t k = 0; k < a.size(); ++k)
    s += a[k] * b[k];
  return s;
}

/// ‖got − want‖ / ‖want‖, with ‖want‖ at least `floor` per component: a derivative that is zero
/// in exact arithmetic (e.g. the third derivative of a LogSumExp over one term) is computed as
/// cancelling terms of size about 1, so it is only known to roundoff at that scale.
double relativeError(const std::vector<double> &got, const std::vector<double> &want,
                     double floor = 1e-3) {
  double diff = 0, norm = 0;
  for (size_t k = 0; k < got.size(); ++k) {
    diff += (got[k] - want[k]) * (got[k] - want[k]);
    norm += want[k] * want[k];
  }
  return std::sqrt(diff) / std::max(std::sqrt(norm), floor * std::sqrt(double(got.size())));
}

void report(const Check &c, int64_t M, int64_t N, const char *what, double error, double bound) {
  if (error <= bound)
    return;
  ++failures;
  std::printf("FAIL %s M=%" PRId64 " N=%" PRId64 " %s: relative error %.3g > %.3g\n", c.derived, M,
              N, what, error, bound);
}

/// Random values in [lo, hi], rounded to float so both dtypes read the same numbers.
std::vector<double> random(std::mt19937_64 &rng, const Shape &s, int64_t M, int64_t N) {
  std::uniform_real_distribution<double> u(s.lo, s.hi);
  std::vector<double> v(sizeOf(s, M, N));
  for (double &x : v)
    x = double(float(u(rng)));
  return v;
}

/// The derivative along `direction` of the base's output, paired with `weights` (Grad) or
/// component-wise (Diff), by central differences.
std::vector<double> difference(const Entry &base, int64_t M, int64_t N, Arrays in, int variable,
                               const std::vector<double> &direction, double h) {
  std::vector<double> &v = in[size_t(variable)];
  const std::vector<double> v0 = v;
  for (size_t k = 0; k < v.size(); ++k)
    v[k] = v0[k] + h * direction[k];
  std::vector<double> up = call64(base, M, N, in);
  for (size_t k = 0; k < v.size(); ++k)
    v[k] = v0[k] - h * direction[k];
  std::vector<double> down = call64(base, M, N, in);
  for (size_t k = 0; k < up.size(); ++k)
    up[k] = (up[k] - down[k]) / (2 * h);
  return up;
}

/// Rounds the first `count` arrays to multiples of 2^-6. The Min/Max/K-min formulas of
/// calculus.kfl then compute F exactly in float32 and float64 (products of at most 23
/// significant bits), so both pick the same indices, exact ties included: a float32 rounding
/// cannot send the derivative to another candidate than float64's. The adjoint e (or u) keeps its
/// values: it does not move indices.
void onGrid(Arrays &in, size_t count) {
  for (size_t k = 0; k < count; ++k)
    for (double &v : in[k])
      v = std::ldexp(std::nearbyint(std::ldexp(v, 6)), -6);
}

/// Runs one check at one size; false when the size is too small for it.
bool run(const Check &c, const std::vector<Entry> &all, std::mt19937_64 &rng, int64_t M,
         int64_t N) {
  const Entry &derived = *find(all, c.derived), &base = *find(all, c.base);
  if (std::min(M, N) < c.minReduced)
    return false;
  Arrays in;
  for (const Shape &s : base.inputs)
    in.push_back(random(rng, s, M, N));
  const Shape &variable = base.inputs[size_t(c.variable)];
  const Shape appended = c.grad ? base.output : variable;
  Arrays derivedIn = in;
  derivedIn.push_back(random(rng, Shape{appended.cat, appended.dim, -1, 1}, M, N));
  const std::vector<double> &w = derivedIn.back();
  std::vector<double> got = call64(derived, M, N, derivedIn);
  if (c.grad) {
    // ⟨Grad, δ⟩ against d/dh ⟨e, r(v + hδ)⟩: coordinate directions, or random ones.
    const size_t n = got.size();
    const bool coordinates = n <= 120;
    std::vector<double> want(coordinates ? n : 8), have(want.size());
    std::normal_distribution<double> normal;
    for (size_t k = 0; k < want.size(); ++k) {
      std::vector<double> direction(n, 0);
      if (coordinates)
        direction[k] = 1;
      else
        for (double &d : direction)
          d = normal(rng);
      want[k] = dot(w, difference(base, M, N, in, c.variable, direction, c.picks ? 1e-8 : 1e-6));
      have[k] = dot(got, direction);
    }
    report(c, M, N, "float64 vs finite differences", relativeError(have, want), 1e-5);
  } else {
    report(c, M, N, "float64 vs finite differences",
           relativeError(got, difference(base, M, N, in, c.variable, w, c.picks ? 1e-8 : 1e-6)),
           1e-5);
  }
  // float32 against float64: √n·τ with c_F = 32 and block sums, n the larger reduced length
  // (nested entry points sum over both axes), times 4 for derivatives of derivatives; results
  // that are zero in exact arithmetic are known to about τ (floor 1 per component).
  const double n = double(std::max(M, N)), u = std::ldexp(1.0, -24);
  const double bound = 4 * std::sqrt(n) * (32 * u + (256 + std::ceil(n / 256)) * u + u);
  if (c.picks) {
    onGrid(derivedIn, base.inputs.size());
    got = call64(derived, M, N, derivedIn);
  }
  report(c, M, N, "float32 vs float64", relativeError(call32(derived, M, N, derivedIn), got, 1),
         bound);
  return true;
}

/// A derived reduction's own dtype: the float32 library's `[dtype = float64]` gradient is the
/// float64 library's gradient.
void checkOwnDtype(std::mt19937_64 &rng) {
  const int64_t M = 9, N = 14;
  Arrays in;
  for (const Shape &s : kBase)
    in.push_back(random(rng, s, M, N));
  in.push_back(random(rng, Shape{I, 1}, M, N));
  std::vector<const double *> ptrs;
  for (const auto &a : in)
    ptrs.push_back(a.data());
  std::vector<double> own(size_t(M * 3), NAN), reference(size_t(M * 3), NAN);
  if (calc_f32_lse1_dx64(M, N, ptrs[0], ptrs[1], ptrs[2], ptrs[3], ptrs[4], own.data(), nullptr) !=
          KEOPS_OK ||
      calc_f64_lse1_dx(M, N, ptrs[0], ptrs[1], ptrs[2], ptrs[3], ptrs[4], reference.data(),
                       nullptr) != KEOPS_OK) {
    std::printf("FAIL lse1_dx64: a call failed\n");
    ++failures;
    return;
  }
  const double error = relativeError(own, reference);
  if (!(error <= 1e-13)) {
    std::printf("FAIL lse1_dx64 [dtype = float64] vs float64 library: %.3g\n", error);
    ++failures;
  }
}

} // namespace

int main(int argc, char **argv) {
  uint64_t seed = uint64_t(std::chrono::steady_clock::now().time_since_epoch().count());
  if (argc == 3 && std::strcmp(argv[1], "--seed") == 0)
    seed = std::strtoull(argv[2], nullptr, 10);
  std::printf("calculus: seed %" PRIu64 " (rerun: %s --seed %" PRIu64 ")\n", seed, argv[0], seed);
  std::mt19937_64 rng(seed);
  const std::vector<Entry> all = entries();
  const int64_t sizes[][2] = {{1, 1}, {7, 11}, {13, 5}, {40, 300}};
  int checks = 0;
  for (const Check &c : kChecks)
    for (const auto &s : sizes) {
      checks += run(c, all, rng, s[0], s[1]) ? 1 : 0;
    }
  checkOwnDtype(rng);
  if (failures) {
    std::printf("calculus: %" PRId64 " FAILURES (seed %" PRIu64 ")\n", failures, seed);
    return 1;
  }
  std::printf("calculus: all %d derivative checks passed (seed %" PRIu64 ")\n", checks + 1, seed);
  return 0;
}
