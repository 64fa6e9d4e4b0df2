// Prints module IR in SSA form (`%3 = Mult(%1, %2) : 3`), one line per distinct node, so the text
// grows linearly with the DAG. Printing never simplifies: it shows exactly the nodes that exist.
#pragma once

#include "ir/Module.h"

#include <string>

namespace keopsc::ir {

std::string printModule(const Module &module);
/// "x: Vi(3)"-style description of an input, as the printer and messages show it.
std::string describeInput(const Input &input, size_t position);

} // namespace keopsc::ir
