// `_cuda` entry points without a CUDA backend; see CudaStubEmitter.h.
#include "codegen/cuda/CudaStubEmitter.h"

#include "codegen/Signature.h"

namespace keopsc::codegen {

void emitCudaStub(const ir::Module &module, const ir::Reduction &r, IndentedWriter &out) {
  auto fn = out.block("extern \"C\" keops_status " + entryName(module, r, "_cuda") + "(" +
                      parameterList(r, false) + ")");
  // Every argument is part of the contract even though this stub reads only the options.
  for (const CParam &p : signature(r))
    if (p.bodyName != "opts")
      out.line("(void)" + p.bodyName + ";");
  out.line("const keops_rt::ErrorSink err{lastError, sizeof lastError};");
  out.line("keops_options o;");
  out.line("keops_status status = keops_rt::checkOptions(opts, o, err);");
  out.line("if (status != KEOPS_OK)");
  out.line("  return status;");
  out.line("return err.fail(KEOPS_ERROR_BACKEND_UNAVAILABLE, \"" + module.name + "_" + r.name +
           ": this library has no CUDA code (keopsc's CUDA backend is not implemented yet)\");");
}

} // namespace keopsc::codegen
