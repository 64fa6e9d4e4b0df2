// Harness.h: what the suite harness's files share: the entry points of the generated table bound
// to their IR, data, poisoned outputs, failure reporting. Not the references (reference/).
#pragma once

#include "Storage.h"
#include "reference/Check.h"
#include "reference/Reference.h"

#include <cstdint>
#include <random>
#include <string>
#include <vector>

// Generated per dtype: includes the library header, defines conf_real, CONF_KFL, CONF_CASES(X).
#include "conf_suite.inc"

namespace keopsc::conformance {

/// The library's element type: float, double, or uint16_t holding IEEE binary16 bits (float16).
using Real = conf_real;
inline double toDouble(Real r) { return Storage<Real>::toDouble(r); }
/// x rounded to the library's dtype (the reference reads the rounded value back with toDouble).
inline Real fromDouble(double x) { return Storage<Real>::fromDouble(x); }
inline bool isNanReal(Real r) { return Storage<Real>::isNan(r); }

/// The harness's split of the reductions (its --family values), from the IR's reduction kind.
enum class Family { Sum, Lse, ArgKMin, KMinArgKMin, KMin, SoftMax, ShiftExp, MinMax };
const char *familyName(Family f);

/// Every entry point behind one calling convention: the suite's inputs (x, y, b, g) and outputs.
struct Buffers {
  const Real *x, *y, *b, *g;
  Real *values; ///< m for a Max_SumShiftExp[Weight] pair
  int64_t *indices;
  Real *shifted = nullptr; ///< s of a pair
};
using Caller = keops_status (*)(int64_t M, int64_t N, const Buffers &, const keops_options *);
/// The sharding entry points: _partial (M, N of the part, its first reduced row's index),
/// _merge and _finalize.
using PartialCaller = keops_status (*)(int64_t M, int64_t N, const Buffers &, int64_t offset,
                                       void *state, const keops_options *);
using MergeFn = keops_status (*)(int64_t rows, void *state, const void *other);
using FinalizeCaller = keops_status (*)(int64_t rows, const void *state, const Buffers &);

struct Case {
  const char *name;      ///< the C function
  const char *reduction; ///< its reduction in the .kfl (the IR entry point's name)
  const char *syntax;    ///< native | genred
  const char *variant;   ///< the summation option it was compiled with, "" for the defaults
  Caller main, cpu, cuda;
  PartialCaller partial;
  MergeFn merge;
  FinalizeCaller finalize;
  int64_t stateBytes; ///< per output row
  // From the IR (bindCases):
  const ir::EntryPoint *entry = nullptr;
  Family family = Family::Sum;
  int dim = 0; ///< D of the suite's inputs (x = Vi(D)); LogSumExp's formula is scalar
  int axis = 0, k = 0;
  int64_t valuesPerRow = 0, indicesPerRow = 0;
  int64_t shiftedPerRow = 0; ///< s of a pair (valuesPerRow is then m's 1)
};

/// The generated table's cases, each bound to its entry point in the .kfl the library was built
/// from (loaded through keopsc's frontend and sema). Exits with status 2 when anything is amiss.
std::vector<Case> bindCases();

/// The data of one (D, M, N): x = Vi(D), y = Vj(D), b = Vj(D), g = Pm(1), drawn in float64 and
/// rounded to the dtype; the reference reads the rounded values.
struct Data {
  int64_t M = 0, N = 0;
  int D = 0;
  std::vector<Real> x, y, b, g;       // what the library reads
  std::vector<double> xd, yd, bd, gd; // the same values in float64
  Problem problem() const;
};
void fill(std::mt19937_64 &rng, double lo, double hi, size_t n, std::vector<Real> &r,
          std::vector<double> &d);
Data makeData(std::mt19937_64 &rng, Family f, int D, int64_t M, int64_t N);

/// Random block-sparse ranges of an (M, N) problem, both triples (SPEC.md §5.3): clusters in any
/// order, uncovered rows, empty intervals; and the pairs they select, for the reference.
/// With `fromBlocks`, the ranges come from random clusters and a random block mask through the
/// library's <module>_ranges_from_blocks instead.
struct RandomRanges {
  std::vector<int64_t> rangesI, slicesI, redrangesJ, rangesJ, slicesJ, redrangesI;
  std::vector<int64_t> storage;      ///< <module>_ranges_from_blocks's
  std::vector<uint8_t> overJ, overI; ///< Problem's masks
  keops_ranges ranges;               ///< points into the vectors: not copyable safely
  RandomRanges(std::mt19937_64 &rng, int64_t M, int64_t N, bool fromBlocks = false);
  RandomRanges(const RandomRanges &) = delete;
  RandomRanges &operator=(const RandomRanges &) = delete;
  /// `problem` seeing only the pairs of these ranges.
  Problem restrict(Problem problem) const;
};

// Outputs are poisoned before every call and followed by guard elements, so a call that writes
// nothing, too little or too much is caught.
struct Outputs {
  std::vector<Real> values;
  std::vector<int64_t> indices;
  std::vector<Real> shifted;                                // s of a pair
  int64_t valueCount = 0, indexCount = 0, shiftedCount = 0; // per output array, guards excluded

  Outputs(const Case &c, int64_t rows);
  Buffers buffers(const Data &d);
  std::vector<double> valuesAsDouble() const;
  std::vector<double> shiftedAsDouble() const;
};

// Failure reporting: every failure names the case, sizes and call.
struct Report {
  int64_t failures = 0;
  int64_t checks = 0;
  double worstRatio = 0; ///< the largest |got − ref| / bound that passed: the headroom
  const char *worstCase = "-";
  void headroom(double ratio, const Case &c);
};
extern Report gReport;

struct Where {
  const Case *c;
  int64_t M, N;
  const char *call; // "main(NULL)", "cpu(num_threads=1)", ...
};

void fail(const Where &w, const std::string &what);

/// A bounded number of mismatches per call is printed; the rest only count.
struct MismatchLog {
  const Where &w;
  int printed = 0;
  void operator()(const std::string &what);
};

bool guardsIntact(const Where &w, const Outputs &o);
bool stillPoisoned(const Where &w, const Outputs &o);
bool expectStatus(const Where &w, keops_status got, keops_status expected);
void expectErrorMessage(const Where &w);

/// Batched calls of `cases` (one family, dimension D) on B problems of (M, N), without and with
/// shared inputs; every block against its own reference.
/// Each case over random parts of its reduced axis (some empty), their states merged in a random
/// order and finalized: checked against the reference, and bitwise equal to the one-call result
/// for Min/Max, the K-min family and indices (Parts.cpp).
void runParts(const std::vector<const Case *> &cases, const Data &d,
              const std::vector<Reference> &refs, std::mt19937_64 &rng);

void runBatches(const std::vector<const Case *> &cases, Family f, int D, int64_t M, int64_t N,
                std::mt19937_64 &rng);

/// The errors family: argument validation and empty reductions, on the D = 3 entry points.
void runErrors(const std::vector<Case> &cases, const std::string &syntax, std::mt19937_64 &rng);
/// The long float32 Sum of the summation options (schemes family).
void runLongSums(const std::vector<const Case *> &schemeSums, std::mt19937_64 &rng);

} // namespace keopsc::conformance
