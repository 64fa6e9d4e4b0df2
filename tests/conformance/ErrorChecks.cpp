// ErrorChecks.cpp: the errors family: bad arguments get their code and a message and leave the
// outputs alone; empty reductions give the reference's empty values. Not the numeric families.
#include "Harness.h"

#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace keopsc::conformance {
namespace {

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
  if (io.shifted)
    io.shifted = o.shifted.data();
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

/// keops_ranges with one triple, the one a reduction over `axis` reads (the other left NULL).
keops_ranges oneTriple(int axis, int64_t count, const int64_t *ranges, const int64_t *slices,
                       int64_t reducedCount, const int64_t *reduced) {
  keops_ranges r = {};
  if (axis == 1) {
    r.nranges_i = count;
    r.ranges_i = ranges;
    r.slices_i = slices;
    r.nredranges_j = reducedCount;
    r.redranges_j = reduced;
  } else {
    r.nranges_j = count;
    r.ranges_j = ranges;
    r.slices_j = slices;
    r.nredranges_i = reducedCount;
    r.redranges_i = reduced;
  }
  return r;
}

// Ranges and batches (SPEC.md §5.3, §5.4, §7.3): each defect gets its code, nothing is written.
void runRangeAndBatchErrors(const Case &c, const Buffers &io) {
  const int64_t n = kErrRows;
  const int64_t good[] = {0, 2}, oneSlice[] = {1}, twoSlices[] = {1, 2}, bothInOne[] = {2};
  const int64_t overlapping[] = {0, 3, 2, 5}, past[] = {0, n + 1}, decreasing[] = {1, 0};
  const int64_t reducedOverlap[] = {0, 4, 3, 6}, twoIntervals[] = {0, 2, 2, 4};
  struct BadRanges {
    const char *what;
    keops_ranges ranges;
  } bad[] = {
      {"ranges: overlapping output intervals",
       oneTriple(c.axis, 2, overlapping, twoSlices, 2, overlapping)},
      {"ranges: output interval past the end", oneTriple(c.axis, 1, past, oneSlice, 1, good)},
      {"ranges: reduced interval past the end", oneTriple(c.axis, 1, good, oneSlice, 1, past)},
      // Only the slices are wrong: two valid output intervals, two valid reduced intervals
      // (each count matches its array, since the entry point reads that many pairs).
      {"ranges: decreasing slices",
       oneTriple(c.axis, 2, twoIntervals, decreasing, 2, twoIntervals)},
      {"ranges: overlapping intervals in a slice",
       oneTriple(c.axis, 1, good, bothInOne, 2, reducedOverlap)},
      {"ranges: the other axis's triple only", oneTriple(1 - c.axis, 1, good, oneSlice, 1, good)},
  };
  for (const BadRanges &b : bad) {
    keops_options o = KEOPS_OPTIONS_DEFAULT;
    o.ranges = &b.ranges;
    expectRejected(c, b.what, n, n, io, c.main, &o, {KEOPS_ERROR_INVALID_RANGES});
  }
  const keops_ranges fine = oneTriple(c.axis, 1, good, oneSlice, 1, good);
  const uint8_t shared[] = {0, 1, 0, 0}, garbage[] = {0, 2, 0, 0};
  keops_options withBatch = KEOPS_OPTIONS_DEFAULT;
  withBatch.batch = 2;
  withBatch.ranges = &fine;
  expectRejected(c, "ranges with batch=2", n, n, io, c.main, &withBatch,
                 {KEOPS_ERROR_INVALID_BATCH});
  keops_options noBatch = KEOPS_OPTIONS_DEFAULT;
  noBatch.batch_shared = shared;
  expectRejected(c, "batch_shared without a batch", n, n, io, c.main, &noBatch,
                 {KEOPS_ERROR_INVALID_BATCH});
  keops_options badFlag = KEOPS_OPTIONS_DEFAULT;
  badFlag.batch = 2;
  badFlag.batch_shared = garbage;
  expectRejected(c, "batch_shared[1]=2", n, n, io, c.main, &badFlag, {KEOPS_ERROR_INVALID_BATCH});
  keops_options negative = KEOPS_OPTIONS_DEFAULT;
  negative.batch = -1;
  expectRejected(c, "batch=-1", n, n, io, c.main, &negative, {KEOPS_ERROR_INVALID_BATCH});
  Buffers noX = io;
  noX.x = nullptr;
  keops_options batch = KEOPS_OPTIONS_DEFAULT;
  batch.batch = 2;
  expectRejected(c, "batch=2, x=NULL", n, n, noX, c.main, &batch, {KEOPS_ERROR_NULL_POINTER});
}

// An output overlapping an input, and a misaligned input: rejected, memory untouched. x sits right
// after one block of values, so only a batch of two makes them overlap.
void runOverlapErrors(const Case &c, const Buffers &io) {
  const int64_t n = kErrRows;
  if (c.valuesPerRow == 0)
    return; // index-only outputs: the same check, on int64_t memory
  const size_t block = size_t(n * c.valuesPerRow), xSize = size_t(n * c.dim);
  std::vector<Real> memory(2 * block + xSize, fromDouble(0.25));
  std::copy(io.x, io.x + xSize, memory.begin() + std::ptrdiff_t(block));
  const std::vector<Real> before = memory;
  Buffers shifted = io;
  shifted.values = memory.data();
  shifted.x = memory.data() + block;
  auto untouched = [&](const char *what) {
    const Where w{&c, n, n, what};
    if (std::memcmp(memory.data(), before.data(), memory.size() * sizeof(Real)) != 0)
      fail(w, "wrote into its memory although it failed");
  };
  keops_options batch = KEOPS_OPTIONS_DEFAULT;
  batch.batch = 2;
  const Where w{&c, n, n, "batch=2, out overlapping x"};
  const keops_status st = c.main(n, n, shifted, &batch);
  if (expectStatus(w, st, KEOPS_ERROR_OVERLAP))
    expectErrorMessage(w);
  untouched(w.call);
  shifted.values = memory.data() + block + 1; // on x itself
  const Where same{&c, n, n, "out overlapping x"};
  if (expectStatus(same, c.main(n, n, shifted, nullptr), KEOPS_ERROR_OVERLAP))
    expectErrorMessage(same);
  untouched(same.call);
  Buffers misaligned = io;
  std::vector<char> bytes(xSize * sizeof(Real) + 1);
  std::memcpy(bytes.data() + 1, io.x, xSize * sizeof(Real));
  misaligned.x = reinterpret_cast<const Real *>(bytes.data() + 1);
  expectRejected(c, "x misaligned", n, n, misaligned, c.main, nullptr, {KEOPS_ERROR_MISALIGNED});
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
  noOut.shifted = nullptr;
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
  runRangeAndBatchErrors(c, io);
  runOverlapErrors(c, io);
}

// Empty reductions (SPEC.md §4): exactly the reference's values for rows without terms (the
// "empty" column), and NULL arrays allowed when empty.
void runEmptyChecks(const Case &c, std::mt19937_64 &rng) {
  const int64_t n = kErrRows;
  const int64_t M = c.axis == 1 ? n : 0, N = c.axis == 1 ? 0 : n; // reduced length 0
  const Data d = makeData(rng, c.family, c.dim, M, N);
  const Where w{&c, M, N, "empty reduction"};
  Outputs o(c, n);
  Buffers io = o.buffers(d);
  if (c.axis == 1)
    io.y = io.b = nullptr; // an empty array may be NULL
  else
    io.x = nullptr;
  const keops_status st = c.main(M, N, io, nullptr);
  if (c.k > 0) {
    if (expectStatus(w, st, KEOPS_ERROR_K_TOO_LARGE))
      stillPoisoned(w, o);
    return;
  }
  if (!expectStatus(w, st, KEOPS_OK) || !guardsIntact(w, o))
    return;
  const Reference ref = computeReferences({c.entry}, d.problem()).front();
  for (int64_t e = 0; e < o.valueCount; ++e) {
    const double got = toDouble(o.values[size_t(e)]), want = ref.values[size_t(e)];
    if (!(got == want || (std::isnan(got) && std::isnan(want)))) {
      fail(w, fmt("element %" PRId64 ": got %g, expected %g", e, got, want));
      return;
    }
  }
  for (int64_t e = 0; e < o.shiftedCount; ++e) {
    const double got = toDouble(o.shifted[size_t(e)]), want = ref.shifted[size_t(e)];
    if (got != want) {
      fail(w, fmt("s element %" PRId64 ": got %g, expected %g", e, got, want));
      return;
    }
  }
  for (int64_t e = 0; e < o.indexCount; ++e)
    if (o.indices[size_t(e)] != ref.indices[size_t(e)]) {
      fail(w, fmt("index %" PRId64 ": got %" PRId64 ", expected %" PRId64, e, o.indices[size_t(e)],
                  ref.indices[size_t(e)]));
      return;
    }
}

} // namespace

void runErrors(const std::vector<Case> &cases, const std::string &syntax, std::mt19937_64 &rng) {
  int n = 0;
  for (const Case &c : cases)
    if (c.dim == 3 && (syntax.empty() || syntax == c.syntax)) {
      runErrorChecks(c, rng);
      runEmptyChecks(c, rng);
      ++n;
    }
  std::printf("  errors: %d entry points\n", n);
}

} // namespace keopsc::conformance
