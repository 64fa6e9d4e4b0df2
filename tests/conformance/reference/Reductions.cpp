// Reductions.cpp: one small float64 reference per ready reduction kind (SPEC.md §4); see
// Reductions.h. Not the evaluation of the terms (Reference.cpp) nor the tolerances.
#include "reference/Reductions.h"

#include "ir/ReductionInfo.h"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace keopsc::conformance {
namespace {

using Vec = std::vector<double>;
constexpr double kInf = std::numeric_limits<double>::infinity();

/// Neumaier's compensated sum: within about one ulp of the exact sum of float64 terms. A plain
/// float64 sum of 3000 terms errs as much as the float64 suites' Kahan entry points may.
struct Compensated {
  double s = 0, c = 0;
  void add(double x) {
    const double t = s + x;
    c += std::fabs(s) >= std::fabs(x) ? (s - t) + x : (x - t) + s;
    s = t;
  }
  void scale(double factor) {
    s *= factor;
    c *= factor;
  }
  double value() const { return std::isfinite(s) ? s + c : s; }
};
using Sums = std::vector<Compensated>;

/// Sum: Σ F per component, and Σ|F| for the tolerance.
class SumReduction final : public RowReduction {
public:
  SumReduction(int64_t rows, int dim) : dim_(dim), sum_(size(rows)), abs_(size(rows)) {}
  void add(int64_t r, int64_t, const double *f, const double *) override {
    Compensated *s = &sum_[size(r)];
    double *a = &abs_[size(r)];
    for (int k = 0; k < dim_; ++k) {
      s[k].add(f[k]);
      a[k] += std::fabs(f[k]);
    }
  }
  void finish(Reference &out) override {
    for (const Compensated &s : sum_)
      out.values.push_back(s.value());
    out.scale = std::move(abs_);
  }

private:
  size_t size(int64_t rows) const { return size_t(rows) * size_t(dim_); }
  int dim_;
  Sums sum_;
  Vec abs_;
};

/// LogSumExp (SPEC.md §4): ln Σ e^F, or ln Σ e^F·G_k with a weight, with a running maximum m;
/// −∞ terms add nothing, a +∞ term gives +∞, a NaN term NaN; no term gives −∞.
class LogSumExpReduction final : public RowReduction {
public:
  LogSumExpReduction(int64_t rows, int width)
      : width_(width), rows_(size_t(rows)), m_(rows_, -kInf), maxAbs_(rows_, 0),
        s_(rows_ * size_t(width)), sAbs_(s_.size(), 0), special_(rows_, 0) {}
  void add(int64_t r, int64_t, const double *f, const double *g) override {
    const size_t row = size_t(r);
    const double v = f[0];
    if (std::isnan(v) || v == kInf) {
      special_[row] = special_[row] == 0 || std::isnan(v) ? v : special_[row];
      return;
    }
    if (v == -kInf)
      return;
    maxAbs_[row] = std::max(maxAbs_[row], std::fabs(v));
    Compensated *s = &s_[row * size_t(width_)];
    double *sa = &sAbs_[row * size_t(width_)];
    if (v > m_[row]) {
      const double shrink = std::exp(m_[row] - v);
      for (int k = 0; k < width_; ++k) {
        s[k].scale(shrink);
        sa[k] *= shrink;
      }
      m_[row] = v;
    }
    const double e = std::exp(v - m_[row]);
    for (int k = 0; k < width_; ++k) {
      const double w = g ? g[k] : 1.0;
      s[k].add(e * w);
      sa[k] += e * std::fabs(w);
    }
  }
  void finish(Reference &out) override {
    out.values.resize(s_.size());
    out.scale.resize(s_.size());
    out.condition.resize(s_.size());
    for (size_t r = 0; r < rows_; ++r)
      for (size_t k = 0; k < size_t(width_); ++k) {
        const size_t e = r * size_t(width_) + k;
        const double s = s_[e].value();
        out.values[e] = special_[r] != 0 ? special_[r]
                        : s == 0         ? -kInf
                        : s < 0          ? std::nan("")
                                         : m_[r] + std::log(s);
        out.scale[e] = maxAbs_[r];
        // Weights that cancel exactly leave the sum's sign to rounding: κ = ∞.
        out.condition[e] = s != 0 ? sAbs_[e] / std::fabs(s) : sAbs_[e] > 0 ? kInf : 1.0;
      }
  }

private:
  int width_;
  size_t rows_;
  Vec m_, maxAbs_;
  Sums s_;
  Vec sAbs_;
  Vec special_; ///< per row: 0, or the +∞ / NaN a term forces
};

/// SumSoftMaxWeight and the raw Max_SumShiftExp[Weight] pair (SPEC.md §4): per row the maximum
/// m of F, and s_k = Σ e^(F−m)·G_k (G = 1 without a weight), Σ e^(F−m)·|G_k| for the tolerance
/// and, for the softmax, Σ e^(F−m). −∞ terms add nothing; +∞ terms make m = +∞, s_k their Σ G_k
/// and the softmax NaN; a NaN term makes everything NaN; no term gives (−∞, 0) and softmax 0.
class ShiftExpReduction final : public RowReduction {
public:
  ShiftExpReduction(int64_t rows, int width, bool softmax)
      : softmax_(softmax), width_(width), rows_(size_t(rows)), m_(rows_, -kInf), maxAbs_(rows_, 0),
        den_(rows_), s_(rows_ * size_t(width)), sAbs_(s_.size(), 0), inf_(s_.size(), 0),
        special_(rows_, 0) {}
  void add(int64_t r, int64_t, const double *f, const double *g) override {
    const size_t row = size_t(r);
    const double v = f[0];
    if (std::isnan(v) || v == kInf) {
      special_[row] = special_[row] == 0 || std::isnan(v) ? v : special_[row];
      for (int k = 0; k < width_ && v == kInf; ++k)
        inf_[row * size_t(width_) + size_t(k)] += g ? g[k] : 1.0;
      return;
    }
    if (v == -kInf)
      return;
    maxAbs_[row] = std::max(maxAbs_[row], std::fabs(v));
    Compensated *s = &s_[row * size_t(width_)];
    double *sa = &sAbs_[row * size_t(width_)];
    if (v > m_[row]) {
      const double shrink = std::exp(m_[row] - v);
      for (int k = 0; k < width_; ++k) {
        s[k].scale(shrink);
        sa[k] *= shrink;
      }
      den_[row].scale(shrink);
      m_[row] = v;
    }
    const double e = std::exp(v - m_[row]);
    for (int k = 0; k < width_; ++k) {
      const double w = g ? g[k] : 1.0;
      s[k].add(e * w);
      sa[k] += e * std::fabs(w);
    }
    den_[row].add(e);
  }
  void finish(Reference &out) override {
    const size_t n = s_.size();
    std::vector<double> &values = softmax_ ? out.values : out.shifted;
    values.resize(n);
    out.scale.resize(n);
    out.condition.resize(n);
    if (!softmax_)
      out.values.resize(rows_);
    for (size_t r = 0; r < rows_; ++r) {
      const double den = den_[r].value(), special = special_[r];
      if (!softmax_)
        out.values[r] = std::isnan(special) ? special : special == kInf ? kInf : m_[r];
      for (size_t k = 0; k < size_t(width_); ++k) {
        const size_t e = r * size_t(width_) + k;
        const double s = s_[e].value();
        if (softmax_)
          values[e] = special != 0 ? std::nan("") : den == 0 ? 0.0 : s / den;
        else
          values[e] = std::isnan(special) ? special : special == kInf ? inf_[e] : s;
        out.scale[e] = maxAbs_[r];
        out.condition[e] = softmax_ ? (den == 0 ? 0.0 : sAbs_[e] / den) : sAbs_[e];
      }
    }
  }

private:
  bool softmax_;
  int width_;
  size_t rows_;
  Vec m_, maxAbs_;
  Sums den_, s_;
  Vec sAbs_, inf_;
  Vec special_; ///< per row: 0, or the +∞ / NaN a term forces
};

/// The K smallest terms of each component, ascending in −∞ < finite < +∞ < NaN (numpy.sort);
/// an equal value never displaces an earlier, so ties go to the smaller index; empty slots are
/// (+∞, −1). Serves KMin, ArgKMin and KMin_ArgKMin alike.
class KMinReduction final : public RowReduction {
public:
  KMinReduction(int64_t rows, int dim, int K)
      : dim_(dim), K_(K), val_(size_t(rows) * size_t(dim) * size_t(K), kInf),
        idx_(val_.size(), -1) {}
  void add(int64_t r, int64_t t, const double *f, const double *) override {
    for (int k = 0; k < dim_; ++k)
      offer((size_t(r) * size_t(dim_) + size_t(k)) * size_t(K_), f[k], t);
  }
  void finish(Reference &out) override {
    // Lists are [row][D][K] here; outputs are [row][K][D].
    const size_t lists = val_.size() / size_t(K_);
    out.values.resize(val_.size());
    out.indices.resize(val_.size());
    for (size_t l = 0; l < lists; ++l)
      for (size_t s = 0; s < size_t(K_); ++s) {
        const size_t row = l / size_t(dim_), k = l % size_t(dim_);
        const size_t e = (row * size_t(K_) + s) * size_t(dim_) + k;
        out.values[e] = val_[l * size_t(K_) + s];
        out.indices[e] = idx_[l * size_t(K_) + s];
      }
  }

private:
  static bool before(double a, double b) { return std::isnan(b) ? !std::isnan(a) : a < b; }
  void offer(size_t list, double f, int64_t t) {
    double *v = &val_[list];
    int64_t *ix = &idx_[list];
    int p = K_ - 1;
    if (ix[p] >= 0 && !before(f, v[p]))
      return; // full, and f does not beat the last
    while (p > 0 && (ix[p - 1] < 0 || before(f, v[p - 1]))) {
      v[p] = v[p - 1];
      ix[p] = ix[p - 1];
      --p;
    }
    v[p] = f;
    ix[p] = t;
  }

  int dim_, K_;
  Vec val_;
  std::vector<int64_t> idx_;
};

/// Min or Max of each component with the index of the first extremum (SPEC.md §4): a NaN term
/// wins (value NaN, index of the first NaN), ties keep the smaller index, an empty row is
/// (+∞ or −∞, −1) and any first term replaces it. Serves the six Min/Max reductions.
class MinMaxReduction final : public RowReduction {
public:
  MinMaxReduction(int64_t rows, int dim, bool isMax)
      : dim_(dim), isMax_(isMax), val_(size_t(rows) * size_t(dim), isMax ? -kInf : kInf),
        idx_(val_.size(), -1) {}
  void add(int64_t r, int64_t t, const double *f, const double *) override {
    for (int k = 0; k < dim_; ++k) {
      const size_t e = size_t(r) * size_t(dim_) + size_t(k);
      if (idx_[e] >= 0 && (std::isnan(val_[e]) || !(std::isnan(f[k]) || beats(f[k], val_[e]))))
        continue;
      val_[e] = f[k];
      idx_[e] = t;
    }
  }
  void finish(Reference &out) override {
    out.values = val_;
    out.indices = idx_;
  }

private:
  bool beats(double a, double b) const { return isMax_ ? a > b : a < b; }
  int dim_;
  bool isMax_;
  Vec val_;
  std::vector<int64_t> idx_;
};

} // namespace

std::unique_ptr<RowReduction> makeRowReduction(const ir::Stage &stage, int64_t rows) {
  const int dim = stage.formula->dim();
  switch (stage.kind) {
  case ir::ReductionKind::Sum:
    return std::make_unique<SumReduction>(rows, dim);
  case ir::ReductionKind::LogSumExp:
  case ir::ReductionKind::LogSumExpWeight:
    return std::make_unique<LogSumExpReduction>(rows, stage.weight ? stage.weight->dim() : 1);
  case ir::ReductionKind::SumSoftMaxWeight:
    return std::make_unique<ShiftExpReduction>(rows, stage.weight->dim(), true);
  case ir::ReductionKind::Max_SumShiftExp:
  case ir::ReductionKind::Max_SumShiftExpWeight:
    return std::make_unique<ShiftExpReduction>(rows, stage.weight ? stage.weight->dim() : 1, false);
  case ir::ReductionKind::KMin:
  case ir::ReductionKind::ArgKMin:
  case ir::ReductionKind::KMin_ArgKMin:
    return std::make_unique<KMinReduction>(rows, dim, stage.K);
  case ir::ReductionKind::Min:
  case ir::ReductionKind::ArgMin:
  case ir::ReductionKind::Min_ArgMin:
    return std::make_unique<MinMaxReduction>(rows, dim, false);
  case ir::ReductionKind::Max:
  case ir::ReductionKind::ArgMax:
  case ir::ReductionKind::Max_ArgMax:
    return std::make_unique<MinMaxReduction>(rows, dim, true);
#include "ir/ReductionsNotReady.inc"
    break;
  }
  throw std::invalid_argument(std::string("no reference for the reduction ") +
                              ir::reductionInfo(stage.kind).name + ", which is not ready");
}

} // namespace keopsc::conformance
