// The sharding entry points' stored states; see PartialState.h.
#include "codegen/PartialState.h"

#include "codegen/ScalarStage.h"
#include "codegen/Signature.h"
#include "support/Assert.h"

#include <cctype>

namespace keopsc::codegen {
namespace {

int64_t dtypeBytes(ir::Dtype dtype) {
  switch (dtype) {
  case ir::Dtype::Float16:
    return 2;
  case ir::Dtype::Float32:
    return 4;
  case ir::Dtype::Float64:
  case ir::Dtype::Int64:
    return 8;
  }
  KEOPSC_UNREACHABLE("bad dtype");
}

int64_t roundUp(int64_t bytes, int64_t alignment) {
  return (bytes + alignment - 1) / alignment * alignment;
}

/// K-min and Min/Max states: T val[n]; int64_t idx[n].
int64_t valuesAndIndices(int64_t n, int64_t valueBytes) {
  return roundUp(n * valueBytes, 8) + 8 * n;
}

/// The entry's C inputs (`outputs` false) or outputs, as parameters.
std::string arrayParameters(const ir::EntryPoint &entry, bool outputs, bool headerNames) {
  std::string text;
  for (const CParam &p : signature(entry)) {
    const bool isOutput = p.bodyName.compare(0, 3, "out") == 0;
    const bool isInput = p.bodyName.compare(0, 2, "in") == 0;
    if (outputs ? isOutput : isInput)
      text += ", " + p.type + (headerNames ? p.headerName : p.bodyName);
  }
  return text;
}

} // namespace

std::string stateBytesMacro(const ir::Module &module, const ir::EntryPoint &entry) {
  std::string name = module.name + "_" + entry.name + "_STATE_BYTES";
  for (char &c : name)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return name;
}

std::string partialParameters(const ir::EntryPoint &entry, bool headerNames) {
  return "int64_t M, int64_t N" + arrayParameters(entry, false, headerNames) +
         ", int64_t offset, void *" + (headerNames ? "state" : "states") +
         ", const keops_options *opts";
}

std::string mergeParameters(bool headerNames) {
  return headerNames ? "int64_t rows, void *state, const void *other"
                     : "int64_t rows, void *states, const void *others";
}

std::string finalizeParameters(const ir::EntryPoint &entry, bool headerNames) {
  return std::string("int64_t rows, const void *") + (headerNames ? "state" : "states") +
         arrayParameters(entry, true, headerNames);
}

bool hasPartials(const ir::EntryPoint &entry) {
  if (entry.stages.size() != 1 || entry.stages[0].sumRows || !entry.cpuBackend)
    return false;
  for (const ir::Input &in : entry.inputs)
    if (!ir::isCArgument(in))
      return false;
  for (const ir::Output &o : entry.outputs)
    if (!ir::isCArgument(o))
      return false;
  return true;
}

bool hasGpuPartial(const ir::EntryPoint &entry) { return hasPartials(entry) && entry.cudaBackend; }

std::string storedStateType(const ir::Stage &stage, ir::Dtype computeDtype) {
  const std::string state = stateType(stage, computeDtype);
  const std::string block = "keops_rt::BlockState<";
  if (state.compare(0, block.size(), block) == 0)
    return state.substr(block.size(), state.size() - block.size() - 1);
  return state;
}

int64_t storedStateBytes(const ir::Stage &stage, ir::Dtype computeDtype) {
  const int64_t real = dtypeBytes(computeDtype), acc = dtypeBytes(stage.numerics.accDtype);
  const int64_t policy = stage.numerics.sumScheme == ir::SumScheme::Kahan ? 2 * acc : acc;
  const int64_t d = stage.formula->dim(), e = stage.weight ? stage.weight->dim() : 1;
  switch (stage.kind) {
  case ir::ReductionKind::Sum: // Policy acc[D]
    return d * policy;
  case ir::ReductionKind::LogSumExp:
    if (!stage.weight) // Acc m; Policy s; bool nan
      return roundUp(acc + policy + 1, acc);
    [[fallthrough]];
  case ir::ReductionKind::LogSumExpWeight: // ShiftExpCore: Acc m; Policy s[E], den; bool nan
  case ir::ReductionKind::SumSoftMaxWeight:
  case ir::ReductionKind::Max_SumShiftExp:
  case ir::ReductionKind::Max_SumShiftExpWeight:
    return roundUp(acc + (e + 1) * policy + 1, acc);
  case ir::ReductionKind::KMin:
  case ir::ReductionKind::ArgKMin:
  case ir::ReductionKind::KMin_ArgKMin:
    return valuesAndIndices(int64_t(stage.K) * d, real);
  case ir::ReductionKind::Min:
  case ir::ReductionKind::ArgMin:
  case ir::ReductionKind::Min_ArgMin:
  case ir::ReductionKind::Max:
  case ir::ReductionKind::ArgMax:
  case ir::ReductionKind::Max_ArgMax:
    return valuesAndIndices(d, real);
#include "ir/ReductionsNotReady.inc"
    KEOPSC_UNREACHABLE("codegen for a reduction that is not ready");
  }
  KEOPSC_UNREACHABLE("bad reduction kind");
}

} // namespace keopsc::codegen
