// Harness.cpp: the generated table bound to the IR, data, outputs and failure reporting of the
// suite harness; see Harness.h. The checks of values are reference/Check.h's.
#include "Harness.h"

#include "ir/ReductionInfo.h"
#include "reference/Suite.h"

#include <cinttypes>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <limits>

namespace keopsc::conformance {
namespace {

template <auto Fn>
keops_status callValues(int64_t M, int64_t N, const Buffers &io, const keops_options *o) {
  return Fn(M, N, io.x, io.y, io.b, io.g, io.values, o);
}
template <auto Fn>
keops_status callIndices(int64_t M, int64_t N, const Buffers &io, const keops_options *o) {
  return Fn(M, N, io.x, io.y, io.b, io.g, io.indices, o);
}
template <auto Fn>
keops_status callValuesAndIndices(int64_t M, int64_t N, const Buffers &io, const keops_options *o) {
  return Fn(M, N, io.x, io.y, io.b, io.g, io.values, io.indices, o);
}

template <auto Fn>
keops_status callPair(int64_t M, int64_t N, const Buffers &io, const keops_options *o) {
  return Fn(M, N, io.x, io.y, io.b, io.g, io.values, io.shifted, o);
}

template <auto Fn>
keops_status callPartial(int64_t M, int64_t N, const Buffers &io, int64_t offset, void *state,
                         const keops_options *o) {
  return Fn(M, N, io.x, io.y, io.b, io.g, offset, state, o);
}

template <auto Fn> keops_status finalizeValues(int64_t rows, const void *state, const Buffers &io) {
  return Fn(rows, state, io.values);
}
template <auto Fn>
keops_status finalizeIndices(int64_t rows, const void *state, const Buffers &io) {
  return Fn(rows, state, io.indices);
}
template <auto Fn>
keops_status finalizeValuesAndIndices(int64_t rows, const void *state, const Buffers &io) {
  return Fn(rows, state, io.values, io.indices);
}
template <auto Fn> keops_status finalizePair(int64_t rows, const void *state, const Buffers &io) {
  return Fn(rows, state, io.values, io.shifted);
}

struct TableRow {
  ir::OutputShape outputs;
  Case c;
};

#define CONF_ENTRY(outputs, fn, reduction, syntax, variant, stateBytes)                            \
  TableRow{ir::OutputShape::outputs,                                                               \
           {#fn, reduction, syntax, variant, &call##outputs<fn>, &call##outputs<fn##_cpu>,         \
            &call##outputs<fn##_cuda>, &callPartial<fn##_partial>, &fn##_merge,                    \
            &finalize##outputs<fn##_finalize>, stateBytes}},

const TableRow kTable[] = {CONF_CASES(CONF_ENTRY)};

Family familyOf(ir::ReductionKind kind) {
  switch (kind) {
  case ir::ReductionKind::Sum:
    return Family::Sum;
  case ir::ReductionKind::LogSumExp:
  case ir::ReductionKind::LogSumExpWeight:
    return Family::Lse;
  case ir::ReductionKind::SumSoftMaxWeight:
    return Family::SoftMax;
  case ir::ReductionKind::Max_SumShiftExp:
  case ir::ReductionKind::Max_SumShiftExpWeight:
    return Family::ShiftExp;
  case ir::ReductionKind::ArgKMin:
    return Family::ArgKMin;
  case ir::ReductionKind::KMin_ArgKMin:
    return Family::KMinArgKMin;
  case ir::ReductionKind::KMin:
    return Family::KMin;
  case ir::ReductionKind::Max:
  case ir::ReductionKind::Min:
  case ir::ReductionKind::ArgMax:
  case ir::ReductionKind::ArgMin:
  case ir::ReductionKind::Max_ArgMax:
  case ir::ReductionKind::Min_ArgMin:
    return Family::MinMax;
#include "ir/ReductionsNotReady.inc"
    break;
  }
  std::fprintf(stderr, "%s: no harness family for %s\n", CONF_MODULE, ir::reductionInfo(kind).name);
  std::exit(2);
}

/// The suite's convention: every entry point takes x = Vi(D), y = Vj(D), b = Vj(D), g = Pm(1).
/// Returns D, or 0 for other inputs.
int suiteDim(const ir::EntryPoint &e) {
  if (e.inputs.size() != 4)
    return 0;
  const int D = e.inputs[0].dim;
  const ir::Category cats[] = {ir::Category::I, ir::Category::J, ir::Category::J,
                               ir::Category::Param};
  const int dims[] = {D, D, D, 1};
  for (size_t p = 0; p < 4; ++p)
    if (e.inputs[p].cat != cats[p] || e.inputs[p].dim != dims[p])
      return 0;
  return D;
}

[[noreturn]] void badTable(const char *name, const char *why) {
  std::fprintf(stderr, "%s: %s %s\n", CONF_MODULE, name, why);
  std::exit(2);
}

} // namespace

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
  case Family::SoftMax:
    return "softmax";
  case Family::ShiftExp:
    return "shiftexp";
  case Family::MinMax:
    return "minmax";
  }
  return "?";
}

std::vector<Case> bindCases() {
  // Loaded once and kept: the cases point into its IR.
  static const std::unique_ptr<Suite> suite =
      Suite::load(CONF_KFL, CONF_MODULE, CONF_IMPORT_DIR, std::cerr);
  if (!suite)
    badTable(CONF_KFL, "does not load");
  std::vector<Case> cases;
  for (const TableRow &row : kTable) {
    Case c = row.c;
    c.entry = suite->entry(c.reduction);
    if (!c.entry)
      badTable(c.name, "has no reduction in " CONF_KFL);
    if (c.entry->stages.size() != 1)
      badTable(c.name, "has several stages");
    const ir::Stage &stage = c.entry->mainStage();
    if (ir::reductionInfo(stage.kind).outputs != row.outputs)
      badTable(c.name, "has other outputs than the table's");
    c.family = familyOf(stage.kind);
    c.dim = suiteDim(*c.entry);
    c.axis = stage.axis;
    c.k = stage.K;
    c.valuesPerRow = stage.valuesPerRow();
    c.indicesPerRow = stage.indicesPerRow();
    if (row.outputs == ir::OutputShape::Pair) {
      c.shiftedPerRow = c.valuesPerRow;
      c.valuesPerRow = 1;
    }
    if (c.dim == 0)
      badTable(c.name, "does not take (x, y, b, g) = (Vi(D), Vj(D), Vj(D), Pm(1))");
    cases.push_back(c);
  }
  return cases;
}

// ---------------------------------------------------------------------------------------------
// Data

Problem Data::problem() const { return {M, N, {xd.data(), yd.data(), bd.data(), gd.data()}}; }

void fill(std::mt19937_64 &rng, double lo, double hi, size_t n, std::vector<Real> &r,
          std::vector<double> &d) {
  std::uniform_real_distribution<double> u(lo, hi);
  r.resize(n);
  d.resize(n);
  for (size_t i = 0; i < n; ++i) {
    r[i] = fromDouble(u(rng));
    d[i] = toDouble(r[i]);
  }
}

namespace {

/// Min/Max data (SPEC.md §4): every 4th row of x and of (y, b) repeats the previous one, so
/// terms tie exactly and the smallest index must win. When a side has 7 rows, component 3 % D of
/// rows 3 and 5 of x and y is NaN: an output row whose own input is NaN is NaN from index 0, the
/// others are NaN from the reduced side's first NaN, 3 (a late NaN), not 5.
void addTiesAndNans(Data &d) {
  const size_t D = size_t(d.D);
  auto repeat = [&](std::vector<Real> &r, std::vector<double> &rd, int64_t rows) {
    for (int64_t row = 3; row < rows; row += 4)
      for (size_t k = 0; k < D; ++k) {
        r[size_t(row) * D + k] = r[size_t(row - 1) * D + k];
        rd[size_t(row) * D + k] = rd[size_t(row - 1) * D + k];
      }
  };
  repeat(d.x, d.xd, d.M);
  repeat(d.y, d.yd, d.N);
  repeat(d.b, d.bd, d.N);
  if (d.M != 7 && d.N != 7)
    return;
  const size_t k = 3 % D;
  const Real nan = fromDouble(std::numeric_limits<double>::quiet_NaN());
  for (size_t row : {size_t(3), size_t(5)}) {
    if (int64_t(row) < d.M) {
      d.x[row * D + k] = nan;
      d.xd[row * D + k] = toDouble(nan);
    }
    if (int64_t(row) < d.N) {
      d.y[row * D + k] = nan;
      d.yd[row * D + k] = toDouble(nan);
    }
  }
}

} // namespace

// SPEC.md §7.4 scales a term's rounding error with |F| (K-min) or max_j |F| (LogSumExp), which
// holds when F does not cancel inside: the K-min formula Abs(x - y) + g * b keeps b >= 0, and the
// LogSumExp one, Sum(b) - g * SqDist(x, y), b <= 0 (with b >= 0, a row of a few terms near 0
// errs by u times Sum(b), not u |F|). Sum sees signed weights: its bound scales with Σ|F|, and
// its formula, Exp(-g * SqDist(x, y)) * b, is a product.
Data makeData(std::mt19937_64 &rng, Family f, int D, int64_t M, int64_t N) {
  Data d;
  d.M = M;
  d.N = N;
  d.D = D;
  fill(rng, 0, 1, size_t(M) * size_t(D), d.x, d.xd);
  fill(rng, 0, 1, size_t(N) * size_t(D), d.y, d.yd);
  // The weighted LogSumExp family shares LogSumExp's F, so its b too.
  const bool lse = f == Family::Lse || f == Family::SoftMax || f == Family::ShiftExp;
  const double bLow = f == Family::Sum || lse ? -1 : 0;
  fill(rng, bLow, lse ? 0 : 1, size_t(N) * size_t(D), d.b, d.bd);
  // g ≈ 1/D keeps Exp(-g·SqDist) away from 0 at every D.
  fill(rng, 0.5 / D, 1.5 / D, 1, d.g, d.gd);
  if (f == Family::MinMax)
    addTiesAndNans(d);
  return d;
}

// ---------------------------------------------------------------------------------------------
// Outputs

const Real kPoisonValue = fromDouble(std::numeric_limits<double>::quiet_NaN());
const int64_t kPoisonIndex = -7;
const Real kGuardValue = fromDouble(1234.5);
const int64_t kGuardIndex = -77777;
const int64_t kGuard = 16;

Outputs::Outputs(const Case &c, int64_t rows)
    : valueCount(rows * c.valuesPerRow), indexCount(rows * c.indicesPerRow),
      shiftedCount(rows * c.shiftedPerRow) {
  if (c.shiftedPerRow) {
    shifted.assign(size_t(shiftedCount), kPoisonValue);
    shifted.resize(size_t(shiftedCount + kGuard), kGuardValue);
  }
  if (c.valuesPerRow) {
    values.assign(size_t(valueCount), kPoisonValue);
    values.resize(size_t(valueCount + kGuard), kGuardValue);
  }
  if (c.indicesPerRow) {
    indices.assign(size_t(indexCount), kPoisonIndex);
    indices.resize(size_t(indexCount + kGuard), kGuardIndex);
  }
}

Buffers Outputs::buffers(const Data &d) {
  return {d.x.data(),
          d.y.data(),
          d.b.data(),
          d.g.data(),
          values.empty() ? nullptr : values.data(),
          indices.empty() ? nullptr : indices.data(),
          shifted.empty() ? nullptr : shifted.data()};
}

std::vector<double> Outputs::valuesAsDouble() const {
  std::vector<double> out(static_cast<size_t>(valueCount));
  for (size_t e = 0; e < out.size(); ++e)
    out[e] = toDouble(values[e]);
  return out;
}

std::vector<double> Outputs::shiftedAsDouble() const {
  std::vector<double> out(static_cast<size_t>(shiftedCount));
  for (size_t e = 0; e < out.size(); ++e)
    out[e] = toDouble(shifted[e]);
  return out;
}

bool guardsIntact(const Where &w, const Outputs &o) {
  for (int64_t g = 0; g < kGuard; ++g) {
    const bool badValue = !o.values.empty() && o.values[size_t(o.valueCount + g)] != kGuardValue;
    const bool badIndex = !o.indices.empty() && o.indices[size_t(o.indexCount + g)] != kGuardIndex;
    const bool badShifted =
        !o.shifted.empty() && o.shifted[size_t(o.shiftedCount + g)] != kGuardValue;
    if (badValue || badIndex || badShifted) {
      fail(w, fmt("wrote past the end of its output (guard element %" PRId64 ")", g));
      return false;
    }
  }
  return true;
}

bool stillPoisoned(const Where &w, const Outputs &o) {
  for (int64_t e = 0; e < o.valueCount; ++e)
    if (!isNanReal(o.values[size_t(e)])) {
      fail(w, fmt("failed but wrote value element %" PRId64, e));
      return false;
    }
  for (int64_t e = 0; e < o.shiftedCount; ++e)
    if (!isNanReal(o.shifted[size_t(e)])) {
      fail(w, fmt("failed but wrote s element %" PRId64, e));
      return false;
    }
  for (int64_t e = 0; e < o.indexCount; ++e)
    if (o.indices[size_t(e)] != kPoisonIndex) {
      fail(w, fmt("failed but wrote index element %" PRId64, e));
      return false;
    }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Reporting

Report gReport;

void Report::headroom(double ratio, const Case &c) {
  if (ratio > worstRatio) {
    worstRatio = ratio;
    worstCase = c.name;
  }
}

void fail(const Where &w, const std::string &what) {
  ++gReport.failures;
  if (gReport.failures > 200)
    return; // the count still grows; the log stays readable
  std::printf("FAIL %s [%s%s%s, %s, D=%d, axis=%d, K=%d] M=%" PRId64 " N=%" PRId64 " %s: %s\n",
              w.c->name, familyName(w.c->family), *w.c->variant ? " " : "", w.c->variant,
              w.c->syntax, w.c->dim, w.c->axis, w.c->k, w.M, w.N, w.call, what.c_str());
}

void MismatchLog::operator()(const std::string &what) {
  if (printed++ < 5)
    fail(w, what);
  else
    ++gReport.failures;
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

} // namespace keopsc::conformance
