// Conditioning.cpp: rounding amplification of a formula on a problem (Conditioning.h).
#include "Conditioning.h"

#include "ir/Evaluate.h"
#include "ir/ReductionInfo.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace keopsc::difffuzz {

using ir::Formula;

namespace {

/// The rows a pair (i, j) reads: input p's i row, j row, or the parameter vector.
struct PairRows {
  const ir::EntryPoint &entry;
  const conformance::Problem &problem;
  int64_t i = 0, j = 0;
  const double *operator()(int pos) const {
    const ir::Input &input = entry.inputs.at(static_cast<size_t>(pos));
    const double *base = problem.inputs.at(static_cast<size_t>(pos));
    const int64_t row = input.cat == ir::Category::I ? i : input.cat == ir::Category::J ? j : 0;
    return base + row * input.dim;
  }
};

/// Relative errors of ±4·u_c with random signs, every odd draw the negation of the draw before:
/// a discontinuity (Floor, Mod, a comparison) whose argument rounding could push across is
/// crossed in one draw of the pair or the other (to first order), where uniform errors crossed it
/// by chance only (run 11000000, module 52: a Mod's floor).
class AntitheticRoundings {
public:
  AntitheticRoundings(double uc, std::mt19937_64 &rng) : size_(4 * uc), rng_(rng) {}
  void startDraw(int draw) {
    mirror_ = draw % 2 == 1;
    at_ = 0;
    if (!mirror_)
      signs_.clear();
  }
  /// The next factor 1 + δ.
  double next() {
    if (mirror_ && at_ < signs_.size())
      return 1 - signs_[at_++] * size_;
    signs_.push_back(rng_() & 1 ? 1.0 : -1.0);
    ++at_;
    return 1 + signs_.back() * size_;
  }

private:
  double size_;
  std::mt19937_64 &rng_;
  std::vector<double> signs_;
  size_t at_ = 0;
  bool mirror_ = false;
};

/// An operation's rounding that is absolute, not relative to its result, in units of u_c:
/// SoftDTW_SqDist's softmins are m − γ·ln Σ, the sum in [1, 3], so each step errs by about γ·u_c
/// however small the result (run 13000000, module 33: SoftDTW(x, x) ≈ −γ·2e^(−d/γ), 1% off in
/// float32), along a path of at most nx + ny steps.
double absoluteRounding(const Formula &f, const ir::Evaluator &evaluator) {
  if (f.kind() != ir::OpKind::SoftDTW_SqDist)
    return 0;
  const double gamma = evaluator.value(f.child(2))[0];
  return std::fabs(gamma) * double(f.child(0)->dim() + f.child(1)->dim());
}

/// Operations whose result is exact for exact operands (a constant is the same in every term,
/// so its own rounding cannot split ties).
bool isExact(ir::OpKind kind) {
  using K = ir::OpKind;
  static constexpr K kExact[] = {
      K::Var,          K::Const,       K::IntCst,       K::RatCst,       K::IntInv,
      K::Zero,         K::Minus,       K::Abs,          K::Sign,         K::Step,
      K::ReLU,         K::Floor,       K::Equal,        K::NotEqual,     K::LessThan,
      K::LessOrEqual,  K::IfElse,      K::Clamp,        K::ClampInt,     K::DiffClampInt,
      K::Max,          K::Min,         K::ArgMax,       K::ArgMin,       K::Elem,
      K::ElemT,        K::Extract,     K::ExtractT,     K::Concat,       K::OneHot,
      K::ComplexReal,  K::ComplexImag, K::Real2Complex, K::Imag2Complex, K::Conj,
      K::SelectByIndex};
  return std::find(std::begin(kExact), std::end(kExact), kind) != std::end(kExact);
}

} // namespace

bool termsRound(const ir::EntryPoint &entry) {
  const ir::Stage &stage = entry.mainStage();
  for (const Formula *f : ir::postOrder({stage.formula, stage.weight}))
    if (!isExact(f->kind()))
      return true;
  return false;
}

bool shiftedTermsUnderflow(const ir::EntryPoint &entry, const conformance::Problem &problem,
                           double smallestNormal, double uc) {
  const ir::Stage &stage = entry.mainStage();
  if (!ir::isSumming(stage.kind) || stage.kind == ir::ReductionKind::Sum)
    return false;
  std::vector<const Formula *> roots = {stage.formula};
  if (stage.weight)
    roots.push_back(stage.weight);
  ir::Evaluator evaluator(roots);
  PairRows pair{entry, problem};
  auto row = [&](int pos) { return pair(pos); };
  const bool alongJ = stage.axis == 1;
  const int64_t rows = alongJ ? problem.M : problem.N, terms = alongJ ? problem.N : problem.M;
  const int width = stage.weight ? stage.weight->dim() : 1;
  // A term's log-size below this is under smallestNormal, with a margin for F's own rounding.
  const double lowest = std::log(smallestNormal) + 1;
  std::vector<double> f(static_cast<size_t>(terms)), weights(static_cast<size_t>(terms * width));
  for (int64_t r = 0; r < rows; ++r) {
    double m = -std::numeric_limits<double>::infinity();
    for (int64_t t = 0; t < terms; ++t) {
      (alongJ ? pair.i : pair.j) = r;
      (alongJ ? pair.j : pair.i) = t;
      evaluator.run(row, pair.i, pair.j);
      f[size_t(t)] = evaluator.value(stage.formula)[0];
      for (int k = 0; k < width; ++k)
        weights[size_t(t * width + k)] =
            stage.weight ? evaluator.value(stage.weight)[size_t(k)] : 1;
      if (!std::isnan(f[size_t(t)]))
        m = std::max(m, f[size_t(t)]);
    }
    if (!std::isfinite(m))
      continue; // +inf or NaN rows are special values; an all −inf row sums nothing
    for (int k = 0; k < width; ++k) {
      double total = 0, dropped = 0;
      for (int64_t t = 0; t < terms; ++t) {
        const double shift = f[size_t(t)] - m;
        if (std::isnan(shift))
          continue;
        const double term = std::exp(shift) * std::fabs(weights[size_t(t * width + k)]);
        total += term;
        if (shift < lowest)
          dropped += term;
      }
      if (dropped > uc * total)
        return true;
    }
  }
  return false;
}

double roundingAmplification(const ir::EntryPoint &entry, const conformance::Problem &problem,
                             double uc, double limit, std::mt19937_64 &rng) {
  constexpr double kInfinity = std::numeric_limits<double>::infinity();
  const ir::Stage &stage = entry.mainStage();
  std::vector<const Formula *> roots = {stage.formula};
  if (stage.weight)
    roots.push_back(stage.weight);
  const std::vector<const Formula *> nodes = ir::postOrder(roots);
  ir::Evaluator base(roots), noisy(roots);
  // The roundings draw from their own generator, seeded once, so a change to how they are drawn
  // leaves the data drawn after them as it was.
  std::mt19937_64 roundingRng(rng());
  AntitheticRoundings rounding(uc, roundingRng);
  noisy.setPerturbation([&](const Formula &f, std::vector<double> &values) {
    const double absolute = absoluteRounding(f, noisy);
    for (double &v : values)
      v = v * rounding.next() + absolute * (rounding.next() - 1);
  });
  const int64_t M = problem.M, N = problem.N, rows = stage.axis == 1 ? M : N;
  PairRows pair{entry, problem};
  auto row = [&](int pos) { return pair(pos); };

  // Pass 1: every pair's values, finite and in range, and each output row's largest |F|.
  std::vector<std::vector<double>> values(roots.size()), rowMax(roots.size());
  for (size_t r = 0; r < roots.size(); ++r) {
    values[r].reserve(static_cast<size_t>(M * N * roots[r]->dim()));
    rowMax[r].assign(static_cast<size_t>(rows * roots[r]->dim()), 0.0);
  }
  for (pair.i = 0; pair.i < M; ++pair.i)
    for (pair.j = 0; pair.j < N; ++pair.j) {
      base.run(row, pair.i, pair.j);
      for (const Formula *f : nodes)
        for (double v : base.value(f))
          if (!(std::fabs(v) <= limit))
            return kInfinity;
      const size_t out = static_cast<size_t>(stage.axis == 1 ? pair.i : pair.j);
      for (size_t r = 0; r < roots.size(); ++r) {
        const std::vector<double> &v = base.value(roots[r]);
        for (size_t c = 0; c < v.size(); ++c) {
          values[r].push_back(v[c]);
          double &largest = rowMax[r][out * v.size() + c];
          largest = std::max(largest, std::fabs(v[c]));
        }
      }
    }
  // Pass 2: the perturbed evaluations against them. The inputs are perturbed too: an operation
  // that cancels inside (Mod, SqDist, a dot product) amplifies its operands' rounding, which
  // perturbing its result alone would not show.
  std::vector<std::vector<double>> perturbedRows(entry.inputs.size());
  auto noisyRow = [&](int pos) -> const double * {
    const double *exact = pair(pos);
    std::vector<double> &copy = perturbedRows.at(static_cast<size_t>(pos));
    copy.assign(exact, exact + entry.inputs[static_cast<size_t>(pos)].dim);
    for (double &v : copy)
      v *= rounding.next();
    return copy.data();
  };
  // A sum's bound scales with the row's terms, per component, so a small term's error counts
  // against the largest's in that component; Min/Max/K-min values are bounded relative to
  // themselves, so each term's is measured against its own size.
  const double floor = ir::isSumming(stage.kind) ? 1.0 / 64 : 0.0;
  double amplification = 0;
  std::vector<size_t> at(roots.size(), 0);
  for (pair.i = 0; pair.i < M; ++pair.i)
    for (pair.j = 0; pair.j < N; ++pair.j) {
      const size_t out = static_cast<size_t>(stage.axis == 1 ? pair.i : pair.j);
      for (int draw = 0; draw < 2; ++draw) {
        rounding.startDraw(draw);
        noisy.run(noisyRow, pair.i, pair.j);
        for (size_t r = 0; r < roots.size(); ++r) {
          const std::vector<double> &got = noisy.value(roots[r]);
          for (size_t c = 0; c < got.size(); ++c) {
            const double want = values[r][at[r] + c];
            const double scale =
                std::max({std::fabs(want), floor * rowMax[r][out * got.size() + c], 1e-300});
            const double ratio = std::fabs(got[c] - want) / (uc * scale);
            if (!std::isfinite(got[c]) || !(ratio < kInfinity))
              return kInfinity;
            amplification = std::max(amplification, ratio);
          }
        }
      }
      for (size_t r = 0; r < roots.size(); ++r)
        at[r] += static_cast<size_t>(roots[r]->dim());
    }
  return amplification;
}

} // namespace keopsc::difffuzz
