// Emits the CUDA side of an entry point from its stages' kernel plans: in the CUDA source, the
// function `<module>_<entry>_cuda_run` (device checks or copies of host arrays, workspaces, one
// launch per stage and batch, Pm row sums), which the library's main source calls for the cuda
// backend. Launches go through keops/cuda/device.h under nvcc, or keops/host/gpu_emulator.h under
// -DKEOPS_GPU_EMULATE.
#pragma once

#include "ir/Module.h"
#include "support/IndentedWriter.h"

#include <string>

namespace keopsc::codegen {

/// The `extern "C"` declaration of `<module>_<entry>_cuda_run(args, opts, arrays, count, mode,
/// error, errorSize)`: `args` is the entry's argument struct (workspaces null), `arrays` its
/// keops_rt::ArrayArg table, `mode` keops_rt::kGpuDeviceArrays or kGpuCopyArrays, with
/// kGpuSynchronize or not (keops/host/checks.h), `error` the thread's message buffer. Both
/// sources use it.
std::string cudaRunDeclaration(const ir::Module &module, const ir::EntryPoint &entry);
std::string cudaRunSymbol(const ir::Module &module, const ir::EntryPoint &entry);

/// `<module>_gpu_memory(arrays, count)`: keops_rt::kHostMemory when no array of the ArrayArg
/// table is GPU memory, kGpuMemory when all are, kMixedMemory when some are, kEmulatedGpu in an
/// emulated library (whose GPU memory is host memory). Defined once per module in the CUDA source.
std::string gpuMemorySymbol(const ir::Module &module);
std::string gpuMemoryDeclaration(const ir::Module &module);

/// `<module>_gpu_count()`: the CUDA devices visible (1 in an emulated library). Defined once per
/// module in the CUDA source.
std::string gpuCountSymbol(const ir::Module &module);
std::string gpuCountDeclaration(const ir::Module &module);

/// Inside a run function's guarded body (parameters as cudaRunDeclaration's): the call's device
/// and stream, the ArrayArg table, the device-pointer checks unless the mode copies, and
/// `copies` (the device copies of host arrays, uploaded, or the caller's device arrays).
void emitGpuRunOpening(IndentedWriter &out);

/// A run function's end: the copies downloaded, and the stream waited for if the mode says so.
void emitGpuRunClosing(IndentedWriter &out);

/// Defines `<module>_<entry>_cuda_run` (in the CUDA source, after the entry's stage structs).
void emitCudaRun(const ir::Module &module, const ir::EntryPoint &entry, IndentedWriter &out);

} // namespace keopsc::codegen
