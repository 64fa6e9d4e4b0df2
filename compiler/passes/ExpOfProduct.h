// The exp-of-product pass: Exp(s·x), where s does not change along the reduced index (a
// parameter or an output row's value, such as a Gaussian's −g), becomes ExpOfProduct(s, x). Its
// vector form (keops/host/simd_exp.h) folds s·log2 e, split in two parts once per call, into exp's
// range reduction: three multiplications fewer per pair at the same accuracy, since x·(s·log2 e)
// is rounded once like s·x. The scalar and other backends compute e^(s·x) as written.
#pragma once

#include "passes/PassContext.h"

namespace keopsc::passes {

bool foldExpOfProduct(ir::Module &module, PassContext &context);

} // namespace keopsc::passes
