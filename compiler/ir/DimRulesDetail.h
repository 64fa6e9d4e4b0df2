// The dimension rules kept outside ir/DimRules.cpp, and the helpers they share with it: the
// rules of the calculus operators and of the picks gradients are built from
// (DimRules_Derivatives.cpp). Internal to ir/; FormulaContext reaches them through inferDim.
#pragma once

#include "ir/Formula.h"

#include <cstdint>
#include <string>
#include <vector>

namespace keopsc::ir::dimrules {

/// `width`, or 0 with a TooWide error naming `what` when it exceeds 2^20.
int checkedWidth(int64_t width, const char *what, DimError &error);
std::string str(int64_t value);
/// 0 with an IndexOutOfRange error.
int outOfRange(std::string detail, DimError &error);

/// SelectByIndex and GatherByIndex (ints K, cat).
int pickDim(OpKind kind, const std::vector<const Formula *> &children,
            const std::vector<int64_t> &ints, DimError &error);
/// Grad, Diff, GradMatrix, Divergence, Laplacian and the *Operator ops (SPEC.md §3).
int calculusDim(OpKind kind, const std::vector<const Formula *> &children, DimError &error);

} // namespace keopsc::ir::dimrules
