// The runtime headers (runtime/include/keops/), embedded in keopsc at build time so generated
// code is self-contained. The text is produced by cmake/EmbedRuntime.cmake.
#pragma once

namespace keopsc::codegen {
/// keops/api.h: the shared C types of every generated header.
const char *runtimeApiText();
/// The C++ runtime for generated sources: math, accumulators, reductions, threads, checks.
const char *runtimePreludeText();
/// The runtime of the CUDA source: the portable part, the GPU schedules, the device glue and its
/// CPU emulation (keops/cuda/device.h, keops/host/gpu_emulator.h).
const char *runtimeGpuPreludeText();
/// keops/torch.h: the PyTorch adaptor pasted into `--emit=torch` extension sources.
const char *runtimeTorchText();
} // namespace keopsc::codegen
