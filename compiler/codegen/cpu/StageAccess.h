// The split of a CPU stage's output rows over the threads, shared by the scalar and SIMD
// emitters (what a stage reads and writes: codegen/StageAccess.h).
#pragma once

#include "codegen/StageAccess.h"
#include "support/IndentedWriter.h"

#include <string>
#include <vector>

namespace keopsc::codegen {

/// Splits the output rows of every batch over the threads; `body` (statements) runs batch b's
/// rows [lo, hi).
void emitParallelRows(const ir::Stage &stage, const std::vector<std::string> &body,
                      IndentedWriter &out);

} // namespace keopsc::codegen
