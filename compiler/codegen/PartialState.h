// The states of the sharding entry points (<module>_<name>_partial, _merge, _finalize): which
// entry points have them, the C++ type a part stores per output row
// (keops/portable/partial_states.h) and its size in bytes, the header's
// <MODULE>_<NAME>_STATE_BYTES. The generated source asserts that size against the compiler's.
#pragma once

#include "ir/Module.h"

#include <cstdint>
#include <string>

namespace keopsc::codegen {

/// Entry points of one stage on the CPU backend whose results are the stage's own outputs: the
/// forward reductions and one-stage gradients (a gradient that recomputes a forward needs that
/// forward's whole reduced axis first, and a Pm gradient sums over every output row).
bool hasPartials(const ir::EntryPoint &entry);

/// Entry points whose `_partial` also runs on the GPU: those with partials and the cuda backend.
bool hasGpuPartial(const ir::EntryPoint &entry);

/// The stored state's C++ type: the stage's state (ScalarStage.h's stateType) without block
/// summation's wrapper.
std::string storedStateType(const ir::Stage &stage, ir::Dtype computeDtype);

/// sizeof the stored state on LP64 targets (x86-64 and AArch64 lay these structs out alike).
int64_t storedStateBytes(const ir::Stage &stage, ir::Dtype computeDtype);

/// `<MODULE>_<NAME>_STATE_BYTES`, the header's macro.
std::string stateBytesMacro(const ir::Module &module, const ir::EntryPoint &entry);

/// The parameter lists (header or body names) the header and the source share:
/// _partial(M, N, inputs..., offset, state, opts), _merge(rows, state, other) and
/// _finalize(rows, state, outputs...). The body names the state buffers `states` and `others`.
std::string partialParameters(const ir::EntryPoint &entry, bool headerNames);
std::string mergeParameters(bool headerNames);
std::string finalizeParameters(const ir::EntryPoint &entry, bool headerNames);

} // namespace keopsc::codegen
