// OpsMain.cpp: runs each case of one generated ops suite against ../reference/ (its .kfl's IR).
// It owns data, poisoning and calls; the cases, their formulas and domains are gen_ops.py's.
//
// Usage: conformance_ops_<dtype> [--seed S] [--case NAME] [--list]
// Each case is a Sum reduction of one operation's formula, whose pykeops Genred form must lower to
// the same IR, run on fresh random data drawn in the operation's domain (the seed, printed first,
// reproduces a run). Every failure prints the case, formula, sizes, row, component, got, expected
// and the bound; the exit status is 1 when anything failed.
#include "Storage.h"
#include "reference/Check.h"
#include "reference/Suite.h"

#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <vector>

// Generated per dtype: includes the library header, defines ops_real, OPS_KFL, OPS_LAST_ERROR.
#include "ops_module.h"

namespace keopsc::conformance {
namespace {

using Real = ops_real; // uint16_t: IEEE binary16 bits (Storage.h)
using Elements = Storage<Real>;

// Where a case's data lie (gen_ops.py's DOMAINS): Sym in [-1, 1]; Pos in [0.5, 2]; PosZeros as
// Pos with about a quarter of the entries exactly +0 or -0; NonZero in [-2, -0.5] U [0.5, 2];
// Big in [2, 4]; Grid the 13 multiples of 1/2 in [-2, 4] (exact ties and half-integers).
// Exact grids, for the jumps of comparisons, Round, Mod, Sign...: Half, k/2 for k in [-6, 6]
// (0 as +0 or -0); Int, the nonzero integers of [-3, 3]; Twentieths, k/20 rounded for k in
// [-40, 40] (near-ties of Round(f, 1)); Fives, 5k for k in [-10, 10] ([-4, 4] in float16, whose
// sums stop at 65504) (ties of Round(f, -1));
// UnitEnds, [-1, 1] with a quarter of the entries exactly -1 or +1; Sorted as Sym with each row
// sorted increasingly (BSpline knots); SortedRepeats as Sorted with repeated knots in every row
// (t1 = t2, and the last two equal) and some at random.
enum class Domain {
  Sym,
  Pos,
  PosZeros,
  NonZero,
  Big,
  Grid,
  Half,
  Int,
  Twentieths,
  Fives,
  UnitEnds,
  Sorted,
  SortedRepeats
};

struct Size {
  int64_t M, N;
};

// The entry point with default options, inputs in the reduction's parameter order.
using Caller = keops_status (*)(int64_t M, int64_t N, const Real *const *in, Real *out);

constexpr int kMaxInputs = 3;
constexpr int kMaxSizes = 2;

struct OpCase {
  const char *name; // the reduction is op_<name>
  const char *formula;
  int outDim; // what the case means to test; the IR must agree
  int nIn;
  Domain domains[kMaxInputs];
  Size sizes[kMaxSizes];
  int nSizes;
  Caller call;
};

#include "ops_cases.inc"

// Outputs are poisoned before every call and followed by guard elements.
const Real kPoison = Elements::fromDouble(std::numeric_limits<double>::quiet_NaN());
const Real kGuardValue = Elements::fromDouble(1234.5);
constexpr int64_t kGuard = 16;
constexpr int kMaxReportsPerCase = 5;

// The largest |out - ref| / bound seen in passing checks, and its case: the suite's headroom.
double gWorstRatio = 0;
const char *gWorstCase = "-";

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
  case Domain::Grid:
    return -2.0 + 0.5 * double(std::uniform_int_distribution<int>(0, 12)(rng));
  case Domain::Half: {
    const int k = std::uniform_int_distribution<int>(-6, 6)(rng);
    return k ? k / 2.0 : unit(rng) < 0.5 ? -0.0 : 0.0;
  }
  case Domain::Int: {
    const int k = std::uniform_int_distribution<int>(1, 3)(rng);
    return unit(rng) < 0.5 ? -k : k;
  }
  case Domain::Twentieths:
    return std::uniform_int_distribution<int>(-40, 40)(rng) / 20.0;
  case Domain::Fives: // float16: |k| <= 4 keeps Round(f, -1)·f·x summed over j below 65504
    return 5.0 * std::uniform_int_distribution<int>(Elements::kHalf ? -4 : -10,
                                                    Elements::kHalf ? 4 : 10)(rng);
  case Domain::UnitEnds: {
    double u = unit(rng);
    return u < 0.125 ? -1.0 : u < 0.25 ? 1.0 : -1.0 + 2.0 * unit(rng);
  }
  case Domain::Sorted:
  case Domain::SortedRepeats: // sorted by sortRows
    return -1.0 + 2.0 * unit(rng);
  }
  return 0;
}

/// Sorts each row of `dim` values increasingly; with `repeats`, makes knots 1 and 2 equal, the
/// last two equal, and each other knot equal to the one before with probability 1/4.
void sortRows(std::vector<double> &v, size_t dim, bool repeats, std::mt19937_64 &rng) {
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (size_t row = 0; row + dim <= v.size(); row += dim) {
    double *t = v.data() + row;
    std::sort(t, t + dim);
    for (size_t k = 1; repeats && k < dim; ++k)
      if (k == 2 || k == dim - 1 || unit(rng) < 0.25)
        t[k] = t[k - 1];
  }
}

/// One input: what the entry point reads, and the same (rounded) values for the reference.
struct Data {
  std::vector<Real> real;
  std::vector<double> exact;
};

Data makeData(Domain domain, size_t n, size_t dim, std::mt19937_64 &rng) {
  std::vector<double> drawn(n);
  for (double &value : drawn)
    value = draw(domain, rng);
  if (domain == Domain::Sorted || domain == Domain::SortedRepeats)
    sortRows(drawn, dim, domain == Domain::SortedRepeats, rng); // rounding keeps the order
  Data d;
  d.real.resize(n);
  d.exact.resize(n);
  for (size_t e = 0; e < n; ++e) {
    d.real[e] = Elements::fromDouble(drawn[e]);
    d.exact[e] = Elements::toDouble(d.real[e]);
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

int64_t rowsOf(const ir::Input &in, Size s) {
  return in.cat == ir::Category::I ? s.M : in.cat == ir::Category::J ? s.N : 1;
}

// Runs one case at one size; returns the number of failed checks.
int64_t runCase(const OpCase &c, const ir::EntryPoint &entry, Size s, std::mt19937_64 &rng) {
  std::vector<Data> data;
  Problem problem{s.M, s.N, {}};
  const Real *realIn[kMaxInputs] = {};
  for (int k = 0; k < c.nIn; ++k) {
    const ir::Input &in = entry.inputs[size_t(k)];
    data.push_back(makeData(c.domains[k], size_t(rowsOf(in, s) * in.dim), size_t(in.dim), rng));
  }
  for (int k = 0; k < c.nIn; ++k) {
    realIn[k] = data[size_t(k)].real.data();
    problem.inputs.push_back(data[size_t(k)].exact.data());
  }

  const int64_t rows = entry.mainStage().axis == 1 ? s.M : s.N;
  const int64_t count = rows * c.outDim;
  std::vector<Real> out(size_t(count), kPoison);
  out.resize(size_t(count + kGuard), kGuardValue);

  int64_t failures = 0;
  auto report = [&](const std::string &what) {
    if (++failures > kMaxReportsPerCase)
      return;
    std::printf("FAIL %s [%s, axis=%d] M=%" PRId64 " N=%" PRId64 ": %s\n", c.name, c.formula,
                entry.mainStage().axis, s.M, s.N, what.c_str());
  };

  const keops_status st = c.call(s.M, s.N, realIn, out.data());
  if (st != KEOPS_OK) {
    report("status " + std::to_string(int(st)) + ": " + OPS_LAST_ERROR());
    return failures;
  }
  for (int64_t g = 0; g < kGuard; ++g)
    if (out[size_t(count + g)] != kGuardValue)
      report("guard element " + std::to_string(g) + " past the output was overwritten");

  const Reference ref = computeReferences({&entry}, problem).front();
  std::vector<double> got(static_cast<size_t>(count));
  for (size_t e = 0; e < got.size(); ++e)
    got[e] = Elements::toDouble(out[e]);
  const double ratio = checkOutputs(ref, problem, {got.data(), nullptr}, report);
  if (ratio > gWorstRatio) {
    gWorstRatio = ratio;
    gWorstCase = c.name;
  }
  if (failures > kMaxReportsPerCase)
    std::printf("FAIL %s: %" PRId64 " failed checks in all\n", c.name, failures);
  return failures;
}

/// The case's entry point in the .kfl, or null after saying why it does not fit the table.
const ir::EntryPoint *entryOf(const Suite &suite, const OpCase &c) {
  const ir::EntryPoint *e = suite.entry(std::string("op_") + c.name);
  const char *why = !e                                          ? "has no reduction op_<case>"
                    : e->inputs.size() != size_t(c.nIn)         ? "has another number of inputs"
                    : e->mainStage().valuesPerRow() != c.outDim ? "has another output dimension"
                                                                : nullptr;
  if (why)
    std::printf("FAIL %s [%s]: %s in %s than gen_ops.py says\n", c.name, c.formula, why, OPS_KFL);
  return why ? nullptr : e;
}

/// Whether two formulas of different modules are the same tree (op, static integers, constant,
/// dimension and operands), memoised over the DAG.
bool sameFormula(const ir::Formula *a, const ir::Formula *b,
                 std::map<std::pair<const ir::Formula *, const ir::Formula *>, bool> &seen) {
  if (!a || !b)
    return a == b;
  auto key = std::make_pair(a, b);
  if (auto found = seen.find(key); found != seen.end())
    return found->second;
  bool same = a->kind() == b->kind() && a->ints() == b->ints() && a->dim() == b->dim() &&
              a->children().size() == b->children().size() &&
              (a->kind() != ir::OpKind::Const || a->constant() == b->constant());
  for (size_t k = 0; same && k < a->children().size(); ++k)
    same = sameFormula(a->child(k), b->child(k), seen);
  return seen[key] = same;
}

/// 0 when the case's Genred form (OPS_GENRED_KFL) lowers to the native form's inputs and IR,
/// else 1 after saying how they differ.
int64_t checkGenredForm(const Suite &genred, const OpCase &c, const ir::EntryPoint &native) {
  const ir::EntryPoint *e = genred.entry(std::string("op_") + c.name);
  std::map<std::pair<const ir::Formula *, const ir::Formula *>, bool> seen;
  bool sameInputs = e && e->inputs.size() == native.inputs.size();
  for (size_t k = 0; sameInputs && k < native.inputs.size(); ++k)
    sameInputs = e->inputs[k].cat == native.inputs[k].cat &&
                 e->inputs[k].dim == native.inputs[k].dim &&
                 e->inputs[k].dtype == native.inputs[k].dtype;
  const char *why = !e            ? "has no Genred reduction"
                    : !sameInputs ? "has other inputs in its Genred form"
                    : e->mainStage().axis != native.mainStage().axis ||
                            !sameFormula(e->mainStage().formula, native.mainStage().formula, seen)
                        ? "lowers to another formula in its Genred form"
                        : nullptr;
  if (why)
    std::printf("FAIL %s [%s]: %s (%s)\n", c.name, c.formula, why, OPS_GENRED_KFL);
  return why ? 1 : 0;
}

struct Args {
  uint64_t seed =
      std::random_device{}() ^
      static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  const char *only = nullptr;
  bool list = false;
};

Args parseArgs(int argc, char **argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--seed") && i + 1 < argc) {
      a.seed = std::strtoull(argv[++i], nullptr, 10);
    } else if (!std::strcmp(argv[i], "--case") && i + 1 < argc) {
      a.only = argv[++i];
    } else if (!std::strcmp(argv[i], "--list")) {
      a.list = true;
    } else {
      std::fprintf(stderr, "usage: %s [--seed S] [--case NAME] [--list]\n", argv[0]);
      std::exit(2);
    }
  }
  return a;
}

int run(int argc, char **argv) {
  const auto [seed, only, list] = parseArgs(argc, argv);
  if (list) {
    for (const OpCase &c : kOpCases)
      std::printf("%s: Sum(%s)\n", c.name, c.formula);
    return 0;
  }

  std::printf("%s (%s): seed %" PRIu64 " (replay with --seed %" PRIu64 ")\n", OPS_MODULE, OPS_DTYPE,
              seed, seed);
  std::fflush(stdout);
  const auto suite = Suite::load(OPS_KFL, OPS_MODULE, OPS_IMPORT_DIR, std::cerr);
  if (!suite)
    return 2;
  const auto genred = Suite::load(OPS_GENRED_KFL, OPS_MODULE, OPS_IMPORT_DIR, std::cerr);
  if (!genred)
    return 2;
  const auto start = std::chrono::steady_clock::now();
  int64_t failures = 0;
  int cases = 0, failedCases = 0;
  for (const OpCase &c : kOpCases) {
    if (only && std::strcmp(only, c.name))
      continue;
    ++cases;
    const int64_t before = failures;
    const ir::EntryPoint *entry = entryOf(*suite, c);
    failures += entry ? checkGenredForm(*genred, c, *entry) : 1;
    for (int k = 0; entry && k < c.nSizes; ++k) {
      // One generator per (case, size) derived from the seed, so --case replays the same data.
      const uint64_t h = fnv1a(c.name);
      std::seed_seq seq{static_cast<uint32_t>(seed), static_cast<uint32_t>(seed >> 32),
                        static_cast<uint32_t>(h), static_cast<uint32_t>(h >> 32),
                        static_cast<uint32_t>(k)};
      std::mt19937_64 rng(seq);
      failures += runCase(c, *entry, c.sizes[k], rng);
    }
    failedCases += failures != before;
  }
  if (only && !cases) {
    std::fprintf(stderr, "no case named %s (see --list)\n", only);
    return 2;
  }
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("%d cases, %d failed (%" PRId64 " failed checks), SPEC.md §7.4 bounds, worst passing "
              "|diff|/bound %.3g (%s), %.2f s\n",
              cases, failedCases, failures, gWorstRatio, gWorstCase, secs);
  return failures ? 1 : 0;
}

} // namespace
} // namespace keopsc::conformance

int main(int argc, char **argv) { return keopsc::conformance::run(argc, argv); }
