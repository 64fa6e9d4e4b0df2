// ConformanceMain.cpp: runs one generated suite's entry points against the float64 reference of
// reference/ (computed from the same .kfl's IR). It owns the families, sizes and calls.
//
// Usage: conformance_<dtype> [--seed S]
//            [--family sum|lse|argkmin|kminargkmin|kmin|minmax|softmax|shiftexp|schemes|errors|all]
//            [--dim D] [--k K] [--syntax native|genred]
// `schemes` runs the Sum and LogSumExp-family entry points compiled with a summation option (the
// other families run the default ones), then the long float32 Sum of those options (LongSum.cpp).
// Every failure prints the case, sizes, call, row, component, got, expected and the bound; the
// exit status is 1 when anything failed. The seed (printed first) reproduces a run.
#include "Harness.h"
#include "reference/Check.h"

#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <utility>

namespace keopsc::conformance {
namespace {

// Every pair of these sizes but those of 3001 rows against 1000 or 3001: the float64 evaluator
// costs 0.1-1.5 µs per pair (i, j), and those pairs take no path that 1000 × 1000 (threads,
// several blocks of 256 terms) and 3001 × 7 (a long row, an odd row count) do not.
const int64_t kSizes[] = {1, 7, 1000, 3001};
bool sizePair(int64_t M, int64_t N) { return std::min(M, N) < 1000 || std::max(M, N) < 3001; }

// Explicit options are exercised on the mid-size pairs only: they must give the same answers.
bool optionSizes(int64_t M, int64_t N) { return (M == 1000 && N == 7) || (M == 7 && N == 1000); }

// Block-sparse ranges are exercised on every pair without 3001 rows (the masked reference costs
// another pass), batches on the mid-size pairs.
bool rangeSizes(int64_t M, int64_t N) { return std::max(M, N) < 3001; }

// A few output rows against a long reduced index: there the CPU splits the reduced index into
// parts whose states it merges (keops/host/reduced_parts.h). Each family and dimension runs both
// orientations once (so that both axes get a short output), with one and two threads compared
// bitwise: the split must not depend on the thread count.
const int64_t kSplitRows = 5, kSplitReduced = 12289;
bool splitSizes(int64_t M, int64_t N) {
  return (M == kSplitRows && N == kSplitReduced) || (M == kSplitReduced && N == kSplitRows);
}

/// Checks one call's outputs, written into `o`, against the reference.
void checkCall(const Case &c, const Data &d, const Problem &problem, const Reference &ref,
               Caller fn, const keops_options *opts, const char *callName, Outputs &o) {
  const Where w{&c, d.M, d.N, callName};
  const keops_status st = fn(d.M, d.N, o.buffers(d), opts);
  if (!guardsIntact(w, o))
    return;
  if (c.k > ref.reduced) {
    if (expectStatus(w, st, KEOPS_ERROR_K_TOO_LARGE)) {
      expectErrorMessage(w);
      stillPoisoned(w, o);
    }
    return;
  }
  if (!expectStatus(w, st, KEOPS_OK))
    return;
  const std::vector<double> values = o.valuesAsDouble(), shifted = o.shiftedAsDouble();
  MismatchLog log{w};
  const Got got{values.empty() ? nullptr : values.data(),
                o.indices.empty() ? nullptr : o.indices.data(),
                o.shifted.empty() ? nullptr : shifted.data()};
  gReport.headroom(checkOutputs(ref, problem, got, log), c);
}

void runCall(const Case &c, const Data &d, const Problem &problem, const Reference &ref, Caller fn,
             const keops_options *opts, const char *callName) {
  Outputs o(c, ref.rows);
  checkCall(c, d, problem, ref, fn, opts, callName, o);
}

template <class T> bool sameBits(const std::vector<T> &a, const std::vector<T> &b) {
  return a.size() == b.size() &&
         (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0);
}

/// The CPU entry point with one and with two threads: each checked, and the two bitwise equal.
void runThreadCounts(const Case &c, const Data &d, const Problem &p, const Reference &ref) {
  keops_options one = KEOPS_OPTIONS_DEFAULT, two = KEOPS_OPTIONS_DEFAULT;
  one.num_threads = 1;
  two.num_threads = 2;
  Outputs a(c, ref.rows), b(c, ref.rows);
  checkCall(c, d, p, ref, c.cpu, &one, "cpu(num_threads=1)", a);
  checkCall(c, d, p, ref, c.cpu, &two, "cpu(num_threads=2)", b);
  if (!sameBits(a.values, b.values) || !sameBits(a.indices, b.indices) ||
      !sameBits(a.shifted, b.shifted))
    fail(Where{&c, d.M, d.N, "cpu(num_threads=1 and 2)"}, "results differ between 1 and 2 threads");
}

void runCase(const Case &c, const Data &d, const Reference &ref) {
  const Problem p = d.problem();
  runCall(c, d, p, ref, c.main, nullptr, "main(opts=NULL)");
  if (splitSizes(d.M, d.N))
    runThreadCounts(c, d, p, ref);
  if (!optionSizes(d.M, d.N))
    return;
  keops_options one = KEOPS_OPTIONS_DEFAULT;
  one.num_threads = 1;
  runCall(c, d, p, ref, c.cpu, &one, "cpu(num_threads=1)");
  keops_options defaults = KEOPS_OPTIONS_DEFAULT;
  runCall(c, d, p, ref, c.main, &defaults, "main(KEOPS_OPTIONS_DEFAULT)");
  keops_options cpu = KEOPS_OPTIONS_DEFAULT;
  cpu.backend = KEOPS_BACKEND_CPU;
  cpu.num_threads = 2;
  runCall(c, d, p, ref, c.main, &cpu, "main(backend=CPU, num_threads=2)");
}

/// Every case once more under random block-sparse ranges, against the reference restricted to
/// the pairs they select (uncovered rows: the empty value).
void runWithRanges(const std::vector<const Case *> &cases,
                   const std::vector<const ir::EntryPoint *> &entries, const Data &d,
                   std::mt19937_64 &rng) {
  // Square problems take their ranges from clusters and a block mask (the library's helper).
  const RandomRanges ranges(rng, d.M, d.N, d.M == d.N);
  const Problem p = ranges.restrict(d.problem());
  const std::vector<Reference> refs = computeReferences(entries, p);
  keops_options opts = KEOPS_OPTIONS_DEFAULT;
  opts.ranges = &ranges.ranges;
  for (size_t e = 0; e < cases.size(); ++e)
    runCall(*cases[e], d, p, refs[e], cases[e]->main, &opts,
            d.M == d.N ? "main(ranges from blocks)" : "main(random ranges)");
}

struct Args {
  uint64_t seed = 0;
  bool seeded = false;
  std::string family = "all";
  int dim = 0;
  int k = -1; // -1: every K
  std::string syntax;
};

// schemes: the entry points compiled with a summation option, which only `--family schemes` runs.
bool selected(const Case &c, const Args &a, Family f, bool schemes) {
  return c.family == f && (a.dim == 0 || c.dim == a.dim) && (a.k < 0 || c.k == a.k) &&
         (a.syntax.empty() || a.syntax == c.syntax) && (*c.variant != '\0') == schemes;
}

// Fresh data per (D, M, N); one pass over its pairs computes the references of every selected
// case of that family and dimension (both axes, both syntaxes, every K and summation option).
void runFamily(const std::vector<Case> &all, Family f, const Args &a, std::mt19937_64 &rng,
               bool schemes = false) {
  std::vector<int> dims;
  for (const Case &c : all)
    if (std::find(dims.begin(), dims.end(), c.dim) == dims.end())
      dims.push_back(c.dim);
  for (int D : dims) {
    std::vector<const Case *> cases;
    std::vector<const ir::EntryPoint *> entries;
    for (const Case &c : all)
      if (c.dim == D && selected(c, a, f, schemes)) {
        cases.push_back(&c);
        entries.push_back(c.entry);
      }
    if (cases.empty())
      continue;
    const auto t0 = std::chrono::steady_clock::now();
    int pairs = 0;
    for (int64_t M : kSizes)
      for (int64_t N : kSizes) {
        if (!sizePair(M, N))
          continue;
        ++pairs;
        const Data d = makeData(rng, f, D, M, N);
        const std::vector<Reference> refs = computeReferences(entries, d.problem());
        for (size_t e = 0; e < cases.size(); ++e)
          runCase(*cases[e], d, refs[e]);
        if (rangeSizes(M, N)) {
          runParts(cases, d, refs, rng);
          runWithRanges(cases, entries, d, rng);
        }
        if (optionSizes(M, N))
          runBatches(cases, f, D, M, N, rng);
      }
    for (const auto &[M, N] : {std::pair<int64_t, int64_t>(kSplitRows, kSplitReduced),
                               std::pair<int64_t, int64_t>(kSplitReduced, kSplitRows)}) {
      ++pairs;
      const Data d = makeData(rng, f, D, M, N);
      const std::vector<Reference> refs = computeReferences(entries, d.problem());
      for (size_t e = 0; e < cases.size(); ++e)
        runCase(*cases[e], d, refs[e]);
      runParts(cases, d, refs, rng);
    }
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("  %s%s D=%d: %zu entry points x %d size pairs, %.1f s\n", familyName(f),
                schemes ? " schemes" : "", D, cases.size(), pairs, s);
    std::fflush(stdout);
  }
}

[[noreturn]] void usage(const char *argv0) {
  std::fprintf(
      stderr,
      "usage: %s [--seed S] "
      "[--family sum|lse|argkmin|kminargkmin|kmin|minmax|softmax|shiftexp|schemes|errors|all] "
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
  static const char *known[] = {"all",    "sum",     "lse",      "argkmin", "kminargkmin", "kmin",
                                "minmax", "softmax", "shiftexp", "schemes", "errors"};
  if (std::find_if(std::begin(known), std::end(known),
                   [&](const char *k) { return a.family == k; }) == std::end(known))
    usage(argv[0]);
  if (!a.seeded)
    a.seed = uint64_t(std::chrono::steady_clock::now().time_since_epoch().count()) ^
             uint64_t(std::random_device{}());
  return a;
}

void runSchemes(const std::vector<Case> &cases, const Args &a, std::mt19937_64 &rng) {
  runFamily(cases, Family::Sum, a, rng, true);
  runFamily(cases, Family::Lse, a, rng, true);
  runFamily(cases, Family::SoftMax, a, rng, true);
  runFamily(cases, Family::ShiftExp, a, rng, true);
  std::vector<const Case *> sums;
  for (const Case &c : cases)
    if (selected(c, a, Family::Sum, true))
      sums.push_back(&c);
  runLongSums(sums, rng);
}

int run(int argc, char **argv) {
  const Args a = parseArgs(argc, argv);
  // The command that reproduces this run: the same arguments with this seed.
  std::string rerun = fmt("%s --seed %" PRIu64, argv[0], a.seed);
  for (int i = 1; i + 1 < argc; i += 2)
    if (std::strcmp(argv[i], "--seed") != 0)
      rerun += fmt(" %s %s", argv[i], argv[i + 1]);
  std::printf("%s (%s): seed %" PRIu64 " (rerun: %s)\n", CONF_MODULE, CONF_DTYPE, a.seed,
              rerun.c_str());
  std::fflush(stdout);
  const std::vector<Case> cases = bindCases();
  std::mt19937_64 rng(a.seed);
  const Family families[] = {Family::Sum,  Family::Lse,    Family::ArgKMin, Family::KMinArgKMin,
                             Family::KMin, Family::MinMax, Family::SoftMax, Family::ShiftExp};
  for (Family f : families)
    if (a.family == "all" || a.family == familyName(f))
      runFamily(cases, f, a, rng);
  if (a.family == "all" || a.family == "schemes")
    runSchemes(cases, a, rng);
  if (a.family == "all" || a.family == "errors")
    runErrors(cases, a.syntax, rng);
  if (gReport.failures) {
    std::printf("%s: %" PRId64 " FAILURES (seed %" PRIu64 ")\n", CONF_MODULE, gReport.failures,
                a.seed);
    return 1;
  }
  std::printf("%s: all %" PRId64 " calls passed (seed %" PRIu64 "); worst |diff|/bound %.3g (%s)\n",
              CONF_MODULE, gReport.checks, a.seed, gReport.worstRatio, gReport.worstCase);
  return 0;
}

} // namespace
} // namespace keopsc::conformance

int main(int argc, char **argv) { return keopsc::conformance::run(argc, argv); }
