// LongSum.cpp: the schemes family's long float32 Sum: ~100000 near-equal terms, on which every
// summation option meets its own §7.4 bound and a float32 running sum does not. Nothing else.
#include "Harness.h"
#include "reference/Check.h"
#include "reference/Tolerance.h"

#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdio>

namespace keopsc::conformance {
namespace {

const int64_t kLongN = 3001 * 33; // ~100000 terms in one output row

// One output row (M = 1 for axis 1, N = 1 for axis 0). One b for every row and a small g make the
// terms positive and within 1% of each other: a float32 running sum then rounds the same way over
// long stretches and drifts by ~1e-4, while blocks of 256, Kahan and float64 accumulation stay
// within a few ulps.
Data makeLongData(std::mt19937_64 &rng, int D, int axis) {
  Data d;
  d.M = axis == 1 ? 1 : kLongN;
  d.N = axis == 1 ? kLongN : 1;
  d.D = D;
  fill(rng, 0, 1, size_t(d.M) * size_t(D), d.x, d.xd);
  fill(rng, 0, 1, size_t(d.N) * size_t(D), d.y, d.yd);
  std::vector<Real> b1;
  std::vector<double> b1d;
  fill(rng, 0.5, 1, size_t(D), b1, b1d);
  for (int64_t j = 0; j < d.N; ++j) {
    d.b.insert(d.b.end(), b1.begin(), b1.end());
    d.bd.insert(d.bd.end(), b1d.begin(), b1d.end());
  }
  d.g = {fromDouble(0.01 / D)};
  d.gd = {toDouble(d.g[0])};
  return d;
}

/// The largest relative error over the row's components of a float32 running sum, in index order,
/// of the terms rounded to float32: what direct summation may do (SPEC.md §7.2: h(n) = n).
double runningSumError(const Case &c, const Data &d, const std::vector<double> &ref) {
  TermEvaluator term(*c.entry, d.problem());
  const int64_t n = c.axis == 1 ? d.N : d.M;
  std::vector<float> acc(size_t(d.D), 0.0f);
  for (int64_t t = 0; t < n; ++t) {
    const std::vector<double> &f = c.axis == 1 ? term(0, t) : term(t, 0);
    for (size_t k = 0; k < acc.size(); ++k)
      acc[k] += float(f[k]);
  }
  double worst = 0;
  for (size_t k = 0; k < acc.size(); ++k)
    worst = std::max(worst, std::fabs(double(acc[k]) - ref[k]) / std::fabs(ref[k]));
  return worst;
}

/// Runs one entry point on the long row (default options, then one CPU thread) and returns its
/// largest relative error; failures are reported against the §7.4 bound.
double runLong(const Case &c, const Data &d, const Reference &ref) {
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
    const std::vector<double> got = o.valuesAsDouble();
    MismatchLog log{w};
    gReport.headroom(checkOutputs(ref, d.problem(), {got.data(), nullptr}, log), c);
    for (size_t k = 0; k < got.size(); ++k) {
      const double err = std::fabs(got[k] - ref.values[k]) / std::fabs(ref.values[k]);
      worst = std::max(worst, std::isnan(err) ? INFINITY : err);
    }
  }
  return worst;
}

void runLongRow(const std::vector<const Case *> &cases, int D, int axis, std::mt19937_64 &rng) {
  const Data d = makeLongData(rng, D, axis);
  std::vector<const ir::EntryPoint *> entries;
  for (const Case *c : cases)
    entries.push_back(c->entry);
  const std::vector<Reference> refs = computeReferences(entries, d.problem());
  const double naive = runningSumError(*cases.front(), d, refs.front().values);
  // The data must tell the options apart: the running sum breaks every bound but direct_sum's.
  double widest = 0;
  for (const Case *c : cases)
    if (c->entry->mainStage().numerics.sumScheme != ir::SumScheme::Direct)
      widest = std::max(widest, toleranceOf(*c->entry, kLongN).tau());
  std::printf("  sum schemes D=%d axis=%d, %" PRId64 " terms: float32 running sum %.2e\n", D, axis,
              kLongN, naive);
  if (!(naive > widest)) {
    ++gReport.failures;
    std::printf("FAIL sum schemes D=%d axis=%d: a float32 running sum is within %.2e (%.2e), "
                "the largest bound but direct_sum's: the data cannot tell the schemes apart\n",
                D, axis, widest, naive);
  }
  for (size_t e = 0; e < cases.size(); ++e) {
    const double err = runLong(*cases[e], d, refs[e]);
    std::printf("    %-32s %-17s %s: relative error %.2e (bound %.1e)\n", cases[e]->name,
                cases[e]->variant, cases[e]->syntax, err,
                toleranceOf(*cases[e]->entry, kLongN).tau());
  }
}

} // namespace

void runLongSums(const std::vector<const Case *> &schemeSums, std::mt19937_64 &rng) {
  if (sizeof(Real) != 4) {
    std::printf("  sum schemes, %" PRId64 " terms: float32 data only\n", kLongN);
    return;
  }
  for (int axis = 1; axis >= 0; --axis) {
    std::vector<int> dims;
    for (const Case *c : schemeSums)
      if (c->axis == axis && std::find(dims.begin(), dims.end(), c->dim) == dims.end())
        dims.push_back(c->dim);
    for (int D : dims) {
      std::vector<const Case *> cases;
      for (const Case *c : schemeSums)
        if (c->axis == axis && c->dim == D)
          cases.push_back(c);
      runLongRow(cases, D, axis, rng);
    }
  }
  std::fflush(stdout);
}

} // namespace keopsc::conformance
