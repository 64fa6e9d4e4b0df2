// The reduction table's C++ face (Reductions.def) and the numeric types a stage is computed in:
// ReductionKind, its facts, dtypes and summation schemes. Nothing about formulas.
#pragma once

#include <cstdint>
#include <string>

namespace keopsc::ir {

enum class ReductionKind : uint8_t {
#define KEOPSC_REDUCTION(Name, TakesK, Weight, Outputs, Ready) Name,
#include "ir/Reductions.def"
};

enum class WeightUse : uint8_t { No, Optional, Required };
/// What a reduction writes per output row: values, indices, both, or the raw (m, s) pair.
enum class OutputShape : uint8_t { Values, Indices, ValuesAndIndices, Pair };

struct ReductionInfo {
  const char *name;
  bool takesK;
  WeightUse weight;
  OutputShape outputs;
  bool ready;
};

const ReductionInfo &reductionInfo(ReductionKind kind);
/// Whether the reduction adds terms, so dtype_acc and sum_scheme mean something (SPEC.md §7.2).
bool isSumming(ReductionKind kind);
bool lookupReduction(const std::string &name, ReductionKind &kind);

enum class Dtype : uint8_t { Float16, Float32, Float64, Int64 };
const char *dtypeName(Dtype dtype);  ///< "float16", "float32", "float64", "int64"
const char *dtypeCType(Dtype dtype); ///< "uint16_t", "float", "double", "int64_t"

enum class SumScheme : uint8_t { Auto, Direct, Block, Kahan };
const char *sumSchemeName(SumScheme scheme);

} // namespace keopsc::ir
