// What a stage reads and where it writes, for every backend: its planned nodes by level, the
// inputs it reads, and the output (or internal workspace) arrays of the entry point that belong
// to it, as C++ row pointers into the entry's argument struct `a`.
#pragma once

#include "ir/EntryPoint.h"

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

} // namespace keopsc::codegen
