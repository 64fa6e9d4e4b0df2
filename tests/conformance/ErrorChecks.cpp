// ErrorChecks.cpp: the errors family: bad arguments get their code and a message and leave the
// outputs alone; empty reductions give the reference's empty values. Not the numeric families.
#include "Harness.h"

#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdio>

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
