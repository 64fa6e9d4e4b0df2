// The statements every backend's run function shares around a call's block-sparse ranges
// (SPEC.md §5.3): checking them and building the spans of the axes the stages reduce over.
#pragma once

#include "ir/EntryPoint.h"
#include "support/IndentedWriter.h"

#include <string>

namespace keopsc::codegen {

/// `if (status != KEOPS_OK) return status;`
void emitReturnIfFailed(IndentedWriter &out);

/// Declares `keops_rt::CallRanges ranges` and fills it from `o.ranges` for the axes the entry's
/// stages reduce over; `rowsM` and `rowsN` are the C expressions of the call's M and N.
void emitCallRanges(const ir::EntryPoint &entry, const std::string &rowsM, const std::string &rowsN,
                    IndentedWriter &out);

} // namespace keopsc::codegen
