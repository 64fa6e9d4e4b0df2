// Check.cpp: the per-kind comparisons of SPEC.md §7.4; see Check.h. The bounds come from
// Tolerance.h; an index that differs from the reference's is judged by its own term's value.
#include "reference/Check.h"

#include "ir/ReductionInfo.h"
#include "reference/Tolerance.h"

#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <limits>
#include <stdexcept>

namespace keopsc::conformance {

std::string fmt(const char *format, ...) {
  char buf[512];
  va_list args;
  va_start(args, format);
  std::vsnprintf(buf, sizeof buf, format, args);
  va_end(args);
  return buf;
}

namespace {

/// Compares values and tracks the headroom; NaN and ±∞ references must be matched exactly.
/// `where` (a callable giving "row 3 component 1") is formatted on a mismatch only.
struct ValueCheck {
  const MismatchFn &mismatch;
  double worst = 0;

  template <class Where> void operator()(double got, double want, double bound, Where where) {
    const double diff = std::fabs(got - want);
    if (diff <= bound) { // false for NaN and ±∞ on either side
      worst = std::max(worst, diff / bound);
      return;
    }
    if (std::isnan(want) ? std::isnan(got) : std::isinf(want) && got == want)
      return;
    mismatch(where() +
             fmt(": got %.17g, expected %.17g (|diff| %.3g > %.3g)", got, want, diff, bound));
  }
};

/// "row r component k" of value e in rows of `width`.
auto rowComponent(size_t e, int width) {
  return [=] { return fmt("row %zu component %zu", e / size_t(width), e % size_t(width)); };
}

void checkSum(const Reference &ref, const Tolerance &tol, const Got &got, ValueCheck &check) {
  const int width = ref.stage().valuesPerRow();
  for (size_t e = 0; e < ref.values.size(); ++e)
    check(got.values[e], ref.values[e], tol.sum(ref.scale[e]), rowComponent(e, width));
}

void checkLogSumExp(const Reference &ref, const Tolerance &tol, const Got &got, ValueCheck &check) {
  const int width = ref.stage().valuesPerRow();
  const bool weighted = ref.stage().weight != nullptr;
  for (size_t e = 0; e < ref.values.size(); ++e) {
    // A weighted sum whose cancellation κ can turn its relative error past 1 may round to 0 or
    // below: ln gives −∞ or NaN, both right then (run 21000000, module 202: weights cancelling
    // exactly, the float32 sum a negative residue).
    const double value = got.values[e];
    if (weighted && ref.condition[e] * tol.sumRelativeError() >= 1 &&
        (std::isnan(value) || value == -std::numeric_limits<double>::infinity()))
      continue;
    check(value, ref.values[e],
          tol.logSumExp(ref.scale[e], ref.values[e], ref.condition[e], weighted),
          rowComponent(e, width));
  }
}

void checkSoftMax(const Reference &ref, const Tolerance &tol, const Got &got, ValueCheck &check) {
  const int width = ref.stage().valuesPerRow();
  for (size_t e = 0; e < ref.values.size(); ++e)
    check(got.values[e], ref.values[e], tol.softmax(ref.scale[e], ref.condition[e]),
          rowComponent(e, width));
}

/// The raw pair: m per row, then s_k.
void checkShiftExp(const Reference &ref, const Tolerance &tol, const Got &got, ValueCheck &check) {
  const int width = ref.stage().valuesPerRow();
  for (size_t r = 0; r < ref.values.size(); ++r)
    check(got.values[r], ref.values[r], tol.maxShift(ref.scale[r * size_t(width)]),
          [=] { return fmt("row %zu m", r); });
  for (size_t e = 0; e < ref.shifted.size(); ++e)
    check(got.shifted[e], ref.shifted[e], tol.softmax(ref.scale[e], ref.condition[e]),
          [&] { return rowComponent(e, width)() + " s"; });
}

/// K-lists: values within c_F·u_d·|ref| + t_d; an index equal to the reference's, or one whose
/// own term is within that tolerance of the expected value (a near tie), never repeated.
/// Min/Max (`exactTies`) are one-slot lists that must also match the reference's index exactly
/// when its value is NaN or ±∞ or equals the other term's exactly: the first NaN, the smallest
/// index of a tie (unless `splitTies`: then an exact tie is judged as a near one).
void checkKMin(const Reference &ref, const Problem &problem, const Tolerance &tol, const Got &got,
               ValueCheck &check, bool exactTies = false, bool splitTies = false) {
  const ir::Stage &stage = ref.stage();
  const int64_t D = stage.formula->dim(), K = exactTies ? 1 : stage.K;
  std::unique_ptr<TermEvaluator> term; // built on the first differing index only
  for (size_t e = 0; e < ref.values.size(); ++e) {
    const int64_t r = int64_t(e) / (K * D), s = int64_t(e) / D % K, k = int64_t(e) % D;
    const double want = ref.values[e];
    auto where = [&] {
      return fmt("row %" PRId64 " component %" PRId64 " slot %" PRId64, r, k, s);
    };
    if (got.values)
      check(got.values[e], want, tol.value(want), [&] { return where() + " value"; });
    if (!got.indices || got.indices[e] == ref.indices[e])
      continue;
    const int64_t index = got.indices[e];
    if (index < 0 || index >= ref.reduced) {
      check.mismatch(where() + fmt(": index %" PRId64 " out of [0, %" PRId64 "), expected %" PRId64,
                                   index, ref.reduced, ref.indices[e]));
      continue;
    }
    if (!term)
      term = std::make_unique<TermEvaluator>(*ref.entry, problem);
    const double f = (stage.axis == 1 ? (*term)(r, index) : (*term)(index, r))[size_t(k)];
    if (exactTies && ((f == want && !splitTies) || !std::isfinite(want))) {
      check.mismatch(where() + fmt(": index %" PRId64 " instead of %" PRId64
                                   " (term %.17g, expected %.17g: not the first)",
                                   index, ref.indices[e], f, want));
      continue;
    }
    check(f, want, tol.value(want), [&] {
      return where() +
             fmt(": index %" PRId64 " instead of %" PRId64 ", whose term", index, ref.indices[e]);
    });
    for (int64_t p = 0; p < s; ++p)
      if (got.indices[size_t((r * K + p) * D + k)] == index)
        check.mismatch(where() + fmt(": index %" PRId64 " repeats slot %" PRId64, index, p));
  }
}

} // namespace

double checkOutputs(const Reference &ref, const Problem &problem, const Got &got,
                    const MismatchFn &mismatch, const Widening &widening) {
  const ir::Stage &stage = ref.stage();
  const bool pair = ir::reductionInfo(stage.kind).outputs == ir::OutputShape::Pair;
  if ((stage.valuesPerRow() > 0) != (got.values != nullptr) ||
      (stage.indicesPerRow() > 0) != (got.indices != nullptr) || pair != (got.shifted != nullptr))
    throw std::invalid_argument("checkOutputs: the outputs given do not match " + ref.entry->name +
                                "'s");
  Tolerance tol = toleranceOf(*ref.entry, ref.reduced);
  tol.cF = std::max(tol.cF, widening.minFormulaConstant);
  tol.h += widening.extraGrowth;
  ValueCheck check{mismatch};
  switch (stage.kind) {
  case ir::ReductionKind::Sum:
    checkSum(ref, tol, got, check);
    return check.worst;
  case ir::ReductionKind::LogSumExp:
  case ir::ReductionKind::LogSumExpWeight:
    checkLogSumExp(ref, tol, got, check);
    return check.worst;
  case ir::ReductionKind::SumSoftMaxWeight:
    checkSoftMax(ref, tol, got, check);
    return check.worst;
  case ir::ReductionKind::Max_SumShiftExp:
  case ir::ReductionKind::Max_SumShiftExpWeight:
    checkShiftExp(ref, tol, got, check);
    return check.worst;
  case ir::ReductionKind::KMin:
  case ir::ReductionKind::ArgKMin:
  case ir::ReductionKind::KMin_ArgKMin:
    checkKMin(ref, problem, tol, got, check);
    return check.worst;
  case ir::ReductionKind::Max:
  case ir::ReductionKind::Min:
  case ir::ReductionKind::ArgMax:
  case ir::ReductionKind::ArgMin:
  case ir::ReductionKind::Max_ArgMax:
  case ir::ReductionKind::Min_ArgMin:
    checkKMin(ref, problem, tol, got, check, true, widening.roundingSplitsTies);
    return check.worst;
#include "ir/ReductionsNotReady.inc"
    break;
  }
  throw std::invalid_argument(std::string("no check for the reduction ") +
                              ir::reductionInfo(stage.kind).name + ", which is not ready");
}

} // namespace keopsc::conformance
