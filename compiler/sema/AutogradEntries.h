// The gradient entry points the PyTorch face needs (`--emit=torch`): for every reduction and
// every floating-point input x, `Grad(r, x)`, unless the file already declares it. Autograd calls
// them in backward; with `order` 2 the gradients get gradients of their own (double backward).
#pragma once

#include "ir/Module.h"

namespace keopsc::sema {

/// Appends `Grad(r, x)` entry points named `<r>_grad_<x>` (made unique) to `module` for each
/// entry point r and input x that has none, `order` levels deep. Reductions without a gradient
/// (Arg*, Max_SumShiftExp*) and inputs that cannot be differentiated get none: autograd reports
/// that at backward time, naming the reduction and the input.
void addAutogradGradients(ir::Module &module, int order);

} // namespace keopsc::sema
