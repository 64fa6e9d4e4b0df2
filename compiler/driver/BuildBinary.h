// Compiling a planned module into a binary (--emit=lib, obj, shared, torch): the generated
// sources written to a temporary directory; the host compiler once per ISA level, nvcc (or the
// emulation) on the CUDA parts and a shared object's extra translation units, at most --jobs at
// a time; the objects archived, merged or linked. main.cpp sequences the stages; this file owns
// the tool runs of a build.
#pragma once

#include "driver/CommandLine.h"
#include "driver/CudaBuild.h"
#include "ir/Module.h"
#include "support/Diagnostics.h"

#include <string>

namespace keopsc::driver {

/// Compiles the module into cl.output (an archive, an object, a shared library or a PyTorch
/// extension) and writes its C header to `header` (empty: none). Nothing is left at either
/// destination on failure. Returns the exit status (0, or 1 after a diagnostic).
int buildBinary(const CommandLine &cl, const ir::Module &module, const CudaBuild &cuda,
                const std::string &header, DiagnosticEngine &diags);

} // namespace keopsc::driver
