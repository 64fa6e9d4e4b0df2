// Reductions.h: the reference reduction of each ready reduction kind, in float64, fed one term at
// a time by Reference.cpp. Not the evaluation of terms, nor the tolerances.
#pragma once

#include "reference/Reference.h"

#include <memory>

namespace keopsc::conformance {

class RowReduction {
public:
  virtual ~RowReduction() = default;
  /// Term t (a row of the reduced axis, offered in increasing order per output row) of output
  /// row r: the formula's components f and the weight's g (null without a weight).
  virtual void add(int64_t r, int64_t t, const double *f, const double *g) = 0;
  /// Writes values, indices, scale and condition into `out` (rows and reduced already set).
  virtual void finish(Reference &out) = 0;
};

/// The reference reduction of `stage` over `rows` output rows. A reduction kind without one
/// does not compile (the switch has no default).
std::unique_ptr<RowReduction> makeRowReduction(const ir::Stage &stage, int64_t rows);

} // namespace keopsc::conformance
