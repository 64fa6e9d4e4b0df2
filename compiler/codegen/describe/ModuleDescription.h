// A machine-readable description of a module's entry points (JSON): their C symbols, arrays
// (category, per-row width, dtype), outputs and the gradients among them. The Python package
// reads it from a shared library (`<module>_describe()`) to call the C entry points through
// ctypes, and the PyTorch extension returns it from `torch.ops.<module>._keopsc_info()`.
#pragma once

#include "ir/Module.h"

#include <string>

namespace keopsc::codegen {

/// The JSON text: {"module": ..., "entry_points": [{"name", "symbol", ...}, ...]}.
std::string describeModule(const ir::Module &module);
/// A C++ source defining `extern "C" const char *<module>_describe(void)` returning that text.
std::string emitDescriptionSource(const ir::Module &module);

} // namespace keopsc::codegen
