// The runtime headers (runtime/include/keops/), embedded in keopsc at build time so generated
// code is self-contained. The text is produced by cmake/EmbedRuntime.cmake.
#pragma once

namespace keopsc::codegen {
/// keops/api.h: the shared C types of every generated header.
const char *runtimeApiText();
/// The C++ runtime for generated sources: math, accumulators, reductions, threads, checks.
const char *runtimePreludeText();
} // namespace keopsc::codegen
