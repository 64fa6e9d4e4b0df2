// Check.h: compares one call's outputs with its reference under SPEC.md §7.4's bounds, one check
// per reduction kind. Not the calls, the poisoning or the report's format (the harnesses').
#pragma once

#include "reference/Reference.h"

#include <functional>
#include <string>

namespace keopsc::conformance {

/// printf into a std::string (messages of up to 511 characters).
std::string fmt(const char *format, ...) __attribute__((format(printf, 1, 2)));

/// A call's outputs: values converted to float64, indices as written; null where the entry
/// point has no such output.
struct Got {
  const double *values = nullptr;
  const int64_t *indices = nullptr;
  const double *shifted = nullptr; ///< s of a Max_SumShiftExp[Weight] pair (values: m)
};

/// Receives one mismatch, e.g. "row 3 component 1: got 2.5, expected 2.4 (|diff| 0.1 > 1e-06)".
using MismatchFn = std::function<void(const std::string &)>;

/// Calls `mismatch` for each output element out of tolerance and returns the largest
/// |got − ref| / bound among the values that passed (the headroom), 0 without values.
/// Wider bounds for what a test adds beyond SPEC.md §7.4's model of one call.
struct Widening {
  /// c_F at least this: formulas that amplify rounding more than the spec's constants assume
  /// (random formulas: tests/fuzz/differential measures theirs).
  double minFormulaConstant = 0;
  /// Added to h(n): roundings outside the summation, e.g. merging partial states (Parts.cpp).
  double extraGrowth = 0;
  /// Min/Max and their Arg forms: the compiled terms are rounded, so the reference's exact ties
  /// may be a strict order there; judge them as near ties (the term within tolerance), not by
  /// the first-of-ties rule (random formulas whose operations round).
  bool roundingSplitsTies = false;
};

double checkOutputs(const Reference &ref, const Problem &problem, const Got &got,
                    const MismatchFn &mismatch, const Widening &widening = {});

} // namespace keopsc::conformance
