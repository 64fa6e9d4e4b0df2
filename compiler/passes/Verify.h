// The IR verifier: re-derives every dimension and checks the invariants later stages rely on.
// It reports nothing to the user: sema has already rejected bad input, so a broken invariant
// is a compiler bug (internal error).
#pragma once

#include "passes/PassContext.h"

namespace keopsc::passes {
bool verifyModule(ir::Module &module, PassContext &context);
} // namespace keopsc::passes
