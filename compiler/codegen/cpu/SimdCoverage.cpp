// What the SIMD CPU kernels cover; see SimdCoverage.h.
#include "codegen/cpu/SimdCoverage.h"

#include "ir/OpInfo.h"
#include "support/Assert.h"

namespace keopsc::codegen {
namespace {

/// Sums of more components (and weights of more) keep scalar code unless their term is chunked:
/// their states would not stay in registers.
constexpr int kMaxSumDim = ir::kRegisterComponents;

bool isMax(ir::ReductionKind kind) {
  using ir::ReductionKind;
  return kind == ReductionKind::Max || kind == ReductionKind::ArgMax ||
         kind == ReductionKind::Max_ArgMax;
}

/// E, the weight's dimension (1 without a weight).
int weightDim(const ir::Stage &stage) { return stage.weight ? stage.weight->dim() : 1; }

/// The family, whether or not this stage's dimensions and numerics fit it.
std::optional<SimdStateKind> familyOf(const ir::Stage &stage) {
  using ir::ReductionKind;
  switch (stage.kind) {
  case ReductionKind::Sum:
    return SimdStateKind::Sum;
  case ReductionKind::LogSumExp:
    return stage.weight ? SimdStateKind::ShiftExp : SimdStateKind::LogSumExp;
  case ReductionKind::LogSumExpWeight:
  case ReductionKind::SumSoftMaxWeight:
  case ReductionKind::Max_SumShiftExp:
  case ReductionKind::Max_SumShiftExpWeight:
    return SimdStateKind::ShiftExp;
  case ReductionKind::KMin:
  case ReductionKind::ArgKMin:
  case ReductionKind::KMin_ArgKMin:
    return SimdStateKind::KMin;
  case ReductionKind::Min:
  case ReductionKind::ArgMin:
  case ReductionKind::Min_ArgMin:
  case ReductionKind::Max:
  case ReductionKind::ArgMax:
  case ReductionKind::Max_ArgMax:
    return SimdStateKind::MinMax;
  default:
    return std::nullopt;
  }
}

std::string blockedFlag(const ir::Stage &stage) {
  return stage.numerics.sumScheme == ir::SumScheme::Block ? "true" : "false";
}

/// The scalar state that finishes a weighted LogSumExp-family reduction.
std::string shiftExpFinal(const ir::Stage &stage) {
  switch (stage.kind) {
  case ir::ReductionKind::SumSoftMaxWeight:
    return "SoftMaxState";
  case ir::ReductionKind::Max_SumShiftExp:
  case ir::ReductionKind::Max_SumShiftExpWeight:
    return "MaxSumShiftExpState";
  default:
    return "LogSumExpWeightState";
  }
}

/// Operations computed per reduced index (levels ReducedRow and Pair) that have a vector form:
/// every element-wise one (arithmetic through Vec's operators, the rest through the op_<name>
/// overloads of keops/host/simd.h, simd_exp.h and simd_math.h), component sums, Elem and Concat.
bool hasVectorForm(ir::OpKind kind) {
  using ir::OpKind;
  if (ir::opInfo(kind).elementwise())
    return true;
  switch (kind) {
  case OpKind::Sum:
  case OpKind::SqNorm2:
  case OpKind::Scalprod:
  case OpKind::SqDist:
  case OpKind::Elem:
  case OpKind::Concat:
    return true;
  default:
    return false;
  }
}

} // namespace

std::optional<SimdStateKind> simdStateKind(const ir::Stage &stage, ir::Dtype dtype) {
  const std::optional<SimdStateKind> family = familyOf(stage);
  if (!family)
    return std::nullopt;
  const int dim = stage.formula->dim();
  const bool kahan = stage.numerics.sumScheme == ir::SumScheme::Kahan;
  const bool accInDtype = stage.numerics.accDtype == dtype;
  // A chunked term's blocks are summed plainly, in the data's type.
  const bool chunked = stage.plan && stage.plan->chunkedTerm && !kahan && accInDtype;
  bool fits = false;
  switch (*family) {
  // No accumulation: the scheme and dtype_acc do not apply.
  case SimdStateKind::KMin:
    fits = dim == 1;
    break;
  case SimdStateKind::MinMax:
    fits = dim <= kMaxSumDim;
    break;
  // The SIMD kernels accumulate in the data's type.
  case SimdStateKind::Sum:
    fits = dim <= kMaxSumDim && accInDtype;
    if (!fits && chunked)
      return SimdStateKind::ChunkedSum;
    break;
  case SimdStateKind::LogSumExp:
    fits = dim == 1 && !kahan && accInDtype;
    break;
  case SimdStateKind::ShiftExp:
    fits = dim == 1 && weightDim(stage) <= kMaxSumDim && !kahan && accInDtype;
    if (!fits && chunked)
      return SimdStateKind::ChunkedShiftExp;
    break;
  case SimdStateKind::ChunkedSum: // (not families of their own)
  case SimdStateKind::ChunkedShiftExp:
    break;
  }
  return fits ? family : std::nullopt;
}

std::string simdStateType(const ir::Stage &stage, ir::Dtype dtype) {
  const std::optional<SimdStateKind> family = simdStateKind(stage, dtype);
  KEOPSC_ASSERT(family.has_value(), "a vector state for a reduction without one");
  const std::string dim = std::to_string(stage.formula->dim());
  switch (*family) {
  case SimdStateKind::ChunkedSum: // blocks are summed by addChunkedProducts
    return "keops_rt::simd::SumState<V, " + dim + ", false>";
  case SimdStateKind::Sum:
    if (stage.numerics.sumScheme == ir::SumScheme::Kahan)
      return "keops_rt::simd::KahanSumState<V, " + dim + ">";
    return "keops_rt::simd::SumState<V, " + dim + ", " + blockedFlag(stage) + ">";
  case SimdStateKind::LogSumExp:
    return "keops_rt::simd::LogSumExpState<V, " + blockedFlag(stage) + ">";
  case SimdStateKind::ShiftExp:
  case SimdStateKind::ChunkedShiftExp: { // chunked: blocks are added by addChunkedShiftExp
    const std::string e = std::to_string(weightDim(stage));
    const std::string blocked =
        *family == SimdStateKind::ChunkedShiftExp ? "false" : blockedFlag(stage);
    return "keops_rt::simd::ShiftExpState<V, " + e + ", " + blocked +
           ", keops_rt::" + shiftExpFinal(stage) + "<V::Scalar, keops_rt::DirectAcc<V::Scalar>, " +
           e + ">>";
  }
  case SimdStateKind::KMin:
    return "keops_rt::simd::KMinState<V, " + std::to_string(stage.K) + ">";
  case SimdStateKind::MinMax:
    return "keops_rt::simd::MinMaxState<V, " + dim + ", " + (isMax(stage.kind) ? "true" : "false") +
           ">";
  }
  KEOPSC_UNREACHABLE("bad vector state family");
}

int64_t simdMinReduced(const ir::Stage &stage, ir::Dtype dtype) {
  // Measured (bench/RESULTS.md, seventh session): with 64 components, 12289 rows, the chunked
  // softmax breaks even with the scalar loop near 32 reduced indices, the chunked Sum below 16.
  const std::optional<SimdStateKind> kind = simdStateKind(stage, dtype);
  return kind == SimdStateKind::ChunkedSum || kind == SimdStateKind::ChunkedShiftExp ? 32 : 0;
}

bool simdEligible(const ir::EntryPoint &entry, const ir::Stage &stage) {
  if (entry.dtype != ir::Dtype::Float32 && entry.dtype != ir::Dtype::Float64)
    return false;
  if (!stage.plan || stage.plan->scratchElements > 0 || !simdStateKind(stage, entry.dtype))
    return false;
  for (const ir::PlannedNode &planned : stage.plan->nodes) {
    const ir::Formula *f = planned.node;
    if (f->kind() == ir::OpKind::Var) {
      if (entry.inputs[static_cast<size_t>(f->varPos())].dtype != entry.dtype)
        return false;
      continue;
    }
    bool varying = planned.level == ir::Level::ReducedRow || planned.level == ir::Level::Pair;
    if (varying && !f->isLeaf() && !hasVectorForm(f->kind()))
      return false;
  }
  return true;
}

} // namespace keopsc::codegen
