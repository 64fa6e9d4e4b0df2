// The chunked terms of the SIMD CPU kernels (the kernel plan's ChunkedTerm; SimdCoverage's
// ChunkedSum and ChunkedShiftExp): each step stores the rows' scalar S in a buffer covering one
// block of reduced indices, and at the block's end the runtime adds the block's products with W
// (keops/host/simd_chunked_sum.h, simd_chunked_shift_exp.h) into the rows' states, which stay in
// memory.
#pragma once

#include "codegen/cpu/SimdCoverage.h"
#include "ir/EntryPoint.h"
#include "support/IndentedWriter.h"

#include <string>

namespace keopsc::codegen {

/// `scalars`: the S of `rows` rows over a block of `blockLength` reduced indices.
void emitChunkedScalarBuffer(const std::string &scalar, int rows, int blockLength,
                             IndentedWriter &out);

/// Row q's S, the vector `value` at the step's index t, into `scalars`; dead lanes get a term
/// that adds nothing (0 for a Sum, −∞ for the LogSumExp family).
void emitChunkedScalarStore(SimdStateKind kind, const std::string &value, int q,
                            IndentedWriter &out);

/// The block [b0, b1) of the rows' scalars and W, added to the states st0 … st<rows − 1>.
void emitChunkedBlock(const ir::Stage &stage, SimdStateKind kind, int rows, int blockLength,
                      IndentedWriter &out);

} // namespace keopsc::codegen
