// The IR verifier: checks the invariants later stages rely on. It reports nothing to the user:
// sema has already rejected bad input, so a broken invariant is a compiler bug (internal error).
#pragma once

#include "ir/Module.h"

namespace keopsc::passes {
void verifyModule(ir::Module &module);
} // namespace keopsc::passes
