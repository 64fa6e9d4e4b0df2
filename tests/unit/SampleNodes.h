// SampleNodes.h: one valid node of each operation, for the unit tests generated from the op
// table (tests/unit/ir/OpTableTest.cpp, tests/unit/codegen/ExprEmitterTest.cpp). Operands are
// variables of dimension 3 and static integers 0 unless an operation's rule needs others.
#pragma once

#include "ir/Formula.h"
#include "ir/ListArgs.h"

#include <functional>
#include <vector>

namespace keopsc::samples {

/// Operand dimensions and static integers that an operation's dimension rule accepts.
struct SampleArgs {
  std::vector<int> dims;
  std::vector<int64_t> ints;
};

inline SampleArgs sampleArgs(ir::OpKind kind) {
  using K = ir::OpKind;
  const ir::OpInfo &info = ir::opInfo(kind);
  // Vector operations with scalar operands or size arguments.
  if (kind == K::SumT || kind == K::OneHot)
    return {{1}, {3}};
  if (kind == K::ElemT)
    return {{1}, {3, 1}};
  if (kind == K::Extract)
    return {{3}, {1, 2}};
  if (kind == K::ExtractT)
    return {{3}, {1, 5}};
  // Weighted norms: a 3x3 weight, or the one each specific form takes.
  if (kind == K::WeightedSqNorm || kind == K::SymSqNorm)
    return {{9, 3}, {}};
  if (kind == K::WeightedSqDist)
    return {{9, 3, 3}, {}};
  if (kind == K::SqNormIso)
    return {{1, 3}, {}};
  // Linear algebra: a 2x3 matrix; TensorDot of a 2x3 and a 3x4 tensor, transposed; Kron.
  if (kind == K::MatVecMult)
    return {{6, 3}, {}};
  if (kind == K::VecMatMult)
    return {{3, 6}, {}};
  if (kind == K::TensorDot)
    return {{6, 12}, ir::encodeLists({{2, 3}, {3, 4}, {1}, {0}, {1, 0}})};
  if (kind == K::Kron)
    return {{6, 6}, ir::encodeLists({{2, 3}, {3, 2}})};
  // Complex numbers: even dimensions; rule C with a single complex number; ComplexSumT's even D.
  if (kind == K::ComplexReal || kind == K::ComplexImag || kind == K::Conj ||
      kind == K::ComplexExp || kind == K::ComplexSquareAbs || kind == K::ComplexAbs ||
      kind == K::ComplexAngle || kind == K::ComplexSum)
    return {{4}, {}};
  if (kind == K::ComplexAdd || kind == K::ComplexSubtract || kind == K::ComplexMult ||
      kind == K::ComplexDivide)
    return {{4, 2}, {}};
  if (kind == K::ComplexSumT)
    return {{2}, {6}};
  if (kind == K::ComplexRealScal)
    return {{1, 4}, {}};
  // Special functions: 6 knots, a scalar x, degree 2; sequences of lengths 4 and 3, scalar gamma.
  if (kind == K::BSpline)
    return {{6, 1}, {2}};
  if (kind == K::SoftDTW_SqDist)
    return {{4, 3, 1}, {}};
  // Picks through reported indices: K = 2 picks of a 3-vector, compared with j.
  if (kind == K::SelectByIndex)
    return {{6, 3}, {2, 1}};
  if (kind == K::GatherByIndex)
    return {{6, 6}, {2, 1}};
  return {std::vector<int>(static_cast<size_t>(info.operands), 3),
          std::vector<int64_t>(static_cast<size_t>(info.ints), 0)};
}

/// A node of `kind` over variables at positions 0, 1, ... with the categories `category` gives.
inline const ir::Formula *sampleNode(ir::FormulaContext &ctx, ir::OpKind kind,
                                     const std::function<ir::Category(int)> &category) {
  const SampleArgs args = sampleArgs(kind);
  std::vector<const ir::Formula *> children;
  for (size_t k = 0; k < args.dims.size(); ++k)
    children.push_back(ctx.var(static_cast<int>(k), args.dims[k], category(static_cast<int>(k))));
  return ctx.get(kind, children, args.ints);
}

} // namespace keopsc::samples
