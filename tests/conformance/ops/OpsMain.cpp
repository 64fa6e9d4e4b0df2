// OpsMain.cpp: runs every per-operation case of one generated ops suite against float64 references.
// It owns the data, poisoning and checks; which cases exist and their references are gen_ops.py's.
//
// Usage: conformance_ops_<dtype> [--seed S] [--case NAME] [--list]
// Each case is a Sum reduction of one operation's formula, on fresh random data drawn in the
// operation's domain (the seed, printed first, reproduces a run). Every failure prints the case,
// formula, sizes, row, component, got, expected and the bound; the exit status is 1 when anything
// failed.
#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

// Generated per dtype: includes the library header, defines ops_real and OPS_LAST_ERROR.
#include "ops_module.h"

namespace {

using Real = ops_real;

// Where a case's data lie (gen_ops.py's DOMAINS): Sym in [-1, 1]; Pos in [0.5, 2]; PosZeros as
// Pos with about a quarter of the entries exactly +0 or -0; NonZero in [-2, -0.5] U [0.5, 2];
// Big in [2, 4].
enum class Domain { Sym, Pos, PosZeros, NonZero, Big };

struct Input {
  int cat; // 0: Vi (M rows), 1: Vj (N rows), 2: Pm (one row)
  int dim;
  Domain domain;
};

struct Size {
  int64_t M, N;
};

// One term F(i, j) in float64: in[k] points at input k's row, f receives the out_dim components.
using Ref = void (*)(const double *const *in, double *f);
// The entry point with default options, inputs in the reduction's parameter order.
using Caller = keops_status (*)(int64_t M, int64_t N, const Real *const *in, Real *out);

constexpr int kMaxInputs = 3;
constexpr int kMaxSizes = 2;

struct OpCase {
  const char *name;
  const char *formula;
  int axis;
  int outDim;
  int nIn;
  Input in[kMaxInputs];
  Size sizes[kMaxSizes];
  int nSizes;
  Ref ref;
  Caller call;
};

// Helpers of the references.

// Rsqrt with Rsqrt(0) = 0 (SPEC.md §3), -0 included.
double rsqrt0(double v) { return v == 0 ? 0.0 : 1.0 / std::sqrt(v); }

// f^n by integer powering: n < 0 gives 1 / f^|n|, n = 0 gives 1 (also at f = 0).
double powi(double v, int n) {
  double r = 1;
  for (int k = 0; k < (n < 0 ? -n : n); ++k)
    r *= v;
  return n < 0 ? 1.0 / r : r;
}

#include "ops_cases.inc"

// The acceptance tolerance: |out - ref| <= kTol * sum |F| + kTiny per component. c_F * u of
// SPEC.md §7.4 with c_F = 32 (elementary functions) and h(n) u_a for these sizes stays below it.
constexpr double kTol = sizeof(Real) == 4 ? 1e-5 : 1e-12;
constexpr double kTiny = std::numeric_limits<Real>::denorm_min();

// Outputs are poisoned before every call and followed by guard elements.
const Real kPoison = std::numeric_limits<Real>::quiet_NaN();
const Real kGuardValue = Real(1234.5);
constexpr int64_t kGuard = 16;
constexpr int kMaxReportsPerCase = 5;

// The largest |out - ref| / bound seen in passing checks, and its case: the suite's headroom.
double gWorstRatio = 0;
const char *gWorstCase = "-";

struct Data {
  std::vector<Real> real;    // what the entry point reads
  std::vector<double> exact; // the same (rounded) values, for the reference
};

double draw(Domain d, std::mt19937_64 &rng) {
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  switch (d) {
  case Domain::Sym:
    return -1.0 + 2.0 * unit(rng);
  case Domain::Pos:
    return 0.5 + 1.5 * unit(rng);
  case Domain::PosZeros: {
    double u = unit(rng);
    if (u < 0.125)
      return 0.0;
    if (u < 0.25)
      return -0.0;
    return 0.5 + 1.5 * unit(rng);
  }
  case Domain::NonZero: {
    double v = 0.5 + 1.5 * unit(rng);
    return unit(rng) < 0.5 ? -v : v;
  }
  case Domain::Big:
    return 2.0 + 2.0 * unit(rng);
  }
  return 0;
}

Data makeData(const Input &in, int64_t rows, std::mt19937_64 &rng) {
  Data d;
  const auto n = static_cast<size_t>(rows * in.dim);
  d.real.resize(n);
  d.exact.resize(n);
  for (size_t e = 0; e < n; ++e) {
    d.real[e] = static_cast<Real>(draw(in.domain, rng));
    d.exact[e] = static_cast<double>(d.real[e]);
  }
  return d;
}

// A stable hash of a case name (std::hash may differ between builds), to seed its data.
uint64_t fnv1a(const char *s) {
  uint64_t h = 14695981039346656037ull;
  for (; *s; ++s)
    h = (h ^ static_cast<unsigned char>(*s)) * 1099511628211ull;
  return h;
}

int64_t rowsOf(const Input &in, Size s) { return in.cat == 0 ? s.M : in.cat == 1 ? s.N : 1; }

// Runs one case at one size; returns the number of failed checks.
int64_t runCase(const OpCase &c, Size s, std::mt19937_64 &rng) {
  std::vector<Data> data;
  const Real *realIn[kMaxInputs] = {};
  for (int k = 0; k < c.nIn; ++k)
    data.push_back(makeData(c.in[k], rowsOf(c.in[k], s), rng));
  for (int k = 0; k < c.nIn; ++k)
    realIn[k] = data[static_cast<size_t>(k)].real.data();

  const int64_t rows = c.axis == 1 ? s.M : s.N;
  const int64_t inner = c.axis == 1 ? s.N : s.M;
  const int64_t width = c.outDim;
  std::vector<Real> out(static_cast<size_t>(rows * width + kGuard), kPoison);
  for (int64_t g = 0; g < kGuard; ++g)
    out[static_cast<size_t>(rows * width + g)] = kGuardValue;

  int64_t failures = 0;
  auto report = [&](const char *fmt, auto... args) {
    if (++failures > kMaxReportsPerCase)
      return;
    std::printf("FAIL %s [%s, axis=%d] M=%" PRId64 " N=%" PRId64 ": ", c.name, c.formula, c.axis,
                s.M, s.N);
    std::printf(fmt, args...);
    std::printf("\n");
  };

  const keops_status st = c.call(s.M, s.N, realIn, out.data());
  if (st != KEOPS_OK) {
    report("status %d: %s", static_cast<int>(st), OPS_LAST_ERROR());
    return failures;
  }

  std::vector<double> f(static_cast<size_t>(width)), sum(f.size()), mag(f.size());
  const double *row[kMaxInputs] = {};
  for (int64_t r = 0; r < rows; ++r) {
    std::fill(sum.begin(), sum.end(), 0.0);
    std::fill(mag.begin(), mag.end(), 0.0);
    for (int64_t t = 0; t < inner; ++t) {
      const int64_t i = c.axis == 1 ? r : t, j = c.axis == 1 ? t : r;
      for (int k = 0; k < c.nIn; ++k) {
        const int64_t at = c.in[k].cat == 0 ? i : c.in[k].cat == 1 ? j : 0;
        row[k] = data[static_cast<size_t>(k)].exact.data() + at * c.in[k].dim;
      }
      c.ref(row, f.data());
      for (size_t k = 0; k < f.size(); ++k) {
        sum[k] += f[k];
        mag[k] += std::fabs(f[k]);
      }
    }
    for (int64_t k = 0; k < width; ++k) {
      const double got = static_cast<double>(out[static_cast<size_t>(r * width + k)]);
      const double want = sum[static_cast<size_t>(k)];
      const double bound = kTol * mag[static_cast<size_t>(k)] + kTiny;
      const double ratio = std::fabs(got - want) / bound;
      if (ratio <= 1 && ratio > gWorstRatio) {
        gWorstRatio = ratio;
        gWorstCase = c.name;
      }
      if (!(std::fabs(got - want) <= bound))
        report("row %" PRId64 " component %" PRId64
               ": got %.17g, expected %.17g (|diff| %.3g > %.3g)",
               r, k, got, want, std::fabs(got - want), bound);
    }
  }
  for (int64_t g = 0; g < kGuard; ++g)
    if (out[static_cast<size_t>(rows * width + g)] != kGuardValue)
      report("guard element %" PRId64 " past the output was overwritten", g);
  if (failures > kMaxReportsPerCase)
    std::printf("FAIL %s: %" PRId64 " failed checks in all\n", c.name, failures);
  return failures;
}

} // namespace

int main(int argc, char **argv) {
  uint64_t seed =
      std::random_device{}() ^
      static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  const char *only = nullptr;
  bool list = false;
  for (int a = 1; a < argc; ++a) {
    if (!std::strcmp(argv[a], "--seed") && a + 1 < argc) {
      seed = std::strtoull(argv[++a], nullptr, 10);
    } else if (!std::strcmp(argv[a], "--case") && a + 1 < argc) {
      only = argv[++a];
    } else if (!std::strcmp(argv[a], "--list")) {
      list = true;
    } else {
      std::fprintf(stderr, "usage: %s [--seed S] [--case NAME] [--list]\n", argv[0]);
      return 2;
    }
  }
  if (list) {
    for (const OpCase &c : kOpCases)
      std::printf("%s: Sum(%s, axis = %d)\n", c.name, c.formula, c.axis);
    return 0;
  }

  std::printf("%s (%s): seed %" PRIu64 " (replay with --seed %" PRIu64 ")\n", OPS_MODULE, OPS_DTYPE,
              seed, seed);
  const auto start = std::chrono::steady_clock::now();
  int64_t failures = 0;
  int cases = 0, failedCases = 0;
  for (const OpCase &c : kOpCases) {
    if (only && std::strcmp(only, c.name))
      continue;
    ++cases;
    int64_t before = failures;
    for (int k = 0; k < c.nSizes; ++k) {
      // One generator per (case, size) derived from the seed, so --case replays the same data.
      const uint64_t h = fnv1a(c.name);
      std::seed_seq seq{static_cast<uint32_t>(seed), static_cast<uint32_t>(seed >> 32),
                        static_cast<uint32_t>(h), static_cast<uint32_t>(h >> 32),
                        static_cast<uint32_t>(k)};
      std::mt19937_64 rng(seq);
      failures += runCase(c, c.sizes[k], rng);
    }
    failedCases += failures != before;
  }
  if (only && !cases) {
    std::fprintf(stderr, "no case named %s (see --list)\n", only);
    return 2;
  }
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("%d cases, %d failed (%" PRId64 " failed checks), tolerance %g, worst passing "
              "|diff|/bound %.3g (%s), %.2f s\n",
              cases, failedCases, failures, kTol, gWorstRatio, gWorstCase, secs);
  return failures ? 1 : 0;
}
