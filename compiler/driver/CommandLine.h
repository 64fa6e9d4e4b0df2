// keopsc's command line: what the user asked for, parsed and checked. Hand-written because the
// interface is a dozen flags with compiler-style spellings (-I DIR, -IDIR, --emit=KIND) and
// errors must follow our diagnostic format; a CLI library would add a dependency for little.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace keopsc::driver {

enum class EmitKind { Ast, Ir, Cpp, Cu, Header, Obj, Lib, Shared, Torch, TorchCpp };

/// Kinds that run the host compiler and need -o.
inline bool isBinary(EmitKind kind) {
  return kind == EmitKind::Obj || kind == EmitKind::Lib || kind == EmitKind::Shared ||
         kind == EmitKind::Torch;
}

struct CommandLine {
  std::string input;
  std::string output; ///< empty: stdout for text kinds; required for obj and lib
  EmitKind emit = EmitKind::Lib;
  std::vector<std::string> includeDirs;
  std::string depfile;
  std::vector<std::string> passes; ///< --passes=a,b: replaces the default pipeline
  bool passesGiven = false;
  std::vector<std::string> printIrAfter; ///< --print-ir-after=a,b (or all)
  bool verifyEach = false;               ///< --verify-each: the verifier after every pass
  /// --target: "dispatch" (baseline + AVX2 + AVX-512 kernels, picked at run time), "native",
  /// "baseline", or an x86-64 level ("x86-64", "x86-64-v2", "x86-64-v3", "x86-64-v4").
  std::string target = "dispatch";
  /// --backends=cpu[,cuda]: empty when not given (every backend this keopsc can build).
  std::vector<std::string> backends;
  /// --cuda-arch=sm_75,...: the GPUs the CUDA code is compiled for (SASS), plus PTX of the
  /// newest; empty when not given (driver::defaultCudaArchs).
  std::vector<std::string> cudaArchs;
  /// --cuda-emulate: the CUDA source compiled as C++ that runs the GPU schedules on the CPU (host
  /// pointers); for testing the schedules on machines without a GPU.
  bool cudaEmulate = false;
  /// --autograd-order=1|2 (--emit=torch|torch-cpp): how deep Grad entry points are added for
  /// autograd (2: the gradients' own gradients, for double backward).
  int autogradOrder = 1;
  /// --jobs=N (-j N): compiler processes run at once, and the most parts the CUDA source is
  /// split into; 0 when not given (the CPU count).
  int jobs = 0;
  bool help = false;
  bool version = false;
  bool printLinkFlags = false;
};

/// Parses argv; on a usage error prints `keopsc: error: ...` to stderr and returns nullopt.
std::optional<CommandLine> parseCommandLine(int argc, char **argv);
void printHelp();

} // namespace keopsc::driver
