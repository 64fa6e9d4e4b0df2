// Reduction table lookups, dtype and scheme names; see ReductionInfo.h.
#include "ir/ReductionInfo.h"

#include <unordered_map>

namespace keopsc::ir {
namespace {

namespace ReadyFlag {
constexpr bool Ready = true;
[[maybe_unused]] constexpr bool Planned = false; // none left today; the table may use it again
} // namespace ReadyFlag

const ReductionInfo kReductionInfos[] = {
#define KEOPSC_REDUCTION(Name, TakesK, Weight, Outputs, Ready)                                     \
  {#Name, TakesK, WeightUse::Weight, OutputShape::Outputs, ReadyFlag::Ready},
#include "ir/Reductions.def"
};

} // namespace

const ReductionInfo &reductionInfo(ReductionKind kind) {
  return kReductionInfos[static_cast<int>(kind)];
}

bool isSumming(ReductionKind kind) {
  switch (kind) {
  case ReductionKind::Sum:
  case ReductionKind::LogSumExp:
  case ReductionKind::LogSumExpWeight:
  case ReductionKind::SumSoftMaxWeight:
  case ReductionKind::Max_SumShiftExp:
  case ReductionKind::Max_SumShiftExpWeight:
    return true;
  case ReductionKind::Max:
  case ReductionKind::Min:
  case ReductionKind::ArgMax:
  case ReductionKind::ArgMin:
  case ReductionKind::Max_ArgMax:
  case ReductionKind::Min_ArgMin:
  case ReductionKind::KMin:
  case ReductionKind::ArgKMin:
  case ReductionKind::KMin_ArgKMin:
    return false;
  }
  return false;
}

bool lookupReduction(const std::string &name, ReductionKind &kind) {
  static const std::unordered_map<std::string, ReductionKind> table = [] {
    std::unordered_map<std::string, ReductionKind> result;
    int count = static_cast<int>(sizeof(kReductionInfos) / sizeof(kReductionInfos[0]));
    for (int i = 0; i < count; ++i)
      result.emplace(kReductionInfos[i].name, static_cast<ReductionKind>(i));
    // Spellings SPEC.md §4 accepts besides the canonical names.
    result.emplace("SoftMax", ReductionKind::SumSoftMaxWeight);
    result.emplace("MinArgMin", ReductionKind::Min_ArgMin);
    result.emplace("MaxArgMax", ReductionKind::Max_ArgMax);
    result.emplace("KMinArgKMin", ReductionKind::KMin_ArgKMin);
    return result;
  }();
  auto found = table.find(name);
  if (found == table.end())
    return false;
  kind = found->second;
  return true;
}

const char *dtypeName(Dtype dtype) {
  switch (dtype) {
  case Dtype::Float16:
    return "float16";
  case Dtype::Float32:
    return "float32";
  case Dtype::Float64:
    return "float64";
  case Dtype::Int64:
    return "int64";
  }
  return "?";
}

const char *dtypeCType(Dtype dtype) {
  switch (dtype) {
  case Dtype::Float16:
    return "uint16_t";
  case Dtype::Float32:
    return "float";
  case Dtype::Float64:
    return "double";
  case Dtype::Int64:
    return "int64_t";
  }
  return "?";
}

const char *sumSchemeName(SumScheme scheme) {
  switch (scheme) {
  case SumScheme::Auto:
    return "auto";
  case SumScheme::Direct:
    return "direct_sum";
  case SumScheme::Block:
    return "block_sum";
  case SumScheme::Kahan:
    return "kahan_scheme";
  }
  return "?";
}

} // namespace keopsc::ir
