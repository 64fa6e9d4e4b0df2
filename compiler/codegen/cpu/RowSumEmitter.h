// The last step of an entry point with Pm gradients: summing a stage's per-row workspace into
// the gradient's output rows (keops/portable/row_sum.h), in a fixed order, after every stage ran.
#pragma once

#include "ir/EntryPoint.h"
#include "support/IndentedWriter.h"

namespace keopsc::codegen {

/// Pm gradients: each row-summed stage's workspace (B blocks of rows) is summed into its C
/// output, one row per batch or one for all when the Pm is batch_shared.
void emitRowSums(const ir::EntryPoint &entry, IndentedWriter &out);

} // namespace keopsc::codegen
