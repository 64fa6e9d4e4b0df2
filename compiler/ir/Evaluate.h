// A float64 evaluator of formula IR, one (i, j) pair at a time: the reference the conformance
// suites compare generated code with, and later the base of finite-difference gradient checks.
// Each operation's meaning in float64 is written here once; it knows nothing about reductions.
#pragma once

#include "ir/Formula.h"

#include <cstdint>
#include <functional>
#include <unordered_map>
#include <vector>

namespace keopsc::ir {

class Evaluator {
public:
  /// Evaluates `roots` (and everything below them); nullptr roots are skipped.
  explicit Evaluator(const std::vector<const Formula *> &roots);

  /// Computes every node for one pair; `row(pos)` is the row of input `pos` (its current i
  /// row, j row, or the parameter vector), converted to float64 by the caller (an Int64
  /// workspace row too: indices are exact below 2^53). The pair's indices are unknown here, so
  /// the formula must not compare with them (SelectByIndex, GatherByIndex: a compiler bug).
  void run(const std::function<const double *(int pos)> &row);
  /// Like run(row), for the pair (i, j): SelectByIndex and GatherByIndex compare their indices
  /// with i or j.
  void run(const std::function<const double *(int pos)> &row, int64_t i, int64_t j);
  /// A node's components after run().
  const std::vector<double> &value(const Formula *f) const;
  /// Testing: `perturb` sees each operation (its node and components) right after it is computed
  /// (not variables or constants) and may change them, e.g. by a relative error of a lower
  /// precision's rounding, to measure how much the formula amplifies rounding (the end-to-end
  /// differential fuzzer). An operand that a node reads more than once (z/z, hash-consed) is
  /// perturbed once more for each repeated use: compiled code rounds inside an operation (b·c − a·d
  /// of a complex division, with or without FMA), so its uses need not cancel exactly as the same
  /// value's would. Null: none.
  void setPerturbation(std::function<void(const Formula &, std::vector<double> &)> perturb);

private:
  void evalNode(size_t slot, const std::function<const double *(int)> &row);
  /// Applies perturb_ to an operation's slot.
  void perturbSlot(size_t slot);
  /// Under perturb_: a perturbed copy of each operand of `slot` that repeats an earlier one.
  void perturbRepeatedOperands(size_t slot);
  /// Operand c of `slot`: its value, or its perturbed copy where it repeats.
  const std::vector<double> &operand(size_t slot, size_t c) const;
  /// The current pair's index of category `cat` (ints[1] of SelectByIndex, GatherByIndex).
  int64_t pairIndex(int64_t cat) const;

  std::vector<const Formula *> order_;        ///< post-order; a node's slot is its index
  std::vector<std::vector<double>> values_;   ///< by slot
  std::vector<std::vector<size_t>> operands_; ///< by slot: the slots of its operands
  /// by slot, then operand: perturbed copies of repeated operands (empty: read the slot)
  std::vector<std::vector<std::vector<double>>> repeatedOperands_;
  std::unordered_map<const Formula *, size_t> slotOf_;
  std::function<void(const Formula &, std::vector<double> &)> perturb_;
  bool hasPair_ = false;
  int64_t pair_[2] = {0, 0}; ///< (i, j) of the current run
};

} // namespace keopsc::ir
