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

} // namespace

double roundingAmplification(const ir::EntryPoint &entry, const conformance::Problem &problem,
                             double uc, double limit, std::mt19937_64 &rng) {
  constexpr double kInfinity = std::numeric_limits<double>::infinity();
  const ir::Stage &stage = entry.mainStage();
  std::vector<const Formula *> roots = {stage.formula};
  if (stage.weight)
    roots.push_back(stage.weight);
  const std::vector<const Formula *> nodes = ir::postOrder(roots);
  ir::Evaluator base(roots), noisy(roots);
  std::uniform_real_distribution<double> delta(-4 * uc, 4 * uc);
  noisy.setPerturbation([&](std::vector<double> &values) {
    for (double &v : values)
      v *= 1 + delta(rng);
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
      v *= 1 + delta(rng);
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
