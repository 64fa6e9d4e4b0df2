// The PyTorch extension source of a module (`keopsc --emit=torch`): the module's header, the
// keops/torch.h adaptor, and per entry point a typed call thunk and a table (schema, arrays,
// outputs, the Grad entry point of each input) that the adaptor registers as
// `torch.ops.<module>.<reduction>`. All behaviour lives in the adaptor; this file writes tables.
#pragma once

#include "ir/Module.h"

#include <string>

namespace keopsc::codegen {

std::string emitTorchSource(const ir::Module &module);

} // namespace keopsc::codegen
