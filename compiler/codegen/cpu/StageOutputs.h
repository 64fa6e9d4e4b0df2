// Where a CPU stage writes its results: the output (or internal workspace) arrays of the entry
// point that belong to one stage, as C++ row pointers. Shared by the scalar and SIMD emitters.
#pragma once

#include "ir/EntryPoint.h"

#include <string>

namespace keopsc::codegen {

/// `a.out<k> + <row> * width` for stage `index`'s output of `role`, or "nullptr".
std::string stageOutputRow(const ir::EntryPoint &entry, size_t index, ir::OutputRole role,
                           const std::string &row);

/// Where stage `index` writes its values: the Values output, or its workspace when a later
/// stage or a Pm gradient's row sum reads them.
std::string stageValuesRow(const ir::EntryPoint &entry, size_t index, const std::string &row);

} // namespace keopsc::codegen
