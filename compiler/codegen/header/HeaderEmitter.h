// Emits the C header of a module (DESIGN.md §4): the shared keops types under their guard,
// then every entry point with a comment giving its formula and array shapes.
#pragma once

#include "ir/Module.h"

#include <string>

namespace keopsc::codegen {

std::string emitHeader(const ir::Module &module);

} // namespace keopsc::codegen
