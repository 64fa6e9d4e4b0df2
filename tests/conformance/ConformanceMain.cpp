// ConformanceMain.cpp: runs one generated suite's entry points against a float64 brute force.
// It owns the reference, tolerances and checks; which reductions exist is gen_suite.py's business.
//
// Usage: conformance_<dtype> [--seed S]
//            [--family sum|lse|argkmin|kminargkmin|kmin|schemes|errors|all]
//            [--dim D] [--k K] [--syntax native|genred]
// `schemes` runs the Sum and LogSumExp entry points compiled with a summation option (the other
// families run the default ones), then the float32 accuracy check of those options.
// Every failure prints the case, sizes, row, component, got and expected; the exit status is 1
// when anything failed. The seed (printed first) reproduces a run.
#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <limits>
#include <random>
#include <string>
#include <vector>

// Generated per dtype: includes the library header, defines conf_real and CONF_CASES(X).
#include "conf_suite.inc"

namespace {

using Real = conf_real;

enum class Family { Sum, Lse, ArgKMin, KMinArgKMin, KMin };

const char *familyName(Family f) {
  switch (f) {
  case Family::Sum:
    return "sum";
  case Family::Lse:
    return "lse";
  case Family::ArgKMin:
    return "argkmin";
  case Family::KMinArgKMin:
    return "kminargkmin";
  case Family::KMin:
    return "kmin";
  }
  return "?";
}

// ---------------------------------------------------------------------------------------------
// The table: every entry point behind one calling convention, so the checks need no templates.

struct Buffers {
  const Real *x, *y, *b, *g;
  Real *values;
  int64_t *indices;
};

using Caller = keops_status (*)(int64_t M, int64_t N, const Buffers &, const keops_options *);

template <auto Fn>
keops_status callValues(int64_t M, int64_t N, const Buffers &io, const keops_options *o) {
  return Fn(M, N, io.x, io.y, io.b, io.g, io.values, o);
}
template <auto Fn>
keops_status callIndices(int64_t M, int64_t N, const Buffers &io, const keops_options *o) {
  return Fn(M, N, io.x, io.y, io.b, io.g, io.indices, o);
}
template <auto Fn>
keops_status callPair(int64_t M, int64_t N, const Buffers &io, const keops_options *o) {
  return Fn(M, N, io.x, io.y, io.b, io.g, io.values, io.indices, o);
}

struct Case {
  const char *name;
  Family family;
  int dim;
  int axis;
  int k;
  const char *syntax;
  const char *variant; // the summation option it was compiled with, "" for the defaults
  Caller main, cpu, cuda;
};

#define CONF_CALL_Sum callValues
#define CONF_CALL_Lse callValues
#define CONF_CALL_ArgKMin callIndices
#define CONF_CALL_KMinArgKMin callPair
#define CONF_CALL_KMin callValues
#define CONF_ENTRY(fam, fn, d, axis, k, syntax, variant)                                           \
  Case{#fn,                                                                                        \
       Family::fam,                                                                                \
       d,                                                                                          \
       axis,                                                                                       \
       k,                                                                                          \
       syntax,                                                                                     \
       variant,                                                                                    \
       &CONF_CALL_##fam<fn>,                                                                       \
       &CONF_CALL_##fam<fn##_cpu>,                                                                 \
       &CONF_CALL_##fam<fn##_cuda>},

const Case kCases[] = {CONF_CASES(CONF_ENTRY)};

const int64_t kSizes[] = {1, 7, 1000, 3001};
const int kMaxK = 10; // the largest K of the suite; the K-min reference keeps this many

// The acceptance tolerances (SPEC.md §7.4 in spirit, fixed per dtype).
constexpr double kTol = sizeof(Real) == 4 ? 1e-5 : 1e-12;
constexpr double kTiny = std::numeric_limits<Real>::denorm_min();

// Outputs are poisoned before every call and followed by guard elements, so a call that writes
// nothing, too little or too much is caught.
const Real kPoisonValue = std::numeric_limits<Real>::quiet_NaN();
const int64_t kPoisonIndex = -7;
const Real kGuardValue = Real(1234.5);
const int64_t kGuardIndex = -77777;
const int64_t kGuard = 16;

// ---------------------------------------------------------------------------------------------
// Failure reporting

struct Report {
  int64_t failures = 0;
  int64_t checks = 0;
  uint64_t seed = 0;
};
Report gReport;

struct Where {
  const Case *c;
  int64_t M, N;
  const char *call; // "main(NULL)", "cpu(num_threads=1)", ...
};

void fail(const Where &w, const std::string &what) {
  ++gReport.failures;
  if (gReport.failures > 200)
    return; // the count still grows; the log stays readable
  std::printf("FAIL %s [%s%s%s, %s, D=%d, axis=%d, K=%d] M=%" PRId64 " N=%" PRId64 " %s: %s\n",
              w.c->name, familyName(w.c->family), *w.c->variant ? " " : "", w.c->variant,
              w.c->syntax, w.c->dim, w.c->axis, w.c->k, w.M, w.N, w.call, what.c_str());
}

std::string fmt(const char *format, ...) __attribute__((format(printf, 1, 2)));
std::string fmt(const char *format, ...) {
  char buf[512];
  va_list args;
  va_start(args, format);
  std::vsnprintf(buf, sizeof buf, format, args);
  va_end(args);
  return buf;
}

// ---------------------------------------------------------------------------------------------
// Data: drawn in float64, rounded to the dtype; the reference reads the rounded values.

struct Data {
  int64_t M = 0, N = 0;
  int D = 0;
  std::vector<Real> x, y, b, g;   // what the library reads
  std::vector<double> xd, yd, bd; // the same values in float64
  double gd = 0;
};

void fill(std::mt19937_64 &rng, double lo, double hi, size_t n, std::vector<Real> &r,
          std::vector<double> &d) {
  std::uniform_real_distribution<double> u(lo, hi);
  r.resize(n);
  d.resize(n);
  for (size_t i = 0; i < n; ++i) {
    r[i] = Real(u(rng));
    d[i] = double(r[i]);
  }
}

// Sum sees signed weights (cancellation is covered by the Σ|F| tolerance); the K-min formula
// keeps b >= 0 so that its values have no cancellation and relative tolerances are meaningful.
Data makeData(std::mt19937_64 &rng, Family f, int D, int64_t M, int64_t N) {
  Data d;
  d.M = M;
  d.N = N;
  d.D = D;
  fill(rng, 0, 1, size_t(M) * D, d.x, d.xd);
  fill(rng, 0, 1, size_t(N) * D, d.y, d.yd);
  fill(rng, f == Family::Sum ? -1 : 0, 1, size_t(N) * D, d.b, d.bd);
  std::uniform_real_distribution<double> u(0.5, 1.5);
  d.g = {Real(u(rng) / D)}; // g ≈ 1/D keeps Exp(-g·SqDist) away from 0 at every D
  d.gd = double(d.g[0]);
  return d;
}

double sqDist(const double *a, const double *b, int D) {
  double s = 0;
  for (int k = 0; k < D; ++k) {
    double t = a[k] - b[k];
    s += t * t;
  }
  return s;
}

// ---------------------------------------------------------------------------------------------
// References, both axes in one pass over (i, j): the pass is the expensive part at 3001×3001×100.

struct SumRef {
  std::vector<double> value[2], absSum[2]; // [axis], rows × D
};

SumRef sumReference(const Data &d) {
  SumRef r;
  const int D = d.D;
  r.value[1].assign(size_t(d.M) * D, 0);
  r.absSum[1].assign(size_t(d.M) * D, 0);
  r.value[0].assign(size_t(d.N) * D, 0);
  r.absSum[0].assign(size_t(d.N) * D, 0);
  for (int64_t i = 0; i < d.M; ++i) {
    const double *xi = &d.xd[size_t(i) * D];
    double *v1 = &r.value[1][size_t(i) * D], *a1 = &r.absSum[1][size_t(i) * D];
    for (int64_t j = 0; j < d.N; ++j) {
      const double e = std::exp(-d.gd * sqDist(xi, &d.yd[size_t(j) * D], D));
      const double *bj = &d.bd[size_t(j) * D];
      double *v0 = &r.value[0][size_t(j) * D], *a0 = &r.absSum[0][size_t(j) * D];
      for (int k = 0; k < D; ++k) {
        const double f = e * bj[k];
        v1[k] += f;
        a1[k] += std::fabs(f);
        v0[k] += f;
        a0[k] += std::fabs(f);
      }
    }
  }
  return r;
}

struct LseRef {
  std::vector<double> value[2], maxAbs[2]; // [axis], one per row
};

// Running maximum m and sum s of e^(F - m), as the library is meant to do it, in float64.
struct Online {
  double m = -INFINITY, s = 0, maxAbs = 0;
  void add(double f) {
    maxAbs = std::max(maxAbs, std::fabs(f));
    if (f > m) {
      s = s * std::exp(m - f) + 1;
      m = f;
    } else {
      s += std::exp(f - m);
    }
  }
};

LseRef lseReference(const Data &d) {
  const int D = d.D;
  std::vector<double> sumB(size_t(d.N), 0);
  for (int64_t j = 0; j < d.N; ++j)
    for (int k = 0; k < D; ++k)
      sumB[size_t(j)] += d.bd[size_t(j) * D + k];
  std::vector<Online> rows1(size_t(d.M)), rows0(size_t(d.N));
  for (int64_t i = 0; i < d.M; ++i)
    for (int64_t j = 0; j < d.N; ++j) {
      const double f =
          sumB[size_t(j)] - d.gd * sqDist(&d.xd[size_t(i) * D], &d.yd[size_t(j) * D], D);
      rows1[size_t(i)].add(f);
      rows0[size_t(j)].add(f);
    }
  LseRef r;
  for (int axis = 0; axis < 2; ++axis)
    for (const Online &o : axis ? rows1 : rows0) {
      r.value[axis].push_back(o.m + std::log(o.s));
      r.maxAbs[axis].push_back(o.maxAbs);
    }
  return r;
}

double kminF(const Data &d, int64_t i, int64_t j, int k) {
  const size_t D = size_t(d.D);
  return std::fabs(d.xd[size_t(i) * D + k] - d.yd[size_t(j) * D + k]) +
         d.gd * d.bd[size_t(j) * D + k];
}

// The kMaxK smallest (value, index) of each row and component, ascending. Indices are offered in
// increasing order and an equal value never displaces an earlier one: ties go to the smaller index.
struct KList {
  int64_t lists = 0;
  std::vector<double> val, worst; // worst: the value a newcomer must beat (+inf until full)
  std::vector<int64_t> idx;
  std::vector<int> count;

  explicit KList(int64_t n)
      : lists(n), val(size_t(n) * kMaxK), worst(size_t(n), INFINITY), idx(size_t(n) * kMaxK),
        count(size_t(n), 0) {}

  void offer(size_t l, double f, int64_t index) {
    if (!(f < worst[l]))
      return;
    double *v = &val[l * kMaxK];
    int64_t *ix = &idx[l * kMaxK];
    int n = count[l];
    int p = n < kMaxK ? n : kMaxK - 1;
    while (p > 0 && v[p - 1] > f) {
      v[p] = v[p - 1];
      ix[p] = ix[p - 1];
      --p;
    }
    v[p] = f;
    ix[p] = index;
    if (n < kMaxK)
      count[l] = ++n;
    if (n == kMaxK)
      worst[l] = v[kMaxK - 1];
  }
};

struct KMinRef {
  KList axis0, axis1; // lists indexed by row × D + component
  KMinRef(int64_t M, int64_t N, int D) : axis0(N * D), axis1(M * D) {}
};

KMinRef kminReference(const Data &d) {
  KMinRef r(d.M, d.N, d.D);
  const int D = d.D;
  for (int64_t i = 0; i < d.M; ++i)
    for (int64_t j = 0; j < d.N; ++j)
      for (int k = 0; k < D; ++k) {
        const double f = kminF(d, i, j, k);
        r.axis1.offer(size_t(i) * D + k, f, j);
        r.axis0.offer(size_t(j) * D + k, f, i);
      }
  return r;
}

// ---------------------------------------------------------------------------------------------
// Outputs: poisoned, guarded, and checked after the call.

struct Outputs {
  std::vector<Real> values;
  std::vector<int64_t> indices;
  int64_t count = 0; // elements per output array, guards excluded

  Outputs(const Case &c, int64_t rows) {
    count = rows * (c.family == Family::Lse ? 1 : c.dim) * std::max(c.k, 1);
    const bool hasValues = c.family != Family::ArgKMin;
    const bool hasIndices = c.family == Family::ArgKMin || c.family == Family::KMinArgKMin;
    if (hasValues) {
      values.assign(size_t(count), kPoisonValue);
      values.resize(size_t(count + kGuard), kGuardValue);
    }
    if (hasIndices) {
      indices.assign(size_t(count), kPoisonIndex);
      indices.resize(size_t(count + kGuard), kGuardIndex);
    }
  }
  Buffers buffers(const Data &d) {
    return {d.x.data(),
            d.y.data(),
            d.b.data(),
            d.g.data(),
            values.empty() ? nullptr : values.data(),
            indices.empty() ? nullptr : indices.data()};
  }
};

bool guardsIntact(const Where &w, const Outputs &o) {
  for (int64_t e = o.count; e < o.count + kGuard; ++e) {
    bool badValue = !o.values.empty() && o.values[size_t(e)] != kGuardValue;
    bool badIndex = !o.indices.empty() && o.indices[size_t(e)] != kGuardIndex;
    if (badValue || badIndex) {
      fail(w, fmt("wrote past the end of its output (element %" PRId64 " of %" PRId64 ")", e,
                  o.count));
      return false;
    }
  }
  return true;
}

bool stillPoisoned(const Where &w, const Outputs &o) {
  for (int64_t e = 0; e < o.count; ++e) {
    bool wroteValue = !o.values.empty() && !std::isnan(o.values[size_t(e)]);
    bool wroteIndex = !o.indices.empty() && o.indices[size_t(e)] != kPoisonIndex;
    if (wroteValue || wroteIndex) {
      fail(w, fmt("failed but wrote output element %" PRId64, e));
      return false;
    }
  }
  return true;
}

bool expectStatus(const Where &w, keops_status got, keops_status expected) {
  ++gReport.checks;
  if (got == expected)
    return true;
  fail(w, fmt("status %d, expected %d; last_error: \"%s\"", int(got), int(expected),
              CONF_LAST_ERROR() ? CONF_LAST_ERROR() : "(null)"));
  return false;
}

void expectErrorMessage(const Where &w) {
  const char *msg = CONF_LAST_ERROR();
  if (!msg || !*msg)
    fail(w, "last_error() is empty after a failure");
}

// A bounded number of mismatches per call is printed; the rest only count.
struct MismatchLog {
  const Where &w;
  int printed = 0;
  bool any = false;
  void operator()(const std::string &what) {
    any = true;
    if (printed++ < 5)
      fail(w, what);
    else
      ++gReport.failures;
  }
};

void checkSum(const Where &w, const Outputs &o, const SumRef &ref) {
  MismatchLog log{w};
  const int D = w.c->dim, axis = w.c->axis;
  for (int64_t e = 0; e < o.count; ++e) {
    const double got = o.values[size_t(e)], want = ref.value[axis][size_t(e)];
    const double bound = kTol * ref.absSum[axis][size_t(e)] + kTiny;
    if (!(std::fabs(got - want) <= bound))
      log(fmt("row %" PRId64 " component %d: got %.17g, expected %.17g (|diff| %.3g > %.3g)", e / D,
              int(e % D), got, want, std::fabs(got - want), bound));
  }
}

void checkLse(const Where &w, const Outputs &o, const LseRef &ref) {
  MismatchLog log{w};
  const int axis = w.c->axis;
  for (int64_t r = 0; r < o.count; ++r) {
    const double got = o.values[size_t(r)], want = ref.value[axis][size_t(r)];
    const double bound = kTol * (ref.maxAbs[axis][size_t(r)] + std::fabs(want) + 1);
    if (!(std::fabs(got - want) <= bound))
      log(fmt("row %" PRId64 ": got %.17g, expected %.17g (|diff| %.3g > %.3g)", r, got, want,
              std::fabs(got - want), bound));
  }
}

bool valueClose(double got, double want) {
  return std::fabs(got - want) <= kTol * std::fabs(want) + kTiny;
}

// One K-list (row r, component k): values within tolerance, indices equal to the reference's or
// pointing at a term whose value is within tolerance of the expected one, and all distinct.
void checkKList(const Where &w, MismatchLog &log, const Data &d, const Outputs &o, const KList &ref,
                int64_t r, int k) {
  const int D = w.c->dim, K = w.c->k, axis = w.c->axis;
  const int64_t reduced = axis == 1 ? d.N : d.M;
  const size_t l = size_t(r) * D + k;
  for (int s = 0; s < K; ++s) {
    const size_t e = (size_t(r) * K + s) * D + k; // [row][K][D]
    const double want = ref.val[l * kMaxK + s];
    const int64_t wantIdx = ref.idx[l * kMaxK + s];
    // Built only on a mismatch: formatting every slot would dominate the run time.
    auto at = [&] { return fmt("row %" PRId64 " component %d slot %d", r, k, s); };
    if (!o.values.empty() && !valueClose(o.values[e], want))
      log(at() + fmt(": value %.17g, expected %.17g", double(o.values[e]), want));
    if (o.indices.empty())
      continue;
    const int64_t got = o.indices[e];
    if (got == wantIdx)
      continue;
    if (got < 0 || got >= reduced) {
      log(at() + fmt(": index %" PRId64 " out of [0, %" PRId64 "), expected %" PRId64, got, reduced,
                     wantIdx));
      continue;
    }
    const double gotF = axis == 1 ? kminF(d, r, got, k) : kminF(d, got, r, k);
    if (!valueClose(gotF, want))
      log(at() + fmt(": index %" PRId64 " (F = %.17g), expected %" PRId64 " (F = %.17g)", got, gotF,
                     wantIdx, want));
    for (int p = 0; p < s; ++p)
      if (o.indices[(size_t(r) * K + p) * D + k] == got)
        log(at() + fmt(": index %" PRId64 " repeats slot %d", got, p));
  }
}

void checkKMin(const Where &w, const Data &d, const Outputs &o, const KMinRef &ref) {
  MismatchLog log{w};
  const int64_t rows = w.c->axis == 1 ? d.M : d.N;
  const KList &lists = w.c->axis == 1 ? ref.axis1 : ref.axis0;
  for (int64_t r = 0; r < rows; ++r)
    for (int k = 0; k < w.c->dim; ++k)
      checkKList(w, log, d, o, lists, r, k);
}

// ---------------------------------------------------------------------------------------------
// Running a case on one data set.

struct Refs {
  SumRef sum;
  LseRef lse;
  KMinRef kmin{0, 0, 1};
};

void runCall(const Case &c, const Data &d, const Refs &refs, Caller fn, const keops_options *opts,
             const char *callName) {
  const Where w{&c, d.M, d.N, callName};
  const int64_t rows = c.axis == 1 ? d.M : d.N;
  const int64_t reduced = c.axis == 1 ? d.N : d.M;
  Outputs o(c, rows);
  const keops_status st = fn(d.M, d.N, o.buffers(d), opts);
  if (!guardsIntact(w, o))
    return;
  if (c.k > reduced) {
    if (expectStatus(w, st, KEOPS_ERROR_K_TOO_LARGE)) {
      expectErrorMessage(w);
      stillPoisoned(w, o);
    }
    return;
  }
  if (!expectStatus(w, st, KEOPS_OK))
    return;
  if (c.family == Family::Sum)
    checkSum(w, o, refs.sum);
  else if (c.family == Family::Lse)
    checkLse(w, o, refs.lse);
  else
    checkKMin(w, d, o, refs.kmin);
}

// Explicit options are exercised on the mid-size pairs only: they must give the same answers.
bool optionSizes(int64_t M, int64_t N) { return (M == 1000 && N == 7) || (M == 7 && N == 1000); }

void runCase(const Case &c, const Data &d, const Refs &refs) {
  runCall(c, d, refs, c.main, nullptr, "main(opts=NULL)");
  if (!optionSizes(d.M, d.N))
    return;
  keops_options one = KEOPS_OPTIONS_DEFAULT;
  one.num_threads = 1;
  runCall(c, d, refs, c.cpu, &one, "cpu(num_threads=1)");
  keops_options defaults = KEOPS_OPTIONS_DEFAULT;
  runCall(c, d, refs, c.main, &defaults, "main(KEOPS_OPTIONS_DEFAULT)");
  keops_options cpu = KEOPS_OPTIONS_DEFAULT;
  cpu.backend = KEOPS_BACKEND_CPU;
  cpu.num_threads = 2;
  runCall(c, d, refs, c.main, &cpu, "main(backend=CPU, num_threads=2)");
}

// ---------------------------------------------------------------------------------------------
// Bad input: every failure has its code, a message, and leaves the outputs alone.

// Large enough that K <= the reduced length: only the defect under test is wrong.
const int64_t kErrRows = 12;

void expectRejected(const Case &c, const char *what, int64_t M, int64_t N, Buffers io, Caller fn,
                    const keops_options *opts, std::initializer_list<keops_status> accepted) {
  const Where w{&c, M, N, what};
  Outputs o(c, kErrRows);
  if (io.values)
    io.values = o.values.data();
  if (io.indices)
    io.indices = o.indices.data();
  const keops_status st = fn(M, N, io, opts);
  ++gReport.checks;
  if (std::find(accepted.begin(), accepted.end(), st) == accepted.end()) {
    fail(w, fmt("status %d, expected %d; last_error: \"%s\"", int(st), int(*accepted.begin()),
                CONF_LAST_ERROR() ? CONF_LAST_ERROR() : "(null)"));
    return;
  }
  expectErrorMessage(w);
  stillPoisoned(w, o);
  guardsIntact(w, o);
}

void runErrorChecks(const Case &c, std::mt19937_64 &rng) {
  const int64_t n = kErrRows;
  const Data d = makeData(rng, c.family, c.dim, n, n);
  Outputs proto(c, n);
  const Buffers io = proto.buffers(d);
  Buffers noX = io, noG = io, noOut = io;
  noX.x = nullptr;
  noG.g = nullptr;
  noOut.values = nullptr;
  noOut.indices = nullptr;
  keops_options badBackend = KEOPS_OPTIONS_DEFAULT;
  badBackend.backend = 77;
  keops_options badScheme = KEOPS_OPTIONS_DEFAULT;
  badScheme.cuda_scheme = 77;
  expectRejected(c, "M=-1", -1, n, io, c.main, nullptr, {KEOPS_ERROR_INVALID_SIZE});
  expectRejected(c, "N=-1", n, -1, io, c.main, nullptr, {KEOPS_ERROR_INVALID_SIZE});
  expectRejected(c, "cpu M=-1", -1, n, io, c.cpu, nullptr, {KEOPS_ERROR_INVALID_SIZE});
  expectRejected(c, "x=NULL", n, n, noX, c.main, nullptr, {KEOPS_ERROR_NULL_POINTER});
  expectRejected(c, "cpu g=NULL", n, n, noG, c.cpu, nullptr, {KEOPS_ERROR_NULL_POINTER});
  expectRejected(c, "backend=77", n, n, io, c.main, &badBackend, {KEOPS_ERROR_INVALID_BACKEND});
  expectRejected(c, "cuda_scheme=77", n, n, io, c.main, &badScheme, {KEOPS_ERROR_INVALID_SCHEME});
  // A CPU-only library answers UNAVAILABLE; one with CUDA code must still refuse host pointers.
  expectRejected(
      c, "cuda(host pointers)", n, n, io, c.cuda, nullptr,
      {KEOPS_ERROR_BACKEND_UNAVAILABLE, KEOPS_ERROR_BACKEND_MISMATCH, KEOPS_ERROR_INVALID_DEVICE});
  // Outputs themselves missing: nothing to poison, only the status and message to check.
  const Where w{&c, n, n, "out=NULL"};
  if (expectStatus(w, c.main(n, n, noOut, nullptr), KEOPS_ERROR_NULL_POINTER))
    expectErrorMessage(w);
}

// Empty reductions (SPEC.md §4): the "empty" column, and NULL arrays allowed when empty.
void runEmptyChecks(const Case &c, std::mt19937_64 &rng) {
  const int64_t n = kErrRows;
  const Data d = makeData(rng, c.family, c.dim, n, n);
  const int64_t M = c.axis == 1 ? n : 0, N = c.axis == 1 ? 0 : n; // reduced length 0
  const Where w{&c, M, N, "empty reduction"};
  Outputs o(c, n);
  Buffers io = o.buffers(d);
  (c.axis == 1 ? io.y : io.x) = nullptr; // an empty array may be NULL
  if (c.axis == 1)
    io.b = nullptr;
  const keops_status st = c.main(M, N, io, nullptr);
  if (c.k > 0) {
    if (expectStatus(w, st, KEOPS_ERROR_K_TOO_LARGE))
      stillPoisoned(w, o);
    return;
  }
  if (!expectStatus(w, st, KEOPS_OK) || !guardsIntact(w, o))
    return;
  const double want = c.family == Family::Sum ? 0.0 : -INFINITY;
  for (int64_t e = 0; e < o.count; ++e)
    if (!(double(o.values[size_t(e)]) == want)) {
      fail(w,
           fmt("element %" PRId64 ": got %g, expected %g", e, double(o.values[size_t(e)]), want));
      return;
    }
}

// ---------------------------------------------------------------------------------------------
// Driver

struct Args {
  uint64_t seed = 0;
  bool seeded = false;
  std::string family = "all";
  int dim = 0;
  int k = -1; // -1: every K
  std::string syntax;
};

[[noreturn]] void usage(const char *argv0) {
  std::fprintf(stderr,
               "usage: %s [--seed S] "
               "[--family sum|lse|argkmin|kminargkmin|kmin|schemes|errors|all] "
               "[--dim D] [--k K] [--syntax native|genred]\n",
               argv0);
  std::exit(2);
}

Args parseArgs(int argc, char **argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    std::string opt = argv[i];
    if (i + 1 >= argc)
      usage(argv[0]);
    const char *val = argv[++i];
    if (opt == "--seed") {
      a.seed = std::strtoull(val, nullptr, 10);
      a.seeded = true;
    } else if (opt == "--family") {
      a.family = val;
    } else if (opt == "--dim") {
      a.dim = std::atoi(val);
    } else if (opt == "--k") {
      a.k = std::atoi(val);
    } else if (opt == "--syntax") {
      a.syntax = val;
    } else {
      usage(argv[0]);
    }
  }
  static const char *known[] = {"all",         "sum",  "lse",     "argkmin",
                                "kminargkmin", "kmin", "schemes", "errors"};
  if (std::find_if(std::begin(known), std::end(known),
                   [&](const char *k) { return a.family == k; }) == std::end(known))
    usage(argv[0]);
  if (!a.seeded)
    a.seed = uint64_t(std::chrono::steady_clock::now().time_since_epoch().count()) ^
             uint64_t(std::random_device{}());
  return a;
}

// schemes: the entry points compiled with a summation option, which only `--family schemes` runs.
bool selected(const Case &c, const Args &a, Family f, bool schemes) {
  return c.family == f && (a.dim == 0 || c.dim == a.dim) && (a.k < 0 || c.k == a.k) &&
         (a.syntax.empty() || a.syntax == c.syntax) && (*c.variant != '\0') == schemes;
}

// Fresh data per (D, M, N); the reference is computed once and shared by every selected case of
// that family and dimension (both axes, both syntaxes, every K, every summation option).
void runFamily(Family f, const Args &a, std::mt19937_64 &rng, bool schemes = false) {
  std::vector<int> dims;
  for (const Case &c : kCases)
    if (std::find(dims.begin(), dims.end(), c.dim) == dims.end())
      dims.push_back(c.dim);
  for (int D : dims) {
    std::vector<const Case *> cases;
    for (const Case &c : kCases)
      if (c.dim == D && selected(c, a, f, schemes))
        cases.push_back(&c);
    if (cases.empty())
      continue;
    const auto t0 = std::chrono::steady_clock::now();
    for (int64_t M : kSizes)
      for (int64_t N : kSizes) {
        const Data d = makeData(rng, f, D, M, N);
        Refs refs;
        if (f == Family::Sum)
          refs.sum = sumReference(d);
        else if (f == Family::Lse)
          refs.lse = lseReference(d);
        else
          refs.kmin = kminReference(d);
        for (const Case *c : cases)
          runCase(*c, d, refs);
      }
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("  %s%s D=%d: %zu entry points x %zu size pairs, %.1f s\n", familyName(f),
                schemes ? " schemes" : "", D, cases.size(), std::size(kSizes) * std::size(kSizes),
                s);
    std::fflush(stdout);
  }
}

// ---------------------------------------------------------------------------------------------
// Summation options, sharper (float32 data): one long Sum of similar positive terms, where a
// float32 running sum drifts far beyond one ulp. float64 accumulation and Kahan must stay within
// an ulp or two of the float64 reference (the output's own rounding is half an ulp), block_sum
// within kTol. A naive float32 running sum over the same terms, computed here, shows that the
// sharp bound can fail: the check refuses data on which the naive sum would pass it.
// direct_sum may be that naive sum (SPEC.md §7.2: "at most 64" partial sums, h(n) = n), so it
// gets §7.4's bound, (c_F + h(n) + 1)·u with c_F = 32 for Exp, all terms being positive.

const int64_t kLongN = 3001 * 33; // ~100000 terms in one output row
constexpr double kSharpTol = 2e-7;

double longSumBound(const char *variant) {
  const std::string v = variant;
  if (v == "kahan_scheme" || v == "dtype_acc=float64" || v == "use_double_acc")
    return kSharpTol;
  if (v == "direct_sum")
    return double(32 + kLongN + 1) * std::ldexp(1.0, -24);
  return kTol;
}

// One output row (M = 1 for axis 1, N = 1 for axis 0); b in [0.5, 1] and a small g make every
// term positive and within a factor of about 2 of the others.
Data makeLongData(std::mt19937_64 &rng, int D, int axis) {
  Data d;
  d.M = axis == 1 ? 1 : kLongN;
  d.N = axis == 1 ? kLongN : 1;
  d.D = D;
  fill(rng, 0, 1, size_t(d.M) * D, d.x, d.xd);
  fill(rng, 0, 1, size_t(d.N) * D, d.y, d.yd);
  fill(rng, 0.5, 1, size_t(d.N) * D, d.b, d.bd);
  d.g = {Real(0.01 / D)};
  d.gd = double(d.g[0]);
  return d;
}

// The largest relative error, over the components of the one row, of a float32 running sum of
// float32 terms, in index order.
double naiveFloat32Error(const Data &d, int axis, const std::vector<double> &ref) {
  const int D = d.D;
  const int64_t n = axis == 1 ? d.N : d.M;
  std::vector<float> acc(size_t(D), 0.0f);
  for (int64_t t = 0; t < n; ++t) {
    const Real *xi = &d.x[size_t(axis == 1 ? 0 : t) * D];
    const int64_t j = axis == 1 ? t : 0;
    const Real *yj = &d.y[size_t(j) * D], *bj = &d.b[size_t(j) * D];
    float sq = 0;
    for (int k = 0; k < D; ++k) {
      const float diff = float(xi[k]) - float(yj[k]);
      sq += diff * diff;
    }
    const float e = std::exp(-float(d.g[0]) * sq);
    for (int k = 0; k < D; ++k)
      acc[size_t(k)] += e * float(bj[k]);
  }
  double worst = 0;
  for (int k = 0; k < D; ++k)
    worst = std::max(worst, std::fabs(double(acc[size_t(k)]) - ref[size_t(k)]) /
                                std::fabs(ref[size_t(k)]));
  return worst;
}

void runSchemeAccuracy(const Args &a, std::mt19937_64 &rng) {
  if (sizeof(Real) != 4) {
    std::printf("  sum schemes, %" PRId64 " terms: float32 data only\n", kLongN);
    return;
  }
  for (int axis = 1; axis >= 0; --axis) {
    std::vector<int> dims;
    for (const Case &c : kCases)
      if (c.axis == axis && selected(c, a, Family::Sum, true) &&
          std::find(dims.begin(), dims.end(), c.dim) == dims.end())
        dims.push_back(c.dim);
    for (int D : dims) {
      const Data d = makeLongData(rng, D, axis);
      Refs refs;
      refs.sum = sumReference(d);
      const std::vector<double> &ref = refs.sum.value[axis];
      const double naive = naiveFloat32Error(d, axis, ref);
      std::printf("  sum schemes D=%d axis=%d, %" PRId64 " terms: float32 running sum %.2e\n", D,
                  axis, kLongN, naive);
      if (!(naive > 2 * kSharpTol)) {
        ++gReport.failures;
        std::printf("FAIL sum schemes D=%d axis=%d: a float32 running sum is already within "
                    "%.2e (%.2e): the data cannot tell the schemes apart\n",
                    D, axis, 2 * kSharpTol, naive);
      }
      for (const Case &c : kCases) {
        if (c.dim != D || c.axis != axis || !selected(c, a, Family::Sum, true))
          continue;
        const double bound = longSumBound(c.variant);
        keops_options one = KEOPS_OPTIONS_DEFAULT;
        one.num_threads = 1;
        const std::pair<Caller, const keops_options *> calls[] = {{c.main, nullptr}, {c.cpu, &one}};
        const char *callNames[] = {"main(opts=NULL)", "cpu(num_threads=1)"};
        double worst = 0;
        for (int n = 0; n < 2; ++n) {
          const Where w{&c, d.M, d.N, callNames[n]};
          Outputs o(c, 1);
          const keops_status st = calls[n].first(d.M, d.N, o.buffers(d), calls[n].second);
          if (!guardsIntact(w, o) || !expectStatus(w, st, KEOPS_OK))
            continue;
          for (int k = 0; k < D; ++k) {
            const double got = o.values[size_t(k)], want = ref[size_t(k)];
            const double err = std::fabs(got - want) / std::fabs(want);
            worst = std::max(worst, std::isnan(err) ? INFINITY : err);
            if (!(err <= bound))
              fail(w, fmt("component %d: got %.9g, expected %.17g (relative error %.3g > %.3g; "
                          "float32 running sum %.3g)",
                          k, got, want, err, bound, naive));
          }
        }
        std::printf("    %-32s %-17s %s: relative error %.2e (bound %.1e)\n", c.name, c.variant,
                    c.syntax, worst, bound);
      }
    }
  }
  std::fflush(stdout);
}

void runErrors(const Args &a, std::mt19937_64 &rng) {
  int n = 0;
  for (const Case &c : kCases)
    if (c.dim == 3 && (a.syntax.empty() || a.syntax == c.syntax)) {
      runErrorChecks(c, rng);
      runEmptyChecks(c, rng);
      ++n;
    }
  std::printf("  errors: %d entry points\n", n);
}

} // namespace

int main(int argc, char **argv) {
  const Args a = parseArgs(argc, argv);
  gReport.seed = a.seed;
  // The command that reproduces this run: the same arguments with this seed.
  std::string rerun = fmt("%s --seed %" PRIu64, argv[0], a.seed);
  for (int i = 1; i + 1 < argc; i += 2)
    if (std::strcmp(argv[i], "--seed") != 0)
      rerun += fmt(" %s %s", argv[i], argv[i + 1]);
  std::printf("%s (%s): seed %" PRIu64 " (rerun: %s)\n", CONF_MODULE, CONF_DTYPE, a.seed,
              rerun.c_str());
  std::fflush(stdout);
  for (const Case &c : kCases)
    if (c.k > kMaxK) { // the reference keeps kMaxK candidates per list
      std::printf("%s has K = %d > kMaxK = %d: raise kMaxK\n", c.name, c.k, kMaxK);
      return 2;
    }
  std::mt19937_64 rng(a.seed);
  const std::pair<const char *, Family> families[] = {{"sum", Family::Sum},
                                                      {"lse", Family::Lse},
                                                      {"argkmin", Family::ArgKMin},
                                                      {"kminargkmin", Family::KMinArgKMin},
                                                      {"kmin", Family::KMin}};
  for (const auto &[name, f] : families)
    if (a.family == "all" || a.family == name)
      runFamily(f, a, rng);
  if (a.family == "all" || a.family == "schemes") {
    runFamily(Family::Sum, a, rng, true);
    runFamily(Family::Lse, a, rng, true);
    runSchemeAccuracy(a, rng);
  }
  if (a.family == "all" || a.family == "errors")
    runErrors(a, rng);
  if (gReport.failures) {
    std::printf("%s: %" PRId64 " FAILURES (seed %" PRIu64 ")\n", CONF_MODULE, gReport.failures,
                a.seed);
    return 1;
  }
  std::printf("%s: all %" PRId64 " calls passed (seed %" PRIu64 ")\n", CONF_MODULE, gReport.checks,
              a.seed);
  return 0;
}
