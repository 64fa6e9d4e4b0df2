// What a CPU stage reads and where it writes: its planned nodes by level, the inputs it reads,
// and the output (or internal workspace) arrays of the entry point that belong to it, as C++ row
// pointers; and the split of its output rows over the threads. Shared by the scalar and SIMD
// emitters.
#pragma once

#include "ir/EntryPoint.h"
#include "support/IndentedWriter.h"

#include <initializer_list>
#include <string>
#include <vector>

namespace keopsc::codegen {

/// The plan's nodes at any of `levels`, in post-order.
std::vector<const ir::Formula *> plannedNodesAt(const ir::KernelPlan &plan,
                                                std::initializer_list<ir::Level> levels);

/// The C positions of the inputs of category `cat` the stage's formula or weight reads.
std::vector<size_t> inputsRead(const ir::EntryPoint &entry, const ir::KernelPlan &plan,
                               ir::Category cat);

/// `a.out<k> + <row> * width` for stage `index`'s output of `role`, or "nullptr".
std::string stageOutputRow(const ir::EntryPoint &entry, size_t index, ir::OutputRole role,
                           const std::string &row);

/// Where stage `index` writes its values: the Values output, or its workspace when a later
/// stage or a Pm gradient's row sum reads them.
std::string stageValuesRow(const ir::EntryPoint &entry, size_t index, const std::string &row);

/// Splits the output rows of every batch over the threads; `body` (statements) runs batch b's
/// rows [lo, hi).
void emitParallelRows(const ir::Stage &stage, const std::vector<std::string> &body,
                      IndentedWriter &out);

} // namespace keopsc::codegen
