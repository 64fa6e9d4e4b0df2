// The joint sums of the SIMD CPU kernels: a pair-level SqDist or Scalprod of an output row's
// value and a reduced value with many components is computed for all blocked rows in one loop
// over the components, so that each reduced vector is loaded once for all of them (smaller
// ones unroll fully and the compiler shares the loads itself).
#pragma once

#include "codegen/ExprEmitter.h"
#include "ir/KernelPlan.h"
#include "support/IndentedWriter.h"

#include <string>
#include <vector>

namespace keopsc::codegen {

/// The pair-level SqDist and Scalprod nodes of `plan` computed as joint sums.
std::vector<const ir::Formula *> simdJointSums(const ir::KernelPlan &plan);

/// Computes each joint sum of `plan` for every blocked row (`rows`, the rows' expression
/// emitters; `reduced`, the reduced row's) in one loop over the components; returns the names
/// of the one-element vector arrays holding them, [sum][row], in simdJointSums' order.
std::vector<std::vector<std::string>> emitSimdJointSums(const ir::KernelPlan &plan,
                                                        const ExprEmitter &reduced,
                                                        const std::vector<ExprEmitter> &rows,
                                                        IndentedWriter &out);

} // namespace keopsc::codegen
