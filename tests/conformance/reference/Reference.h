// Reference.h: float64 brute-force results of entry points, from their IR: ir::Evaluator gives
// every term F(i, j) and one small reference reduction per kind reduces them. Not the checks.
#pragma once

#include "ir/EntryPoint.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace keopsc::conformance {

/// The inputs of one call in float64: the values the library reads, already rounded to its
/// dtype. inputs[p] is input p's array (rows × dim, row-major); null for an empty or unread one.
struct Problem {
  int64_t M = 0, N = 0;
  std::vector<const double *> inputs;
  /// Block-sparse ranges (SPEC.md §5.3) as the pairs each reduction sees; null: every pair.
  /// overJ[i * N + j] != 0: term j belongs to output row i of a reduction over j; overI[j * M + i]
  /// likewise for reductions over i. Output rows that see no term get the empty value.
  const std::vector<uint8_t> *overJ = nullptr;
  const std::vector<uint8_t> *overI = nullptr;
};

/// What one single-stage entry point should write on a problem, and what its tolerances scale
/// with (SPEC.md §7.4).
struct Reference {
  const ir::EntryPoint *entry = nullptr;
  int64_t rows = 0;             ///< output rows: M for axis 1, N for axis 0
  int64_t reduced = 0;          ///< terms per output row: n of h(n)
  std::vector<double> values;   ///< rows × valuesPerRow() (K-min: [row][K][D])
  std::vector<int64_t> indices; ///< rows × indicesPerRow()
  /// Max_SumShiftExp[Weight]: values holds m (rows × 1) and this s (rows × valuesPerRow()).
  std::vector<double> shifted;
  /// Per value (per s for the pair): Sum Σ|F|; the LogSumExp family max|F| of its row; K-min
  /// unused.
  std::vector<double> scale;
  /// Per value (per s for the pair): LogSumExp Σ e^F·|G_k| / |Σ e^F·G_k| (1 without a weight),
  /// how much the weighted sum cancels; softmax Σ p·|G_k| with p = e^F / Σ e^F; the pair
  /// Σ e^(F−m)·|G_k|.
  std::vector<double> condition;

  const ir::Stage &stage() const { return entry->mainStage(); }
};

/// The references of `entries` on `problem`, in one pass over every pair (i, j): each term is
/// evaluated once for all of them. The entries must have one stage each and the same inputs
/// (category and dimension per position) as `problem`; std::invalid_argument otherwise.
std::vector<Reference> computeReferences(const std::vector<const ir::EntryPoint *> &entries,
                                         const Problem &problem);

/// One term F(i, j) of an entry point's formula (its components), e.g. to check an index that
/// differs from the reference's.
class TermEvaluator {
public:
  TermEvaluator(const ir::EntryPoint &entry, const Problem &problem);
  ~TermEvaluator();
  const std::vector<double> &operator()(int64_t i, int64_t j);

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

} // namespace keopsc::conformance
