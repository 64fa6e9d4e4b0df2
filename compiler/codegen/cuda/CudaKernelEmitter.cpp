// The CUDA kernel emitter (a stub until the CUDA backend); see CudaKernelEmitter.h.
#include "codegen/cuda/CudaKernelEmitter.h"

#include "support/Assert.h"

namespace keopsc::codegen {

bool cudaBackendAvailable() { return false; }

void emitCudaKernels(const ir::Module &module, const ir::EntryPoint &entry, IndentedWriter &out) {
  for (const ir::Stage &stage : entry.stages)
    KEOPSC_ASSERT(stage.plan.has_value(), "codegen needs the plan-kernels pass");
  auto fn = out.block("keops_status " + entry.name + "_cuda_run(const " + entry.name +
                      "_args &, const keops_options &, const keops_rt::CallRanges &, "
                      "const keops_rt::ErrorSink &err)");
  out.line("return err.fail(KEOPS_ERROR_BACKEND_UNAVAILABLE, \"" + module.name + "_" + entry.name +
           ": this library has no CUDA code (keopsc's CUDA backend is not " +
           "implemented yet)\");");
}

} // namespace keopsc::codegen
